package io.tgstream.report;

import java.util.Arrays;

/**
 * Percentiles by nearest rank: the q-quantile of n values is the ceil(q n)-th smallest (at least the first), the
 * definition the replay's own latency figures use, so that the report's p50/p99 equal the command line's.
 */
final class NearestRank {
    private final double[] sorted;

    NearestRank(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("percentiles of no values");
        }
        this.sorted = values.clone();
        Arrays.sort(sorted);
    }

    /** The q-quantile, q in [0, 1]. */
    double quantile(double q) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("q must be in [0, 1], got " + q);
        }
        int rank = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    }

    double min() {
        return sorted[0];
    }

    double max() {
        return sorted[sorted.length - 1];
    }

    double mean() {
        double s = 0;
        for (double v : sorted) {
            s += v;
        }
        return s / sorted.length;
    }
}
