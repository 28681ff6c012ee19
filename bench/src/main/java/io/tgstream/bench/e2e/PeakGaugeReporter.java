package io.tgstream.bench.e2e;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A Flink metric reporter for in-process runs that remembers the largest value any gauge of one name has shown
 * (read when the gauge is removed, and on demand): how the benchmark observes the feedback queue's peak length, a
 * gauge the loop's head registers ({@value #FEEDBACK_PEAK_GAUGE}).
 */
public final class PeakGaugeReporter implements MetricReporter {
    /** The gauge of the feedback loop's head: the peak length of its in-JVM queue. */
    public static final String FEEDBACK_PEAK_GAUGE = "feedbackQueuePeakLength";
    private static final String NAME = "bench-peaks";
    private static final Map<String, Long> PEAKS = new ConcurrentHashMap<>();
    private static final Map<Gauge<?>, String> LIVE = new ConcurrentHashMap<>();

    /** Adds this reporter to a Flink configuration (the MiniCluster creates it through {@link Factory}). */
    public static void register(Configuration conf) {
        conf.setString("metrics.reporter." + NAME + ".factory.class", Factory.class.getName());
    }

    /** Forgets every recorded peak (call before a run). */
    public static void reset() {
        PEAKS.clear();
        LIVE.clear();
    }

    /** The largest value a gauge of that name has shown since {@link #reset}, or -1 if none was registered. */
    public static long peak(String gaugeName) {
        LIVE.forEach(PeakGaugeReporter::sample);
        return PEAKS.getOrDefault(gaugeName, -1L);
    }

    private static void sample(Gauge<?> g, String name) {
        Object v = g.getValue();
        if (v instanceof Number n) {
            PEAKS.merge(name, n.longValue(), Math::max);
        }
    }

    @Override
    public void open(MetricConfig config) {
    }

    @Override
    public void close() {
    }

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        if (name.equals(FEEDBACK_PEAK_GAUGE) && metric instanceof Gauge<?> g) {
            LIVE.put(g, name);
            PEAKS.putIfAbsent(name, 0L);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        if (metric instanceof Gauge<?> g && LIVE.remove(g) != null) {
            sample(g, name);
        }
    }

    /** Found by Flink through META-INF/services. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new PeakGaugeReporter();
        }
    }
}
