package io.tgstream.operators.sequence;

/**
 * Which scoring request a probe belongs to, and where: candidate {@code index} of {@code size}. A Flink POJO carried by
 * the probe through the loop, so that the answers can be put back together.
 */
public class RequestSlot {
    public String requestId;
    public int index;
    public int size;
    /** K of a top-K request; 0 when the client named the candidates. */
    public int topK;

    public RequestSlot() {}

    public RequestSlot(String requestId, int index, int size, int topK) {
        this.requestId = requestId;
        this.index = index;
        this.size = size;
        this.topK = topK;
    }

    @Override
    public String toString() {
        return requestId + "[" + index + "/" + size + (topK > 0 ? " top " + topK : "") + "]";
    }
}
