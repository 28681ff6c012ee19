package io.tgstream.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** AP, ROC-AUC, rank and batch averaging against cases computed by hand (in the comments). */
class BinaryMetricsTest {

    @Test
    void averagePrecisionWithoutTies() {
        // thresholds .9 (P 1, R .5), .6 (R .5), .4 (P 2/3, R 1), .1 (R 1): AP = .5 * 1 + .5 * 2/3
        assertThat(AveragePrecision.of(new float[] {0.9f, 0.4f}, new float[] {0.6f, 0.1f}))
                .isCloseTo(0.5 + 0.5 * 2 / 3.0, within(1e-12));
        assertThat(AveragePrecision.of(new float[] {3, 2}, new float[] {1, 0})).isEqualTo(1.0);
    }

    @Test
    void averagePrecisionStepsOverTiedThresholds() {
        // pos {1,1,0}, neg {1,0,0}: threshold 1 -> tp 2, fp 1 (P 2/3, R 2/3); threshold 0 -> tp 3, fp 3 (P 1/2, R 1)
        // AP = 2/3 * 2/3 + 1/3 * 1/2 = 11/18 (sklearn's step-wise value; interpolation would give more)
        assertThat(AveragePrecision.of(new float[] {1, 1, 0}, new float[] {1, 0, 0})).isCloseTo(11 / 18.0, within(1e-12));
        // all tied: one threshold, P = 1/2, R = 1
        assertThat(AveragePrecision.of(new float[] {0, 0}, new float[] {0, 0})).isEqualTo(0.5);
    }

    @Test
    void rocAucCountsTiesHalf() {
        // pairs: .9>.6, .9>.1, .4<.6, .4>.1 -> 3/4
        assertThat(RocAuc.of(new float[] {0.9f, 0.4f}, new float[] {0.6f, 0.1f})).isEqualTo(0.75);
        // pos {1,1,0} vs neg {1,0,0}: each 1 wins 2 and ties 1 (2.5), the 0 ties 2 (1.0): 6/9
        assertThat(RocAuc.of(new float[] {1, 1, 0}, new float[] {1, 0, 0})).isCloseTo(6 / 9.0, within(1e-12));
        assertThat(RocAuc.of(new float[] {2, 2}, new float[] {2})).isEqualTo(0.5);
    }

    @Test
    void rankCountsTiesHalf() {
        // one above, two equal: 1 + 1 + 0.5 * 2
        assertThat(RankOfPositive.of(0.5f, new float[] {9, 0.7f, 0.5f, 0.5f, 0.1f}, 1, 5)).isEqualTo(3.0);
        assertThat(RankOfPositive.of(1f, new float[] {0, 0}, 0, 2)).isEqualTo(1.0);
    }

    @Test
    void batchAveragesDifferFromGlobalAp() {
        MetricAccumulator acc = new MetricAccumulator();
        // batch 1: pos {1,0}, neg {0,0}: AP = .5*1 + .5*.5 = .75; AUC = (2 + 1) / 4 = .75
        acc.addBatch(new float[] {1, 0}, new float[] {0, 0});
        // batch 2: pos {1}, neg {1}: AP = .5, AUC = .5
        acc.addBatch(new float[] {1}, new float[] {1});
        acc.addRank(2.0, 10);
        acc.addRank(20.0, 10);
        SplitMetrics m = acc.result();
        assertThat(m.batches()).isEqualTo(2);
        assertThat(m.positives()).isEqualTo(3);
        assertThat(m.ap()).isCloseTo(0.625, within(1e-12));
        assertThat(m.auc()).isCloseTo(0.625, within(1e-12));
        // global: pos {1,0,1}, neg {0,0,1}: threshold 1 -> P 2/3, R 2/3; threshold 0 -> P 1/2, R 1: 4/9 + 1/6
        assertThat(m.globalAp()).isCloseTo(4 / 9.0 + 1 / 6.0, within(1e-12));
        assertThat(m.mrr()).isCloseTo((0.5 + 0.05) / 2, within(1e-12));
        assertThat(m.hitsAt10()).isEqualTo(0.5);
    }
}
