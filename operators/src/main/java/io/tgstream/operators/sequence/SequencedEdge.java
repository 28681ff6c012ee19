package io.tgstream.operators.sequence;

import io.tgstream.data.EdgeEvent;

/**
 * An edge event with its place in the batch contract: a sequence number (the event id) and its temporal batch.
 * A Flink POJO (public fields, no-argument constructor) so that it is serialized without Kryo.
 */
public class SequencedEdge {
    /** Position in the sequencer's total order: the event's id on the scores topic. */
    public long seq;
    /** Temporal batch index; also the Flink timestamp of the record. */
    public long batch;
    public String srcId;
    public String dstId;
    public long src;
    public long dst;
    public long ts;
    public float[] features;
    /** The probe's id (scored, never applied; its seq is negative), or null for an edge. */
    public String probeId;
    /** Whether the sequencer closed the batch after this edge (an {@code end_batch} edge in COUNT mode). */
    public boolean endsBatch;
    /** The scoring request this probe answers a part of, or null. */
    public RequestSlot request;

    public SequencedEdge() {}

    public SequencedEdge(EdgeEvent e, long seq, long batch) {
        this.seq = seq;
        this.batch = batch;
        this.srcId = e.srcId();
        this.dstId = e.dstId();
        this.src = e.src();
        this.dst = e.dst();
        this.ts = e.timestamp();
        this.features = e.features();
        this.probeId = e.probeId();
    }

    /** The event this was sequenced from (for dead letters). */
    public EdgeEvent toEvent() {
        EdgeEvent e = new EdgeEvent(srcId, dstId, ts, features, 0, 1);
        return probeId != null ? e.asProbe(probeId) : e;
    }

    @Override
    public String toString() {
        return "SequencedEdge{#" + seq + " batch " + batch + ": " + srcId + "->" + dstId + " @" + ts
                + (probeId != null ? " probe " + probeId : "") + (endsBatch ? " ends batch" : "") + '}';
    }
}
