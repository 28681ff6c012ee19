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

    public EdgeEvent(String srcId, String dstId, long timestamp, float[] features, int label, int sign) {
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

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof EdgeEvent)) return false;
        EdgeEvent e = (EdgeEvent) o;
        return timestamp == e.timestamp && label == e.label && sign == e.sign
                && srcId.equals(e.srcId) && dstId.equals(e.dstId) && Arrays.equals(features, e.features);
    }

    @Override
    public int hashCode() {
        return Objects.hash(srcId, dstId, timestamp, label, sign) * 31 + Arrays.hashCode(features);
    }

    @Override
    public String toString() {
        return "EdgeEvent{" + srcId + "->" + dstId + " @" + timestamp
                + (features.length > 0 ? " features=" + Arrays.toString(features) : "")
                + (label != 0 ? " label=" + label : "") + (sign != 1 ? " sign=" + sign : "") + '}';
    }
}
