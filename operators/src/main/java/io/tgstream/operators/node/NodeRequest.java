package io.tgstream.operators.node;

import io.tgstream.operators.sequence.SequencedEdge;

/**
 * One endpoint's part of an event: "node x takes part in event seq of batch k, with partner y". A Flink POJO.
 */
public class NodeRequest {
    /** x, the key this request is routed by. */
    public long node;
    /** y, the other endpoint (x itself for a self-loop). */
    public long partner;
    /** Whether x is the event's source. */
    public boolean source;
    public long seq;
    public long batch;
    public long ts;
    public String srcId;
    public String dstId;
    public float[] features;
    /** The probe's id when the event is a probe (scored at the destination, never applied), else null. */
    public String probeId;
    /** The scoring request a probe belongs to, or null. */
    public io.tgstream.operators.sequence.RequestSlot request;
    /**
     * The stream time of the request's batch: the latest timestamp of the edges of all earlier batches
     * ({@link io.tgstream.model.NodeExpiry#NO_STREAM_TIME} before the first), set by {@link EndpointFanOut}; what the
     * node TTL is measured against.
     */
    public long streamTime = io.tgstream.model.NodeExpiry.NO_STREAM_TIME;

    public NodeRequest() {}

    /** The request of the source (source = true) or destination side of an event. */
    public static NodeRequest of(SequencedEdge e, boolean source) {
        NodeRequest r = new NodeRequest();
        r.node = source ? e.src : e.dst;
        r.partner = source ? e.dst : e.src;
        r.source = source;
        r.seq = e.seq;
        r.batch = e.batch;
        r.ts = e.ts;
        r.srcId = e.srcId;
        r.dstId = e.dstId;
        r.features = e.features;
        r.probeId = e.probeId;
        r.request = e.request;
        return r;
    }

    public boolean isProbe() {
        return probeId != null;
    }

    /** The id of x. */
    public String nodeId() {
        return source ? srcId : dstId;
    }

    @Override
    public String toString() {
        return "NodeRequest{#" + seq + " batch " + batch + " " + (source ? "src " : "dst ") + nodeId()
                + (probeId != null ? " probe " + probeId : "") + '}';
    }
}
