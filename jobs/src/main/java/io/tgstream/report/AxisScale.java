package io.tgstream.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One axis of a chart: a value range mapped onto [0, 1], linearly or in log10, with round tick values. Linear ranges
 * are widened to multiples of a round step (1, 2 or 5 times a power of ten, about five steps); log ranges to whole
 * decades.
 */
final class AxisScale {
    private static final int TARGET_TICKS = 5;

    private final double min;
    private final double max;
    private final boolean log;
    private final double[] ticks;
    private final int decimals;

    private AxisScale(double min, double max, boolean log, double[] ticks, int decimals) {
        this.min = min;
        this.max = max;
        this.log = log;
        this.ticks = ticks;
        this.decimals = decimals;
    }

    /** The smallest of 1, 2, 5 times a power of ten that is >= {@code raw} (> 0). */
    static double roundStep(double raw) {
        if (!(raw > 0) || Double.isInfinite(raw)) {
            throw new IllegalArgumentException("a step must be finite and > 0, got " + raw);
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / magnitude;
        double nice = f <= 1 + 1e-9 ? 1 : f <= 2 + 1e-9 ? 2 : f <= 5 + 1e-9 ? 5 : 10;
        return nice * magnitude;
    }

    /** A linear axis covering [lo, hi], widened to round ticks. */
    static AxisScale linear(double lo, double hi) {
        if (!(hi > lo)) {
            double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
            lo -= pad;
            hi += pad;
        }
        double step = roundStep((hi - lo) / TARGET_TICKS);
        double min = Math.floor(lo / step + 1e-9) * step;
        double max = Math.ceil(hi / step - 1e-9) * step;
        return fixed(min, max, step);
    }

    /** A linear axis of exactly [min, max] with ticks every {@code step} from min. */
    static AxisScale fixed(double min, double max, double step) {
        List<Double> t = new ArrayList<>();
        for (int k = 0; min + k * step <= max + step * 1e-9; k++) {
            t.add(min + k * step);
        }
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
        return new AxisScale(min, max, false, t.stream().mapToDouble(Double::doubleValue).toArray(), decimals);
    }

    /**
     * A log10 axis covering [lo, hi] (lo > 0), widened to the nearest values of the sequence 1, 2, 5, 10, 20, ...;
     * ticks at those values in between.
     */
    static AxisScale log10(double lo, double hi) {
        if (!(lo > 0)) {
            throw new IllegalArgumentException("a log axis needs lo > 0, got " + lo);
        }
        double min = oneTwoFiveAtMost(lo);
        double max = oneTwoFiveAtLeast(Math.max(hi, lo));
        if (!(max > min)) {
            max = oneTwoFiveAtLeast(min * 1.5);
        }
        List<Double> t = new ArrayList<>();
        for (double v = min; v <= max * (1 + 1e-9); v = nextOneTwoFive(v)) {
            t.add(v);
        }
        return new AxisScale(min, max, true, t.stream().mapToDouble(Double::doubleValue).toArray(), 0);
    }

    private static double oneTwoFiveAtMost(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v) + 1e-9));
        return v >= 5 * p * (1 - 1e-9) ? 5 * p : v >= 2 * p * (1 - 1e-9) ? 2 * p : p;
    }

    private static double oneTwoFiveAtLeast(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v) + 1e-9));
        return v <= p * (1 + 1e-9) ? p : v <= 2 * p * (1 + 1e-9) ? 2 * p : v <= 5 * p * (1 + 1e-9) ? 5 * p : 10 * p;
    }

    private static double nextOneTwoFive(double v) {
        return oneTwoFiveAtLeast(v * 1.5);
    }

    double min() {
        return min;
    }

    double max() {
        return max;
    }

    /** Where {@code v} lies on the axis: 0 at min, 1 at max (outside for values out of range). */
    double fraction(double v) {
        if (log) {
            double x = Math.log10(Math.max(v, Double.MIN_NORMAL));
            return (x - Math.log10(min)) / (Math.log10(max) - Math.log10(min));
        }
        return (v - min) / (max - min);
    }

    double[] ticks() {
        return ticks.clone();
    }

    /** A tick's label, with as many decimals as the ticks need. */
    String label(double tick) {
        int d = log ? Math.max(0, (int) -Math.floor(Math.log10(tick) + 1e-9)) : decimals;
        return String.format(Locale.ROOT, "%." + d + "f", tick);
    }
}
