package io.tgstream.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tgstream.data.EdgeEvent;
import io.tgstream.data.EdgeStream;
import io.tgstream.model.EmbeddingKind;
import io.tgstream.model.MemoryModel;
import io.tgstream.model.MemoryModelConfig;
import io.tgstream.model.MemoryReplay;
import io.tgstream.model.ModelParts;
import io.tgstream.model.PresCorrection;
import io.tgstream.model.nat.DictionaryCodec;
import io.tgstream.model.SmallStreams;
import io.tgstream.nn.GradientCheck;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** The training step: the whole model's gradient, the batch contract, and parity with the evaluation replay. */
class TrainingStepTest {

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) r[i] = from + i;
        return r;
    }

    /** A step after two committed batches, so that the third reads fresh memories, PRES statistics, partner lists
     * and dictionaries; the third batch's gradients are accumulated once, ready to be compared. */
    private record ThirdBatch(MemoryModel model, TrainingStep step, int[] batch, int[] negativeSources,
                              int[] batchNegatives) {
        static ThirdBatch of(MemoryModel model, EdgeStream stream) {
            return of(model, stream, null);
        }

        /** With negative pairs (negativeSources[i], negative i) in the third batch (null: the batch's sources). */
        static ThirdBatch of(MemoryModel model, EdgeStream stream, int[] negativeSources) {
            TrainingStep step = new TrainingStep(model, stream);
            for (int k = 0; k < 2; k++) {
                int[] events = range(10 * k, 10 * k + 10);
                step.commit(events, step.forwardBackward(events, TrainingStepTest.negatives(stream, events)));
            }
            int[] events = range(20, 30);
            int[] drawn = TrainingStepTest.negatives(stream, events);
            model.parameters().zeroGradients();
            step.forwardBackward(events, negativeSources, drawn);
            return new ThirdBatch(model, step, events, negativeSources, drawn);
        }

        double loss() {
            return step.forwardBackward(batch, negativeSources, batchNegatives).loss();
        }

        /** Every parameter's gradient against central finite differences of the batch loss. */
        void check() {
            // step 1e-4: the whole-model loss carries more rounding noise than one layer; stride 7 keeps it short
            GradientCheck.checkParameters(model.parameters(), this::loss, 1e-4, 7);
        }
    }

    @ParameterizedTest(name = "dictionaries {0}, memory {1}")
    @CsvSource({"false, true", "true, true", "true, false"})
    void negativePairsWithTheirOwnSourcesGetTheGradientOfFiniteDifferences(boolean dictionaries, boolean memory) {
        EdgeStream stream = SmallStreams.random(30, 6, 2, 3);
        MemoryModelConfig config = SmallStreams.tinyConfig(2, EmbeddingKind.TIME_PROJECTION, false);
        MemoryModel model = dictionaries ? new MemoryModel(config, SmallStreams.tinyParts(memory), DataType.DOUBLE)
                : new MemoryModel(config, DataType.DOUBLE);
        int[] events = range(20, 30);
        int[] ownSources = new int[events.length];
        int[] otherSources = new int[events.length];
        for (int i = 0; i < events.length; i++) {
            ownSources[i] = stream.src(events[i]);
            otherSources[i] = (stream.src(events[i]) + 1 + i % 2) % stream.nodeCount();
        }
        ThirdBatch own = ThirdBatch.of(model, stream, ownSources);
        // the batch's own sources passed explicitly are the default pairing (rows read twice, same values)
        assertThat(own.loss()).isCloseTo(ThirdBatch.of(model, stream).loss(), within(1e-12));
        ThirdBatch other = ThirdBatch.of(model, stream, otherSources);
        // other sources change the negatives' logits, or the step would be ignoring them
        assertThat(Math.abs(other.loss() - own.loss())).isGreaterThan(1e-6);
        // the losses above accumulated gradients: one clean pass before the check
        model.parameters().zeroGradients();
        other.loss();
        other.check();
    }

    @ParameterizedTest(name = "{0}, PRES {1}")
    @CsvSource({"TIME_PROJECTION, false", "TIME_PROJECTION, true", "RECENT_PARTNERS, false", "RECENT_PARTNERS, true"})
    void wholeModelGradientMatchesFiniteDifferences(EmbeddingKind kind, boolean pres) {
        EdgeStream stream = SmallStreams.random(30, 6, 2, 3);
        MemoryModel model = new MemoryModel(SmallStreams.tinyConfig(2, kind, pres), DataType.DOUBLE);
        ThirdBatch third = ThirdBatch.of(model, stream);
        third.check();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"TIME_PROJECTION", "RECENT_PARTNERS"})
    void learnedPresGammaGetsTheGradientOfFiniteDifferences(EmbeddingKind kind) {
        EdgeStream stream = SmallStreams.random(30, 6, 2, 3);
        MemoryModel model = new MemoryModel(SmallStreams.tinyConfig(2, kind, true).withPresGammaLearnable(true),
                DataType.DOUBLE);
        ThirdBatch third = ThirdBatch.of(model, stream);
        // gamma starts at the config's value and gets a gradient, or the check below would pass with it frozen
        assertThat(model.presGamma()).isEqualTo(0.7);
        assertThat(Math.abs(model.parameters().get("memory.pres.gamma").gradient().getDouble(0))).isGreaterThan(0);
        third.check();
    }

    @ParameterizedTest(name = "{0}, gamma learned {1}")
    @CsvSource({"TIME_PROJECTION, false", "TIME_PROJECTION, true", "RECENT_PARTNERS, true"})
    void droppedMessagesCorrectionGradientMatchesFiniteDifferences(EmbeddingKind kind, boolean learned) {
        EdgeStream stream = SmallStreams.random(30, 6, 2, 3);
        MemoryModel model = new MemoryModel(SmallStreams.tinyConfig(2, kind, true)
                .withPresCorrection(PresCorrection.DROPPED).withPresGammaLearnable(learned), DataType.DOUBLE);
        ThirdBatch third = ThirdBatch.of(model, stream);
        if (learned) {
            // 30 events over 6 nodes in batches of 10: nodes have dropped messages, so gamma must get a gradient
            assertThat(Math.abs(model.parameters().get("memory.pres.gamma").gradient().getDouble(0))).isGreaterThan(0);
        }
        third.check();
    }

    @ParameterizedTest(name = "PRES {0}")
    @CsvSource({"false", "true"})
    void logTimeProjectionGradientMatchesFiniteDifferences(boolean pres) {
        EdgeStream stream = SmallStreams.random(30, 6, 2, 3);
        MemoryModel model = new MemoryModel(SmallStreams.tinyConfig(2, EmbeddingKind.TIME_PROJECTION, pres)
                .withLogTimeProjection(true), DataType.DOUBLE);
        ThirdBatch.of(model, stream).check();
    }

    @ParameterizedTest(name = "memory {0}, {1}, PRES {2}")
    @CsvSource({"true, TIME_PROJECTION, false", "true, RECENT_PARTNERS, true", "false, TIME_PROJECTION, false"})
    void fullModelGradientMatchesFiniteDifferences(boolean memory, EmbeddingKind kind, boolean pres) {
        EdgeStream stream = SmallStreams.random(30, 6, 2, 3);
        MemoryModel model = new MemoryModel(SmallStreams.tinyConfig(2, kind, pres), SmallStreams.tinyParts(memory),
                DataType.DOUBLE);
        ThirdBatch third = ThirdBatch.of(model, stream);
        // the value refresh and the scorer must both receive a gradient, or the check would pass with them cut off
        assertThat(model.parameters().get("nat.refresh.gru.weight_ih").gradient().amaxNumber().doubleValue())
                .isGreaterThan(0);
        assertThat(model.parameters().get("nat.scorer.code.weight").gradient().amaxNumber().doubleValue())
                .isGreaterThan(0);
        if (memory) {
            assertThat(model.parameters().get("memory.gru.weight_ih").gradient().amaxNumber().doubleValue())
                    .isGreaterThan(0);
        }
        third.check();
    }

    @ParameterizedTest(name = "memory {0}")
    @CsvSource({"true", "false"})
    void fullModelTrainingStoresExactlyWhatTheReplayComputes(boolean memory) {
        EdgeStream stream = SmallStreams.random(60, 8, 2, 5);
        MemoryModel model = new MemoryModel(SmallStreams.tinyConfig(2, EmbeddingKind.TIME_PROJECTION, true),
                SmallStreams.tinyParts(memory), DataType.FLOAT);
        TrainingStep step = new TrainingStep(model, stream);
        MemoryReplay replay = new MemoryReplay(model, stream);
        MemoryReplay scorer = new MemoryReplay(model, stream);
        for (int k = 0; k < 6; k++) {
            int[] events = range(10 * k, 10 * k + 10);
            TrainingStep.Outcome o = step.forwardBackward(events, negatives(stream, events));
            // the training loss equals the loss of the replay's scores (state as of the end of the previous batch)
            int[] src = new int[10];
            int[] dst = new int[10];
            int[] neg = negatives(stream, events);
            long[] t = new long[10];
            for (int i = 0; i < 10; i++) {
                src[i] = stream.src(events[i]);
                dst[i] = stream.dst(events[i]);
                t[i] = stream.timestamp(events[i]);
            }
            double expected = bce(scorer.score(src, dst, t), 1) + bce(scorer.score(src, neg, t), 0);
            double coherence = o.loss() - expected;
            assertThat(coherence).as("batch %d: loss beyond the BCE (the coherence term)", k)
                    .isBetween(-1e-4, memory ? 0.2 : 1e-4);
            step.commit(events, o);
            scorer.apply(events);
            if (k > 0) {
                replay.apply(range(10 * (k - 1), 10 * k));
            }
            for (int node = 0; node < stream.nodeCount(); node++) {
                for (int i = 0; i < 4; i++) {
                    assertThat(step.table().memory(node, i)).isEqualTo(replay.table().memory(node, i));
                }
            }
        }
        // training writes batch k's refreshed values at batch k + 1; completed at the end, the dictionaries agree
        step.completeRefresh();
        replay.apply(range(50, 60));
        for (int node = 0; node < stream.nodeCount(); node++) {
            assertThat(DictionaryCodec.encode(step.dictionaries(), node)).as("node %d", node)
                    .isEqualTo(DictionaryCodec.encode(replay.dictionaries(), node));
        }
    }

    private static double bce(float[] p, int target) {
        double s = 0;
        for (float x : p) s -= Math.log(target == 1 ? x : 1 - x);
        return s / p.length;
    }

    private static int[] negatives(EdgeStream stream, int[] events) {
        int[] n = new int[events.length];
        for (int i = 0; i < n.length; i++) n[i] = (events[i] * 7 + 3) % stream.nodeCount();
        return n;
    }

    @ParameterizedTest(name = "{0}, PRES {1}")
    @CsvSource({"TIME_PROJECTION, false", "RECENT_PARTNERS, true"})
    void trainingStoresExactlyWhatTheReplayComputes(EmbeddingKind kind, boolean pres) {
        EdgeStream stream = SmallStreams.random(60, 8, 2, 5);
        MemoryModel model = new MemoryModel(SmallStreams.tinyConfig(2, kind, pres), DataType.FLOAT);
        TrainingStep step = new TrainingStep(model, stream);
        MemoryReplay replay = new MemoryReplay(model, stream);
        for (int k = 0; k < 6; k++) {
            int[] events = range(10 * k, 10 * k + 10);
            step.commit(events, step.forwardBackward(events, negatives(stream, events)));
            if (k > 0) {
                replay.apply(range(10 * (k - 1), 10 * k)); // training commits batch k-1 at batch k
            }
            for (int node = 0; node < stream.nodeCount(); node++) {
                assertThat(step.table().lastUpdate(node)).isEqualTo(replay.table().lastUpdate(node));
                for (int i = 0; i < 4; i++) {
                    assertThat(step.table().memory(node, i)).isEqualTo(replay.table().memory(node, i));
                }
            }
        }
    }

    @Test
    void aBatchsOwnEventsNeverReachItsLoss() {
        EdgeStream stream = SmallStreams.tenEvents();
        EdgeStream changed = withFeaturesOfEventsFrom(stream, 5, 100f);
        MemoryModelConfig config = SmallStreams.tinyConfig(2, EmbeddingKind.TIME_PROJECTION, false);
        double[] lossA = lossesOfThreeBatches(new MemoryModel(config, DataType.DOUBLE), stream);
        double[] lossB = lossesOfThreeBatches(new MemoryModel(config, DataType.DOUBLE), changed);
        // events 5..9 form batch 2 (events 5..6) ... : batches are [0,5), [5,8), [8,10)
        assertThat(lossB[0]).isEqualTo(lossA[0]);
        assertThat(lossB[1]).as("batch [5, 8) must not see its own features").isEqualTo(lossA[1]);
        assertThat(lossB[2]).as("the next batch does see them, through the memory update").isNotEqualTo(lossA[2]);
    }

    private static double[] lossesOfThreeBatches(MemoryModel model, EdgeStream stream) {
        TrainingStep step = new TrainingStep(model, stream);
        int[][] batches = {range(0, 5), range(5, 8), range(8, 10)};
        double[] losses = new double[3];
        for (int k = 0; k < 3; k++) {
            TrainingStep.Outcome o = step.forwardBackward(batches[k], negatives(stream, batches[k]));
            losses[k] = o.loss();
            step.commit(batches[k], o);
        }
        return losses;
    }

    private static EdgeStream withFeaturesOfEventsFrom(EdgeStream s, int from, float value) {
        List<EdgeEvent> events = new ArrayList<>();
        for (int e = 0; e < s.size(); e++) {
            EdgeEvent ev = s.event(e);
            float[] f = e >= from ? new float[] {value, value} : ev.features();
            events.add(new EdgeEvent(ev.srcId(), ev.dstId(), ev.timestamp(), f, ev.label(), ev.sign()));
        }
        return EdgeStream.of(s.name(), s.timeUnit(), s.featureDim(), events);
    }
}
