package io.tgstream.bench.e2e;

/** One endpoint of an event in the pass-through job (a Flink POJO): the node it is keyed by and the event's output. */
public final class EndpointTouch {
    public long node;
    public long seq;
    public boolean destination;
    public String srcId;
    public String dstId;
    public long ts;

    public EndpointTouch() {
    }

    EndpointTouch(long node, long seq, boolean destination, String srcId, String dstId, long ts) {
        this.node = node;
        this.seq = seq;
        this.destination = destination;
        this.srcId = srcId;
        this.dstId = dstId;
        this.ts = ts;
    }
}
