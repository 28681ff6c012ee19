package io.tgstream.eval;

import io.tgstream.data.EdgeStream;

/** One temporal batch: a run of events of an {@link EdgeStream}, in time order, given by their event indices. */
public final class EdgeBatch {
    private final EdgeStream stream;
    private final int[] events;

    /** A batch of the given events (the array is not copied: the caller hands it over). */
    public EdgeBatch(EdgeStream stream, int[] events) {
        this.stream = stream;
        this.events = events;
    }

    public EdgeStream stream() { return stream; }
    public int size() { return events.length; }
    /** The stream's index of the i-th event of this batch. */
    public int event(int i) { return events[i]; }
    public int src(int i) { return stream.src(events[i]); }
    public int dst(int i) { return stream.dst(events[i]); }
    public long timestamp(int i) { return stream.timestamp(events[i]); }
    public int label(int i) { return stream.label(events[i]); }
    public int sign(int i) { return stream.sign(events[i]); }
    /** Copies the i-th event's features ({@code stream().featureDim()} floats) into {@code out} at {@code offset}. */
    public void copyFeatures(int i, float[] out, int offset) { stream.copyFeatures(events[i], out, offset); }
}
