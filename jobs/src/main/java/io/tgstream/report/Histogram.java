package io.tgstream.report;

/**
 * Counts of values in consecutive bins [e_i, e_{i+1}) (the last bin also holds its upper edge), with edges spaced
 * evenly (linear) or evenly in log10 (for latencies, which span decades). Values outside the edges are clamped into
 * the first or last bin.
 */
final class Histogram {
    private final double[] edges;
    private final long[] counts;
    private final long total;

    private Histogram(double[] edges, long[] counts, long total) {
        this.edges = edges;
        this.counts = counts;
        this.total = total;
    }

    /** {@code bins} equal-width bins over [lo, hi]. */
    static Histogram linear(double[] values, double lo, double hi, int bins) {
        double[] e = new double[bins + 1];
        for (int i = 0; i <= bins; i++) {
            e[i] = lo + (hi - lo) * i / bins;
        }
        return fill(values, e, false);
    }

    /** {@code bins} bins over [lo, hi] (both > 0) of equal width in log10. */
    static Histogram log10(double[] values, double lo, double hi, int bins) {
        if (!(lo > 0 && hi > lo)) {
            throw new IllegalArgumentException("log bins need 0 < lo < hi, got " + lo + ", " + hi);
        }
        double a = Math.log10(lo);
        double b = Math.log10(hi);
        double[] e = new double[bins + 1];
        for (int i = 0; i <= bins; i++) {
            e[i] = Math.pow(10, a + (b - a) * i / bins);
        }
        e[0] = lo;
        e[bins] = hi;
        return fill(values, e, true);
    }

    private static Histogram fill(double[] values, double[] e, boolean log) {
        int bins = e.length - 1;
        long[] c = new long[bins];
        double lo = log ? Math.log10(e[0]) : e[0];
        double hi = log ? Math.log10(e[bins]) : e[bins];
        double width = (hi - lo) / bins;
        for (double v : values) {
            double x = log ? Math.log10(Math.max(v, e[0])) : v;
            int i = width > 0 ? (int) Math.floor((x - lo) / width) : 0;
            c[Math.max(0, Math.min(bins - 1, i))]++;
        }
        return new Histogram(e, c, values.length);
    }

    int bins() {
        return counts.length;
    }

    double lower(int i) {
        return edges[i];
    }

    double upper(int i) {
        return edges[i + 1];
    }

    long count(int i) {
        return counts[i];
    }

    /** The bin's share of all values (0 when there are none). */
    double fraction(int i) {
        return total == 0 ? 0 : (double) counts[i] / total;
    }

    double[] edges() {
        return edges.clone();
    }

    /** Every bin's share of all values. */
    double[] fractions() {
        double[] f = new double[counts.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = fraction(i);
        }
        return f;
    }
}
