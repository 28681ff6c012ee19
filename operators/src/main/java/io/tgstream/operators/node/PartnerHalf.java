package io.tgstream.operators.node;

import io.tgstream.state.NodeState;

/**
 * What one endpoint of an event sends the other through the feedback loop: its state as of the end of the previous
 * batch (memory, last update, recent partners). A Flink POJO.
 */
public class PartnerHalf {
    /** The receiving node's key. */
    public long target;
    /** Whether the receiver is the event's source side. */
    public boolean toSource;
    public long seq;
    public long batch;
    public float[] memory;
    public long lastUpdate;
    public float[] partnerValues;
    public long[] partnerTimes;
    public int partnerCount;

    public PartnerHalf() {}

    /** The half of {@code sender}'s state for the other side of {@code request}. */
    public static PartnerHalf of(NodeRequest request, NodeState sender) {
        PartnerHalf h = new PartnerHalf();
        h.target = request.partner;
        h.toSource = !request.source;
        h.seq = request.seq;
        h.batch = request.batch;
        h.memory = new float[sender.memoryDim()];
        sender.copyMemory(h.memory, 0);
        h.lastUpdate = sender.lastUpdate();
        h.partnerValues = sender.partnerValues();
        h.partnerTimes = sender.partnerTimes();
        h.partnerCount = sender.partnerCount();
        return h;
    }

    @Override
    public String toString() {
        return "PartnerHalf{#" + seq + " batch " + batch + " to " + (toSource ? "src " : "dst ") + target + '}';
    }
}
