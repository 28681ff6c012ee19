package io.tgstream.operators.requests;

import java.util.Arrays;

/** The assembled answer to one scoring request: destinations and scores, in the order they are reported. A POJO. */
public class RequestAnswer {
    public String requestId;
    public String srcId;
    public long ts;
    public long batch;
    /** K of a top-K request, 0 for named candidates. */
    public int topK;
    /** Candidates scored. */
    public int considered;
    public String[] dst;
    public float[] score;

    public RequestAnswer() {}

    @Override
    public String toString() {
        return "RequestAnswer{" + requestId + ": " + srcId + " batch " + batch + " " + Arrays.toString(dst) + " "
                + Arrays.toString(score) + '}';
    }
}
