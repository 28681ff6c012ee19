package io.tgstream.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The run cut into windows of equal width w from time 0: per window, the scores seen in [k w, (k+1) w), their rate
 * (count / w, scores per second) and their latencies' nearest-rank p50 and p99. The width is a round number (1, 2 or
 * 5 times a power of ten seconds) giving about {@value #TARGET_WINDOWS} windows over the run.
 */
final class TimeWindows {
    static final int TARGET_WINDOWS = 40;

    /** One window. Latency percentiles are NaN in a window without scores. */
    record Window(double start, double end, int count, double perSecond, double p50Ms, double p99Ms) {}

    private final double width;
    private final List<Window> windows;

    private TimeWindows(double width, List<Window> windows) {
        this.width = width;
        this.windows = windows;
    }

    /** Windows over the scores seen at {@code seenSeconds[i]} with latency {@code latenciesMs[i]}. */
    static TimeWindows of(double[] seenSeconds, double[] latenciesMs) {
        double span = 0;
        for (double t : seenSeconds) {
            span = Math.max(span, t);
        }
        double w = AxisScale.roundStep(span > 0 ? span / TARGET_WINDOWS : 1);
        int n = Math.max(1, index(span, w) + 1);
        List<List<Double>> latencies = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            latencies.add(new ArrayList<>());
        }
        for (int i = 0; i < seenSeconds.length; i++) {
            int k = Math.min(n - 1, index(seenSeconds[i], w));
            latencies.get(k).add(latenciesMs[i]);
        }
        List<Window> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            List<Double> l = latencies.get(k);
            double p50 = Double.NaN;
            double p99 = Double.NaN;
            if (!l.isEmpty()) {
                NearestRank r = new NearestRank(l.stream().mapToDouble(Double::doubleValue).toArray());
                p50 = r.quantile(0.5);
                p99 = r.quantile(0.99);
            }
            out.add(new Window(k * w, (k + 1) * w, l.size(), l.size() / w, p50, p99));
        }
        return new TimeWindows(w, List.copyOf(out));
    }

    /** The window of time {@code t}; a time on an edge belongs to the later window despite rounding in t / w. */
    private static int index(double t, double w) {
        return (int) Math.floor(t / w + 1e-9);
    }

    double width() {
        return width;
    }

    List<Window> windows() {
        return windows;
    }
}
