package io.tgstream.eval;

/**
 * Settings of an evaluation pass: temporal batch size B (events per scored batch), the run seed (mixed into every
 * negative draw), whether to rank for MRR and against how many negatives (or all destinations), and whether the
 * validation split is scored as well as the test split.
 */
public record EvalConfig(int batchSize, long seed, boolean mrr, boolean mrrAll, int mrrNegatives, boolean validation) {
    /** DyGLib's and TGN's batch of 200 positives. */
    public static final int DEFAULT_BATCH_SIZE = 200;
    /** TGB's number of negatives per positive for ranking. */
    public static final int DEFAULT_MRR_NEGATIVES = 100;
    /** The run seed unless one is given. */
    public static final long DEFAULT_SEED = 0;
    /** The k of Hits@k. */
    public static final int HITS_K = 10;

    public EvalConfig {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        if (mrrNegatives < 1) throw new IllegalArgumentException("MRR negatives must be >= 1, got " + mrrNegatives);
    }

    /** Default batch size and seed, no MRR, validation scored. */
    public static EvalConfig defaults() {
        return new EvalConfig(DEFAULT_BATCH_SIZE, DEFAULT_SEED, false, false, DEFAULT_MRR_NEGATIVES, true);
    }

    public EvalConfig withBatchSize(int b) { return new EvalConfig(b, seed, mrr, mrrAll, mrrNegatives, validation); }
    public EvalConfig withSeed(long s) { return new EvalConfig(batchSize, s, mrr, mrrAll, mrrNegatives, validation); }
    /** Ranking on (against K negatives, or all destinations when {@code all}). */
    public EvalConfig withMrr(boolean on, boolean all) {
        return new EvalConfig(batchSize, seed, on || all, all, mrrNegatives, validation);
    }
    public EvalConfig withValidation(boolean v) { return new EvalConfig(batchSize, seed, mrr, mrrAll, mrrNegatives, v); }
}
