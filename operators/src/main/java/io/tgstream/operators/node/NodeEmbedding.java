package io.tgstream.operators.node;

/** A node's embedding right after a batch changed its state (time delta 0). A Flink POJO. */
public class NodeEmbedding {
    public String nodeId;
    /** The node's last update time (event time of its last event in the batch). */
    public long ts;
    public long batch;
    public float[] vector;

    public NodeEmbedding() {}

    public NodeEmbedding(String nodeId, long ts, long batch, float[] vector) {
        this.nodeId = nodeId;
        this.ts = ts;
        this.batch = batch;
        this.vector = vector;
    }
}
