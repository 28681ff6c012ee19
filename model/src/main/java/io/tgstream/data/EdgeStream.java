package io.tgstream.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable, columnar, time-ordered edge stream: the in-memory form of a data set that the models and the evaluator
 * work on.
 *
 * <p>Events are indexed 0..size-1 in chronological order (a stable sort by timestamp: file order breaks ties). Nodes are
 * indexed 0..nodeCount-1 in order of first appearance in that order (source before destination); each node index
 * keeps its external id and its 64-bit key ({@link NodeKeys#of(String)}). Features are stored flat, {@code featureDim}
 * floats per event. Accessors return primitives, never copies of the columns, so reading is cheap.
 */
public final class EdgeStream {
    private final String name;
    private final String timeUnit;
    private final int[] src;
    private final int[] dst;
    private final long[] timestamps;
    private final int featureDim;
    private final float[] features;
    private final int[] labels;
    private final byte[] signs;
    private final String[] nodeIds;
    private final long[] nodeKeys;
    private final Map<Long, Integer> nodeIndexByKey;

    private EdgeStream(String name, String timeUnit, int[] src, int[] dst, long[] timestamps, int featureDim,
                       float[] features, int[] labels, byte[] signs, String[] nodeIds, long[] nodeKeys) {
        this.name = name;
        this.timeUnit = timeUnit;
        this.src = src;
        this.dst = dst;
        this.timestamps = timestamps;
        this.featureDim = featureDim;
        this.features = features;
        this.labels = labels;
        this.signs = signs;
        this.nodeIds = nodeIds;
        this.nodeKeys = nodeKeys;
        this.nodeIndexByKey = new HashMap<>(nodeKeys.length * 2);
        for (int i = 0; i < nodeKeys.length; i++) {
            Integer clash = nodeIndexByKey.put(nodeKeys[i], i);
            if (clash != null) {
                throw new IllegalStateException("node ids '" + nodeIds[clash] + "' and '" + nodeIds[i]
                        + "' hash to the same 64-bit key; rename one of them");
            }
        }
    }

    /** A builder for a stream named {@code name}, timestamps in {@code timeUnit}, {@code featureDim} features per event. */
    public static Builder builder(String name, String timeUnit, int featureDim) {
        return new Builder(name, timeUnit, featureDim);
    }

    /** The stream of the given events (sorted stably by time); every event must have {@code featureDim} features. */
    public static EdgeStream of(String name, String timeUnit, int featureDim, List<EdgeEvent> events) {
        Builder b = builder(name, timeUnit, featureDim);
        for (EdgeEvent e : events) {
            b.add(e.srcId(), e.dstId(), e.timestamp(), e.features(), e.label(), e.sign());
        }
        return b.build();
    }

    public String name() { return name; }
    /** The unit of the timestamps, e.g. "s" or "congress". */
    public String timeUnit() { return timeUnit; }
    /** Number of events. */
    public int size() { return src.length; }
    public int nodeCount() { return nodeIds.length; }
    public int featureDim() { return featureDim; }
    /** Source node index of event e. */
    public int src(int e) { return src[e]; }
    /** Destination node index of event e. */
    public int dst(int e) { return dst[e]; }
    public long timestamp(int e) { return timestamps[e]; }
    public float feature(int e, int j) {
        if (j < 0 || j >= featureDim) throw new IndexOutOfBoundsException("feature " + j + " of " + featureDim);
        return features[e * featureDim + j];
    }
    /** Copies event e's features into {@code out} at {@code offset}. */
    public void copyFeatures(int e, float[] out, int offset) {
        System.arraycopy(features, e * featureDim, out, offset, featureDim);
    }
    public int label(int e) { return labels[e]; }
    /** +1 for an ordinary or positive edge, -1 for a negative one. */
    public int sign(int e) { return signs[e]; }
    public String nodeId(int node) { return nodeIds[node]; }
    public long nodeKey(int node) { return nodeKeys[node]; }
    /** The node index of a 64-bit key, or -1 when the key is not in this stream. */
    public int nodeIndexOfKey(long key) {
        Integer i = nodeIndexByKey.get(key);
        return i == null ? -1 : i;
    }
    public long firstTimestamp() { return timestamps.length == 0 ? 0 : timestamps[0]; }
    public long lastTimestamp() { return timestamps.length == 0 ? 0 : timestamps[timestamps.length - 1]; }

    /** Index of the first event with timestamp >= t (size() when none). */
    public int firstEventAtOrAfter(long t) {
        int lo = 0;
        int hi = timestamps.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (timestamps[mid] < t) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /** Event e as an {@link EdgeEvent}. */
    public EdgeEvent event(int e) {
        float[] f = new float[featureDim];
        copyFeatures(e, f, 0);
        return new EdgeEvent(nodeIds[src[e]], nodeIds[dst[e]], timestamps[e], f, labels[e], signs[e]);
    }

    /** The first {@code n} events as a stream of their own (nodes renumbered by first appearance). */
    public EdgeStream head(int n) {
        if (n < 0) throw new IllegalArgumentException("n must be >= 0, got " + n);
        if (n >= size()) return this;
        Builder b = builder(name, timeUnit, featureDim);
        float[] f = new float[featureDim];
        for (int e = 0; e < n; e++) {
            copyFeatures(e, f, 0);
            b.add(nodeIds[src[e]], nodeIds[dst[e]], timestamps[e], featureDim == 0 ? null : f, labels[e], signs[e]);
        }
        return b.build();
    }

    @Override
    public String toString() {
        return "EdgeStream{" + name + ": " + size() + " events, " + nodeCount() + " nodes, " + featureDim + " features}";
    }

    /** Collects rows in any order; {@link #build()} sorts them stably by time and numbers the nodes. */
    public static final class Builder {
        private final String name;
        private final String timeUnit;
        private final int featureDim;
        private final List<String> srcIds = new ArrayList<>();
        private final List<String> dstIds = new ArrayList<>();
        private long[] timestamps = new long[1024];
        private float[] features;
        private int[] labels = new int[1024];
        private byte[] signs = new byte[1024];
        private int n;

        private Builder(String name, String timeUnit, int featureDim) {
            this.name = Objects.requireNonNull(name, "name");
            this.timeUnit = Objects.requireNonNull(timeUnit, "timeUnit");
            if (featureDim < 0) throw new IllegalArgumentException("featureDim must be >= 0, got " + featureDim);
            this.featureDim = featureDim;
            this.features = new float[1024 * featureDim];
        }

        /** Adds one row; {@code features} must have exactly {@code featureDim} entries (null when featureDim is 0). */
        public Builder add(String srcId, String dstId, long timestamp, float[] rowFeatures, int label, int sign) {
            int given = rowFeatures == null ? 0 : rowFeatures.length;
            if (given != featureDim) {
                throw new IllegalArgumentException("expected " + featureDim + " features, got " + given);
            }
            if (sign != 1 && sign != -1) throw new IllegalArgumentException("sign must be 1 or -1, got " + sign);
            if (n == timestamps.length) grow();
            srcIds.add(Objects.requireNonNull(srcId, "srcId"));
            dstIds.add(Objects.requireNonNull(dstId, "dstId"));
            timestamps[n] = timestamp;
            if (featureDim > 0) System.arraycopy(rowFeatures, 0, features, n * featureDim, featureDim);
            labels[n] = label;
            signs[n] = (byte) sign;
            n++;
            return this;
        }

        public int size() { return n; }

        private void grow() {
            int cap = timestamps.length * 2;
            timestamps = Arrays.copyOf(timestamps, cap);
            features = Arrays.copyOf(features, cap * featureDim);
            labels = Arrays.copyOf(labels, cap);
            signs = Arrays.copyOf(signs, cap);
        }

        /** Sorts stably by timestamp (row order breaks ties), numbers nodes by first appearance, and freezes. */
        public EdgeStream build() {
            Integer[] boxed = new Integer[n];
            for (int i = 0; i < n; i++) boxed[i] = i;
            final long[] ts = timestamps;
            Arrays.sort(boxed, (a, b) -> Long.compare(ts[a], ts[b])); // TimSort: stable
            int[] src = new int[n];
            int[] dst = new int[n];
            long[] t = new long[n];
            float[] f = new float[n * featureDim];
            int[] lab = new int[n];
            byte[] sg = new byte[n];
            Map<String, Integer> index = new HashMap<>();
            List<String> ids = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                int r = boxed[k];
                src[k] = index.computeIfAbsent(srcIds.get(r), id -> { ids.add(id); return ids.size() - 1; });
                dst[k] = index.computeIfAbsent(dstIds.get(r), id -> { ids.add(id); return ids.size() - 1; });
                t[k] = ts[r];
                if (featureDim > 0) System.arraycopy(features, r * featureDim, f, k * featureDim, featureDim);
                lab[k] = labels[r];
                sg[k] = signs[r];
            }
            String[] nodeIds = ids.toArray(new String[0]);
            long[] keys = new long[nodeIds.length];
            for (int i = 0; i < keys.length; i++) keys[i] = NodeKeys.of(nodeIds[i]);
            return new EdgeStream(name, timeUnit, src, dst, t, featureDim, f, lab, sg, nodeIds, keys);
        }
    }
}
