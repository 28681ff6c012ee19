package io.tgstream.eval;

import java.util.Arrays;

/**
 * Average precision as scikit-learn's {@code average_precision_score}: AP = sum_k (R_k - R_{k-1}) P_k over the
 * distinct score thresholds in decreasing order, where P_k and R_k are precision and recall of "score >= threshold_k".
 * Tied scores enter together (a step function, no interpolation).
 */
public final class AveragePrecision {
    private AveragePrecision() {}

    /** AP of positives' scores against negatives' scores; needs at least one positive. */
    public static double of(float[] positives, float[] negatives) {
        return of(positives, positives.length, negatives, negatives.length);
    }

    /** AP over the first {@code np} positives and {@code nn} negatives. */
    public static double of(float[] positives, int np, float[] negatives, int nn) {
        if (np == 0) throw new IllegalArgumentException("average precision needs at least one positive");
        float[] p = Arrays.copyOf(positives, np);
        float[] n = Arrays.copyOf(negatives, nn);
        Arrays.sort(p);
        Arrays.sort(n);
        // Walk both sorted lists from the top, one distinct threshold at a time.
        int i = np - 1;
        int j = nn - 1;
        long tp = 0;
        long fp = 0;
        double ap = 0;
        double prevRecall = 0;
        while (i >= 0 || j >= 0) {
            float thr = i < 0 ? n[j] : j < 0 ? p[i] : Math.max(p[i], n[j]);
            checkFinite(thr);
            while (i >= 0 && Float.compare(p[i], thr) == 0) { tp++; i--; }
            while (j >= 0 && Float.compare(n[j], thr) == 0) { fp++; j--; }
            double recall = (double) tp / np;
            ap += (recall - prevRecall) * ((double) tp / (tp + fp));
            prevRecall = recall;
        }
        return ap;
    }

    static void checkFinite(float s) {
        if (Float.isNaN(s)) throw new IllegalArgumentException("a score is NaN");
    }
}
