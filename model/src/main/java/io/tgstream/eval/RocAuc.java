package io.tgstream.eval;

import java.util.Arrays;

/**
 * Area under the ROC curve, as scikit-learn's {@code roc_auc_score} for two classes: the probability that a random
 * positive scores above a random negative, ties counting half:
 * AUC = (#{(p, n): s_p > s_n} + 0.5 #{(p, n): s_p = s_n}) / (|P| |N|).
 */
public final class RocAuc {
    private RocAuc() {}

    public static double of(float[] positives, float[] negatives) {
        return of(positives, positives.length, negatives, negatives.length);
    }

    /** AUC over the first {@code np} positives and {@code nn} negatives; needs both classes. */
    public static double of(float[] positives, int np, float[] negatives, int nn) {
        if (np == 0 || nn == 0) throw new IllegalArgumentException("ROC-AUC needs at least one positive and one negative");
        float[] p = Arrays.copyOf(positives, np);
        float[] n = Arrays.copyOf(negatives, nn);
        Arrays.sort(p);
        Arrays.sort(n);
        // For each positive: negatives strictly below it, plus half of those equal to it (two-pointer merge).
        double wins = 0;
        int below = 0;
        int upTo = 0;
        for (int i = 0; i < np; i++) {
            float s = p[i];
            AveragePrecision.checkFinite(s);
            while (below < nn && n[below] < s) below++;
            if (upTo < below) upTo = below;
            while (upTo < nn && Float.compare(n[upTo], s) == 0) upTo++;
            wins += below + 0.5 * (upTo - below);
        }
        return wins / ((double) np * nn);
    }
}
