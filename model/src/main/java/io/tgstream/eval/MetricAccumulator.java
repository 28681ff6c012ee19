package io.tgstream.eval;

import java.util.Arrays;

/** Collects the scores of one split batch by batch and turns them into {@link SplitMetrics}. */
final class MetricAccumulator {
    private double apSum;
    private double aucSum;
    private int batches;
    private float[] allPos = new float[1024];
    private float[] allNeg = new float[1024];
    private int np;
    private int nn;
    private double reciprocalRankSum;
    private int hits;
    private int ranked;

    /** Adds one batch: the positives' scores and their negatives' scores. */
    void addBatch(float[] pos, float[] neg) {
        apSum += AveragePrecision.of(pos, neg);
        aucSum += RocAuc.of(pos, neg);
        batches++;
        allPos = append(allPos, np, pos);
        np += pos.length;
        allNeg = append(allNeg, nn, neg);
        nn += neg.length;
    }

    /** Adds one ranked positive. */
    void addRank(double rank, int hitsK) {
        reciprocalRankSum += 1.0 / rank;
        if (rank <= hitsK) hits++;
        ranked++;
    }

    private static float[] append(float[] all, int n, float[] add) {
        if (n + add.length > all.length) all = Arrays.copyOf(all, Math.max(all.length * 2, n + add.length));
        System.arraycopy(add, 0, all, n, add.length);
        return all;
    }

    SplitMetrics result() {
        if (batches == 0) return SplitMetrics.empty();
        double mrr = ranked == 0 ? Double.NaN : reciprocalRankSum / ranked;
        double h = ranked == 0 ? Double.NaN : (double) hits / ranked;
        return new SplitMetrics(np, batches, apSum / batches, aucSum / batches,
                AveragePrecision.of(allPos, np, allNeg, nn), mrr, h);
    }
}
