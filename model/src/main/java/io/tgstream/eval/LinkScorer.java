package io.tgstream.eval;

/**
 * What the evaluator drives: a model that scores candidate links from its current state and then observes events.
 *
 * <p>The evaluator replays the stream in temporal batches: it asks for the scores of a batch's query pairs before
 * that batch's events reach the scorer, then hands the batch to {@link #observe}. Node indices are those of the
 * {@link io.tgstream.data.EdgeStream} being evaluated.
 */
public interface LinkScorer {
    /** Forgets everything observed, back to the state before the first event. */
    void reset();

    /**
     * Scores of the links (src[i], dst[i]) at times t[i]: higher means more likely. Must not change the state: scoring
     * the same pairs twice gives the same scores.
     */
    float[] score(int[] src, int[] dst, long[] t);

    /** Applies one temporal batch of events (in time order) to the state. */
    void observe(EdgeBatch batch);
}
