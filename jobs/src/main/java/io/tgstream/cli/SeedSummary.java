package io.tgstream.cli;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * One figure of several runs that differ only in their seed: the values in run order, their mean and their sample
 * standard deviation (n - 1 in the denominator; 0 for a single run), for tables that report a spread beside a mean.
 */
record SeedSummary(double[] values, double mean, double deviation) {

    /** The figure {@code f} of every run, summarised. */
    static <T> SeedSummary of(List<T> runs, ToDoubleFunction<T> f) {
        double[] v = new double[runs.size()];
        double sum = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = f.applyAsDouble(runs.get(i));
            sum += v[i];
        }
        double mean = v.length == 0 ? Double.NaN : sum / v.length;
        double squares = 0;
        for (double x : v) {
            squares += (x - mean) * (x - mean);
        }
        double deviation = v.length > 1 ? Math.sqrt(squares / (v.length - 1)) : 0;
        return new SeedSummary(v, mean, deviation);
    }

    /** "mean ± sd" of fractions, as percentages with two decimals. */
    String meanAndDeviation() {
        return String.format(Locale.ROOT, "%.2f ± %.2f", 100 * mean, 100 * deviation);
    }

    /** The runs' values as percentages, comma-separated, in run order. */
    String perSeed() {
        StringBuilder s = new StringBuilder();
        for (double x : values) {
            if (s.length() > 0) s.append(", ");
            s.append(String.format(Locale.ROOT, "%.2f", 100 * x));
        }
        return s.toString();
    }
}
