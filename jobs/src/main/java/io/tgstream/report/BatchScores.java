package io.tgstream.report;

import java.util.Arrays;

/** The scores of one temporal batch: its positive edges' and its sampled negatives', in any order. */
public final class BatchScores {
    private final float[] positives;
    private final float[] negatives;

    /** Copies both arrays; NaN scores are refused (they have no place on a precision-recall curve). */
    public BatchScores(float[] positives, float[] negatives) {
        this.positives = checked(positives, "positive");
        this.negatives = checked(negatives, "negative");
    }

    private static float[] checked(float[] scores, String kind) {
        if (scores == null) {
            throw new IllegalArgumentException("the " + kind + " scores of a batch must not be null");
        }
        for (float s : scores) {
            if (Float.isNaN(s)) {
                throw new IllegalArgumentException("a " + kind + " score is NaN");
            }
        }
        return scores.clone();
    }

    public float[] positives() {
        return positives.clone();
    }

    public float[] negatives() {
        return negatives.clone();
    }

    public int positiveCount() {
        return positives.length;
    }

    public int negativeCount() {
        return negatives.length;
    }

    /** This batch's precision-recall curve; needs at least one positive. */
    public PrecisionRecallCurve curve() {
        return PrecisionRecallCurve.of(positives, negatives);
    }

    @Override
    public String toString() {
        return "BatchScores[" + Arrays.toString(positives) + " vs " + Arrays.toString(negatives) + "]";
    }
}
