package io.tgstream.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tgstream.eval.AveragePrecision;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PrecisionRecallCurveTest {
    @Test
    void pointsAndApOfATinyCaseEqualTheHandComputedOnes() {
        // Thresholds 0.9 (TP 1, FP 0), 0.6 (1, 1), 0.4 (2, 1), 0.1 (2, 2); AP = 1/2 * 1 + 1/2 * 2/3 = 5/6.
        PrecisionRecallCurve c = PrecisionRecallCurve.of(new float[] {0.4f, 0.9f}, new float[] {0.1f, 0.6f});
        assertThat(c.size()).isEqualTo(4);
        double[][] expected = {{0.9, 0.5, 1}, {0.6, 0.5, 0.5}, {0.4, 1, 2.0 / 3}, {0.1, 1, 0.5}};
        for (int k = 0; k < expected.length; k++) {
            assertThat(c.threshold(k)).as("threshold %d", k).isCloseTo(expected[k][0], within(1e-6));
            assertThat(c.recall(k)).as("recall %d", k).isCloseTo(expected[k][1], within(1e-12));
            assertThat(c.precision(k)).as("precision %d", k).isCloseTo(expected[k][2], within(1e-12));
        }
        assertThat(c.averagePrecision()).isCloseTo(5.0 / 6, within(1e-12));
        assertThat(c.prevalence()).isEqualTo(0.5);
    }

    @Test
    void tiedScoresEnterTogether() {
        // 0.8 holds one positive and one negative: one point (R 1, P 1/2), then 0.2 adds a negative (R 1, P 1/3).
        PrecisionRecallCurve c = PrecisionRecallCurve.of(new float[] {0.8f}, new float[] {0.8f, 0.2f});
        assertThat(c.size()).isEqualTo(2);
        assertThat(c.precision(0)).isEqualTo(0.5);
        assertThat(c.precision(1)).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(c.averagePrecision()).isEqualTo(0.5);
    }

    @Test
    void apEqualsTheEvaluatorsAveragePrecision() {
        SplittableRandom r = new SplittableRandom(7);
        for (int trial = 0; trial < 20; trial++) {
            float[] p = new float[1 + r.nextInt(50)];
            float[] n = new float[r.nextInt(80)];
            // Scores on a coarse grid, so that ties across and within the classes occur.
            for (int i = 0; i < p.length; i++) p[i] = r.nextInt(20) / 20f;
            for (int i = 0; i < n.length; i++) n[i] = r.nextInt(20) / 20f;
            assertThat(PrecisionRecallCurve.of(p, n).averagePrecision()).as("trial %d", trial)
                    .isCloseTo(AveragePrecision.of(p, n), within(1e-12));
        }
    }

    @Test
    void needsAPositiveAndNoNaN() {
        assertThatThrownBy(() -> PrecisionRecallCurve.of(new float[0], new float[] {0.5f}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one positive");
        assertThatThrownBy(() -> new BatchScores(new float[] {Float.NaN}, new float[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    }
}
