package io.tgstream.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tgstream.data.EdgeStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LinkPredictionEvaluatorTest {
    private static final EdgeStream S = SyntheticStreams.random(4000, 300, 5);

    /** Records what it was shown; scores every pair by a fixed function of the pair. */
    private static final class RecordingScorer implements LinkScorer {
        final List<Integer> observedAtScoreCall = new ArrayList<>();
        final List<Long> newestObservedAtScoreCall = new ArrayList<>();
        final List<Integer> observedEvents = new ArrayList<>();
        long newest = Long.MIN_VALUE;

        @Override public void reset() {
            observedEvents.clear();
            newest = Long.MIN_VALUE;
        }

        @Override public float[] score(int[] src, int[] dst, long[] t) {
            observedAtScoreCall.add(observedEvents.size());
            newestObservedAtScoreCall.add(newest);
            float[] out = new float[src.length];
            for (int i = 0; i < src.length; i++) out[i] = ((src[i] * 31 + dst[i]) % 7) / 7f;
            return out;
        }

        @Override public void observe(EdgeBatch b) {
            for (int i = 0; i < b.size(); i++) {
                observedEvents.add(b.event(i));
                newest = Math.max(newest, b.timestamp(i));
            }
        }
    }

    @Test
    void scoresEachBatchBeforeItsEventsAndObservesEveryKeptEventOnce() {
        ChronologicalSplit split = ChronologicalSplit.of(S);
        EvalConfig cfg = EvalConfig.defaults().withBatchSize(150);
        RecordingScorer scorer = new RecordingScorer();
        EvalResult r = new LinkPredictionEvaluator(split, cfg).evaluate(scorer, EvalSetting.TRANSDUCTIVE, NegativeKind.HIST, null);

        // every observed event once, in order; masked training events never
        List<Integer> expected = new ArrayList<>();
        for (int e = 0; e < S.size(); e++) if (split.isObserved(e)) expected.add(e);
        assertThat(scorer.observedEvents).containsExactlyElementsOf(expected);
        assertThat(expected.size()).isLessThan(S.size());

        // score call k (validation batches, then test batches) saw exactly the kept events before the batch's first
        int[] val = split.scoredEvents(false, EvalSetting.TRANSDUCTIVE);
        int[] test = split.scoredEvents(true, EvalSetting.TRANSDUCTIVE);
        List<Integer> firsts = new ArrayList<>();
        for (int c = 0; c < val.length; c += 150) firsts.add(val[c]);
        for (int c = 0; c < test.length; c += 150) firsts.add(test[c]);
        assertThat(scorer.observedAtScoreCall).hasSize(firsts.size());
        for (int k = 0; k < firsts.size(); k++) {
            int first = firsts.get(k);
            long keptBefore = expected.stream().filter(e -> e < first).count();
            assertThat(scorer.observedAtScoreCall.get(k)).isEqualTo((int) keptBefore);
            assertThat(scorer.newestObservedAtScoreCall.get(k)).isLessThanOrEqualTo(S.timestamp(first));
        }
        assertThat(r.test().positives()).isEqualTo(test.length);
        assertThat(r.validation().positives()).isEqualTo(val.length);
        assertThat(r.test().batches()).isEqualTo((test.length + 149) / 150);
    }

    @Test
    void inductiveScoresOnlyNewNodeEventsButObservesEverything() {
        ChronologicalSplit split = ChronologicalSplit.of(S);
        RecordingScorer scorer = new RecordingScorer();
        EvalResult r = new LinkPredictionEvaluator(split, EvalConfig.defaults())
                .evaluate(scorer, EvalSetting.INDUCTIVE, NegativeKind.RND, null);
        int newTest = 0;
        for (int e = split.firstTestEvent(); e < S.size(); e++) if (split.isNewNodeEvent(e)) newTest++;
        assertThat(r.test().positives()).isEqualTo(newTest).isLessThan(S.size() - split.firstTestEvent());
        long kept = 0;
        for (int e = 0; e < S.size(); e++) if (split.isObserved(e)) kept++;
        assertThat(scorer.observedEvents).hasSize((int) kept);
    }

    @Test
    void sameSeedSameNumbersOtherSeedOtherNegatives() {
        ChronologicalSplit split = ChronologicalSplit.of(S);
        EvalResult a = new LinkPredictionEvaluator(split, EvalConfig.defaults())
                .evaluate(new RecordingScorer(), EvalSetting.TRANSDUCTIVE, NegativeKind.RND, null);
        EvalResult b = new LinkPredictionEvaluator(split, EvalConfig.defaults())
                .evaluate(new RecordingScorer(), EvalSetting.TRANSDUCTIVE, NegativeKind.RND, null);
        EvalResult c = new LinkPredictionEvaluator(split, EvalConfig.defaults().withSeed(1))
                .evaluate(new RecordingScorer(), EvalSetting.TRANSDUCTIVE, NegativeKind.RND, null);
        assertThat(b.test().ap()).isEqualTo(a.test().ap());
        assertThat(b.validation().auc()).isEqualTo(a.validation().auc());
        assertThat(c.test().ap()).isNotEqualTo(a.test().ap());
    }

    @Test
    void constantScorerRanksHalfwayAndScoresHalf() {
        ChronologicalSplit split = ChronologicalSplit.of(S);
        LinkScorer constant = new LinkScorer() {
            @Override public void reset() { }
            @Override public float[] score(int[] src, int[] dst, long[] t) { return new float[src.length]; }
            @Override public void observe(EdgeBatch b) { }
        };
        EvalConfig cfg = EvalConfig.defaults().withMrr(true, false);
        EvalResult r = new LinkPredictionEvaluator(split, cfg).evaluate(constant, EvalSetting.TRANSDUCTIVE, NegativeKind.IND, null);
        assertThat(r.test().ap()).isEqualTo(0.5);
        assertThat(r.test().auc()).isEqualTo(0.5);
        // 300 destinations, K = 100 candidates, all tied: rank 1 + 50
        assertThat(r.test().mrr()).isCloseTo(1 / 51.0, within(1e-12));
        assertThat(r.test().hitsAt10()).isZero();
    }

    @Test
    void trueDestinationsAtTheSameTimeAreNotNegatives() {
        // Oracle: 1 for any pair that occurs at that exact time. Without filtering, other true destinations of
        // the source at that time would tie with the positive and pull MRR below 1.
        Set<String> truth = new HashSet<>();
        for (int e = 0; e < S.size(); e++) truth.add(S.src(e) + ">" + S.dst(e) + "@" + S.timestamp(e));
        LinkScorer oracle = new LinkScorer() {
            @Override public void reset() { }
            @Override public float[] score(int[] src, int[] dst, long[] t) {
                float[] out = new float[src.length];
                for (int i = 0; i < src.length; i++) out[i] = truth.contains(src[i] + ">" + dst[i] + "@" + t[i]) ? 1 : 0;
                return out;
            }
            @Override public void observe(EdgeBatch b) { }
        };
        ChronologicalSplit split = ChronologicalSplit.of(S);
        EvalResult all = new LinkPredictionEvaluator(split, EvalConfig.defaults().withMrr(true, true))
                .evaluate(oracle, EvalSetting.TRANSDUCTIVE, NegativeKind.RND, null);
        assertThat(all.test().mrr()).isEqualTo(1.0);
        assertThat(all.test().hitsAt10()).isEqualTo(1.0);
    }

    @Test
    void edgeBankOnSyntheticDataBeatsChanceWithRandomNegatives() {
        ChronologicalSplit split = ChronologicalSplit.of(S);
        EvalResult r = new LinkPredictionEvaluator(split, EvalConfig.defaults())
                .evaluate(new EdgeBank(EdgeBankMode.UNLIMITED), EvalSetting.TRANSDUCTIVE, NegativeKind.RND, null);
        assertThat(r.test().ap()).isGreaterThan(0.55);
    }
}
