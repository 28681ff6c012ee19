package io.tgstream.operators.node;

/** The link-prediction score of one event, computed from both endpoints' pre-batch state. A Flink POJO. */
public class NodeScore {
    public long seq;
    public long batch;
    public String srcId;
    public String dstId;
    public long ts;
    /** sigmoid(logit) of the decoder. */
    public float score;
    /** The probe's id when this scores a probe, else null. */
    public String probeId;
    /** The scoring request this score answers a part of, or null. */
    public io.tgstream.operators.sequence.RequestSlot request;

    public NodeScore() {}

    public NodeScore(NodeRequest destinationSide, float score) {
        this.seq = destinationSide.seq;
        this.batch = destinationSide.batch;
        this.srcId = destinationSide.srcId;
        this.dstId = destinationSide.dstId;
        this.ts = destinationSide.ts;
        this.score = score;
        this.probeId = destinationSide.probeId;
        this.request = destinationSide.request;
    }

    @Override
    public String toString() {
        return "NodeScore{#" + seq + " batch " + batch + " " + srcId + "->" + dstId + " = " + score
                + (probeId != null ? " probe " + probeId : "") + '}';
    }
}
