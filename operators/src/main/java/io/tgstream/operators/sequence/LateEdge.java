package io.tgstream.operators.sequence;

/** An event that arrived after its batch had closed: what a dead letter with reason {@code late} is made from. */
public class LateEdge {
    /** The reason code of a late event's dead letter. */
    public static final String REASON = "late";

    public SequencedEdge edge;
    /** The batch that was open when it arrived. */
    public long openBatch;
    public String topic;
    /** Numbers the late events of a job from 0, checkpointed: unique, and the same when a replay repeats one. */
    public long index;

    public LateEdge() {}

    public LateEdge(SequencedEdge edge, long openBatch, String topic, long index) {
        this.edge = edge;
        this.openBatch = openBatch;
        this.topic = topic;
        this.index = index;
    }

    /** The explanation for people. */
    public String message() {
        return "event time " + edge.ts + " falls in batch " + edge.batch + ", but batch " + openBatch
                + " is already open; events must arrive in time order, at most one batch width apart";
    }
}
