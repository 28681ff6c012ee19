package io.tgstream.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * One interaction (src, dst, t): the immutable event that flows from the loaders and the Kafka source into the model.
 *
 * <p>Node ids are kept as given (for outputs) together with their 64-bit keys from {@link NodeKeys} (for state and
 * the model). {@code timestamp} is a long in the unit the data set or job configures. {@code features} may be empty;
 * the array is copied in and out, so an event can be shared freely. {@code label} is the data set's edge/state label
 * (0 when absent); {@code sign} is +1 for an ordinary (or positive) edge and -1 for a negative/removal edge.
 *
 * <p>Two transport properties ride along for the streaming job. A <em>probe</em> (a non-null {@link #probeId()}) is a
 * pair to be scored against the current state under the batch contract and never applied, e.g. an evaluator's
 * negative; its score is keyed by the probe id. {@link #endsBatch()} asks a count-batched job to close the open batch
 * after this edge, even if it holds fewer than B edges (a quiet stream's scores need not wait for B more events, and a
 * replay can reproduce another tool's batch boundaries).
 */
public final class EdgeEvent {
    private static final float[] NO_FEATURES = new float[0];

    private final String srcId;
    private final String dstId;
    private final long src;
    private final long dst;
    private final long timestamp;
    private final float[] features;
    private final int label;
    private final int sign;
    private final String probeId;
    private final boolean endsBatch;

    public EdgeEvent(String srcId, String dstId, long timestamp, float[] features, int label, int sign) {
        this(srcId, dstId, timestamp, features, label, sign, null, false);
    }

    private EdgeEvent(String srcId, String dstId, long timestamp, float[] features, int label, int sign, String probeId,
                      boolean endsBatch) {
        if (probeId != null && probeId.isEmpty()) {
            throw new IllegalArgumentException("a probe id must not be empty");
        }
        this.probeId = probeId;
        this.endsBatch = endsBatch && probeId == null;
        this.srcId = Objects.requireNonNull(srcId, "srcId");
        this.dstId = Objects.requireNonNull(dstId, "dstId");
        if (sign != 1 && sign != -1) {
            throw new IllegalArgumentException("sign must be 1 or -1, got " + sign);
        }
        this.src = NodeKeys.of(srcId);
        this.dst = NodeKeys.of(dstId);
        this.timestamp = timestamp;
        this.features = features == null || features.length == 0 ? NO_FEATURES : features.clone();
        this.label = label;
        this.sign = sign;
    }

    /** An event without features, label 0, sign +1. */
    public static EdgeEvent of(String srcId, String dstId, long timestamp) {
        return new EdgeEvent(srcId, dstId, timestamp, NO_FEATURES, 0, 1);
    }

    public String srcId() { return srcId; }
    public String dstId() { return dstId; }
    /** The source's 64-bit node key. */
    public long src() { return src; }
    /** The destination's 64-bit node key. */
    public long dst() { return dst; }
    public long timestamp() { return timestamp; }
    /** A copy of the edge features (empty when the event has none). */
    public float[] features() { return features.length == 0 ? NO_FEATURES : features.clone(); }
    public int featureCount() { return features.length; }
    public float feature(int i) { return features[i]; }
    public int label() { return label; }
    public int sign() { return sign; }
    /** The probe's id, or null for an edge that the job applies to state. */
    public String probeId() { return probeId; }
    public boolean isProbe() { return probeId != null; }
    /** Whether a count-batched job closes the open batch after this edge (always false for a probe). */
    public boolean endsBatch() { return endsBatch; }

    /** This pair as a probe with the given id: scored, never applied. */
    public EdgeEvent asProbe(String id) {
        return new EdgeEvent(srcId, dstId, timestamp, features, label, sign, java.util.Objects.requireNonNull(id, "id"),
                false);
    }

    /** This edge, marked to close its batch. */
    public EdgeEvent endingBatch() {
        if (probeId != null) {
            throw new IllegalStateException("a probe cannot close a batch: only applied edges count towards one");
        }
        return new EdgeEvent(srcId, dstId, timestamp, features, label, sign, null, true);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof EdgeEvent)) return false;
        EdgeEvent e = (EdgeEvent) o;
        return timestamp == e.timestamp && label == e.label && sign == e.sign && endsBatch == e.endsBatch
                && Objects.equals(probeId, e.probeId) && srcId.equals(e.srcId) && dstId.equals(e.dstId) && Arrays.equals(features, e.features);
    }

    @Override
    public int hashCode() {
        return Objects.hash(srcId, dstId, timestamp, label, sign, probeId, endsBatch) * 31 + Arrays.hashCode(features);
    }

    @Override
    public String toString() {
        return "EdgeEvent{" + srcId + "->" + dstId + " @" + timestamp
                + (features.length > 0 ? " features=" + Arrays.toString(features) : "")
                + (label != 0 ? " label=" + label : "") + (sign != 1 ? " sign=" + sign : "")
                + (probeId != null ? " probe=" + probeId : "") + (endsBatch ? " ends-batch" : "") + '}';
    }
}
