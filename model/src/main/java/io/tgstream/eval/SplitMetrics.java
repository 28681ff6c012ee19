package io.tgstream.eval;

/**
 * The metrics of one scored split (validation or test): AP and ROC-AUC averaged over batches of positives (the
 * published form), AP over all scores at once, and, when computed, MRR and Hits@10 (NaN otherwise).
 */
public record SplitMetrics(int positives, int batches, double ap, double auc, double globalAp, double mrr,
                           double hitsAt10) {
    /** Metrics of a split that had no positives to score. */
    public static SplitMetrics empty() {
        return new SplitMetrics(0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    public boolean hasMrr() { return !Double.isNaN(mrr); }
}
