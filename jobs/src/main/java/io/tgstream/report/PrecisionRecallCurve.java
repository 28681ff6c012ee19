package io.tgstream.report;

import java.util.Arrays;

/**
 * The precision-recall curve of positives' against negatives' scores, one point per distinct score threshold in
 * decreasing order: P_k = TP_k / (TP_k + FP_k) and R_k = TP_k / |positives| for the rule "score >= threshold_k", tied
 * scores entering together. Its average precision is the area under the step function that holds P_k on
 * (R_{k-1}, R_k]: AP = sum_k (R_k - R_{k-1}) P_k, scikit-learn's {@code average_precision_score}.
 */
public final class PrecisionRecallCurve {
    private final double[] thresholds;
    private final double[] precision;
    private final double[] recall;
    private final double averagePrecision;
    private final int positives;
    private final int negatives;

    private PrecisionRecallCurve(double[] thresholds, double[] precision, double[] recall, double averagePrecision,
                                 int positives, int negatives) {
        this.thresholds = thresholds;
        this.precision = precision;
        this.recall = recall;
        this.averagePrecision = averagePrecision;
        this.positives = positives;
        this.negatives = negatives;
    }

    /** The curve of {@code positives} against {@code negatives}; needs at least one positive and no NaN. */
    public static PrecisionRecallCurve of(float[] positives, float[] negatives) {
        if (positives.length == 0) {
            throw new IllegalArgumentException("a precision-recall curve needs at least one positive score");
        }
        float[] p = positives.clone();
        float[] n = negatives.clone();
        Arrays.sort(p);
        Arrays.sort(n);
        int points = distinct(p, n);
        double[] thr = new double[points];
        double[] prec = new double[points];
        double[] rec = new double[points];
        // Walk both sorted arrays from the top, one distinct threshold at a time.
        int i = p.length - 1;
        int j = n.length - 1;
        long tp = 0;
        long fp = 0;
        double ap = 0;
        double previousRecall = 0;
        for (int k = 0; k < points; k++) {
            float t = i < 0 ? n[j] : j < 0 ? p[i] : Math.max(p[i], n[j]);
            if (Float.isNaN(t)) {
                throw new IllegalArgumentException("a score is NaN");
            }
            while (i >= 0 && Float.compare(p[i], t) == 0) { tp++; i--; }
            while (j >= 0 && Float.compare(n[j], t) == 0) { fp++; j--; }
            thr[k] = t;
            rec[k] = (double) tp / p.length;
            prec[k] = (double) tp / (tp + fp);
            ap += (rec[k] - previousRecall) * prec[k];
            previousRecall = rec[k];
        }
        return new PrecisionRecallCurve(thr, prec, rec, ap, p.length, n.length);
    }

    /** How many distinct values the two sorted arrays hold together. */
    private static int distinct(float[] a, float[] b) {
        int i = 0;
        int j = 0;
        int count = 0;
        while (i < a.length || j < b.length) {
            float v = i >= a.length ? b[j] : j >= b.length ? a[i] : Math.min(a[i], b[j]);
            while (i < a.length && Float.compare(a[i], v) == 0) i++;
            while (j < b.length && Float.compare(b[j], v) == 0) j++;
            count++;
        }
        return count;
    }

    /** Number of points: distinct thresholds. */
    public int size() {
        return thresholds.length;
    }

    /** The k-th threshold, decreasing in k. */
    public double threshold(int k) {
        return thresholds[k];
    }

    public double precision(int k) {
        return precision[k];
    }

    public double recall(int k) {
        return recall[k];
    }

    /** AP = sum_k (R_k - R_{k-1}) P_k. */
    public double averagePrecision() {
        return averagePrecision;
    }

    public int positives() {
        return positives;
    }

    public int negatives() {
        return negatives;
    }

    /** The precision of a random ranking: |positives| / (|positives| + |negatives|). */
    public double prevalence() {
        return (double) positives / (positives + negatives);
    }
}
