package io.tgstream.eval;

/**
 * The TGB-style rank of a positive among its negative candidates, ties counting half:
 * rank = 1 + #{negatives scoring above} + 0.5 #{negatives scoring equal}; reciprocal rank = 1 / rank, and
 * Hits@k counts rank <= k.
 */
public final class RankOfPositive {
    private RankOfPositive() {}

    /** Rank of {@code positive} among {@code negatives[from..to)}. */
    public static double of(float positive, float[] negatives, int from, int to) {
        AveragePrecision.checkFinite(positive);
        int above = 0;
        int equal = 0;
        for (int i = from; i < to; i++) {
            float s = negatives[i];
            AveragePrecision.checkFinite(s);
            if (s > positive) above++;
            else if (s == positive) equal++;
        }
        return 1 + above + 0.5 * equal;
    }
}
