package io.tgstream.eval;

/**
 * The q-quantile of sorted values with linear interpolation, exactly as {@code numpy.quantile} (method "linear"):
 * h = (n - 1) q, i = floor(h), g = h - i, Q = a_i + (a_{i+1} - a_i) g, computed as a_{i+1} - (a_{i+1} - a_i)(1 - g)
 * when g >= 0.5 (numpy's rounding-safe form, so that split boundaries match DyGLib's to the last bit).
 */
public final class LinearQuantile {
    private LinearQuantile() {}

    /** The q-quantile of {@code sorted[0..n)} (ascending). */
    public static double of(long[] sorted, int n, double q) {
        if (n <= 0) throw new IllegalArgumentException("quantile of no values");
        if (!(q >= 0 && q <= 1)) throw new IllegalArgumentException("q must be in [0, 1], got " + q);
        double h = (n - 1) * q;
        int i = (int) Math.floor(h);
        double g = h - i;
        double a = sorted[i];
        double b = sorted[Math.min(i + 1, n - 1)];
        double diff = b - a;
        return g >= 0.5 ? b - diff * (1 - g) : a + diff * g;
    }
}
