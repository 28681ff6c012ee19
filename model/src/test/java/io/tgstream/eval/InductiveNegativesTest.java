package io.tgstream.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.tgstream.data.EdgeStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Why hist and ind negatives are the same in the inductive setting, derived by hand on a 40-event stream.
 *
 * <p>Times 1..40, one event each. Training (t <= q_val = 28.3): the cycle a>b, b>c, c>d, d>a, a>c, b>d, c>a four
 * times. Validation (28.3 < t <= q_test = 34.15): 29 a>c, 30 x>c, 31 b>d, 32 y>c, 33 c>d, 34 x>d. Test: 35 x>a,
 * 36 y>b, 37 a>b, 38 x>b, 39 y>a, 40 x>a. Six nodes, so floor(0.1 * 6) = 0 are masked; x and y are new (never in
 * training). Last training time 28, last validation time 34. Batches of B = 2.
 *
 * <p>Inductive test: the sampler knows only the new-node test events (35, 36, 38, 39, 40), all after the last observed
 * time 34, so ind's "observed" set is empty and ind's candidates are hist's:
 * <ul>
 *   <li>batch [35, 36]: pairs of [35, 35] = {x>a} minus the window's {x>a, y>b} = none; random pairs from
 *   {x, y} x {a, b} minus the positives {x>a, y>b}: exactly {x>b, y>a}.</li>
 *   <li>batch [38, 39]: pairs of [35, 38] = {x>a, y>b, x>b} minus {x>b, y>a}: exactly {x>a, y>b}.</li>
 *   <li>batch [40]: pairs of [35, 40] minus {x>a}: one of {y>b, x>b, y>a}.</li>
 * </ul>
 * Inductive validation (new-node events 30, 32, 34; last observed 28): batch [30, 32] has no candidate, so random
 * {x, y} x {c, d} minus {x>c, y>c} = exactly {x>d, y>d}; batch [34] draws one of {x>c, y>c}.
 *
 * <p>Transductive test, for contrast (sampler over the whole stream): ind keeps only pairs first seen after 34. Batch
 * [37, 38]: first seen in (34, 37] = {x>a, y>b}, minus the window's {a>b, x>b}: exactly {x>a, y>b}; hist draws 2 of
 * the 11 pairs first seen by 37 other than a>b and x>b. Batch [39, 40]: ind exactly {y>b, x>b}.
 */
class InductiveNegativesTest {
    private static final EdgeStream S = stream();
    private static final EvalConfig B2 = EvalConfig.defaults().withBatchSize(2);

    private static EdgeStream stream() {
        EdgeStream.Builder b = EdgeStream.builder("hand", "s", 0);
        String[][] cycle = {{"a", "b"}, {"b", "c"}, {"c", "d"}, {"d", "a"}, {"a", "c"}, {"b", "d"}, {"c", "a"}};
        long t = 1;
        for (int r = 0; r < 4; r++) {
            for (String[] p : cycle) b.add(p[0], p[1], t++, null, 0, 1);
        }
        String[][] late = {{"a", "c"}, {"x", "c"}, {"b", "d"}, {"y", "c"}, {"c", "d"}, {"x", "d"},
                {"x", "a"}, {"y", "b"}, {"a", "b"}, {"x", "b"}, {"y", "a"}, {"x", "a"}};
        for (String[] p : late) b.add(p[0], p[1], t++, null, 0, 1);
        return b.build();
    }

    /** The negatives of each scoring call, as "src>dst" names in draw order. */
    private static final class NegativeRecorder implements LinkScorer {
        final List<List<String>> negatives = new ArrayList<>();
        final List<Long> firstPositiveTime = new ArrayList<>();

        @Override public void reset() {
            negatives.clear();
            firstPositiveTime.clear();
        }

        @Override public float[] score(int[] src, int[] dst, long[] t) {
            int n = src.length / 2; // no MRR: positives, then one negative each
            List<String> neg = new ArrayList<>();
            for (int i = n; i < 2 * n; i++) neg.add(S.nodeId(src[i]) + ">" + S.nodeId(dst[i]));
            negatives.add(neg);
            firstPositiveTime.add(t[0]);
            return new float[src.length];
        }

        @Override public void observe(EdgeBatch batch) {}
    }

    private static NegativeRecorder run(EvalSetting setting, NegativeKind kind) {
        NegativeRecorder r = new NegativeRecorder();
        new LinkPredictionEvaluator(ChronologicalSplit.of(S), B2).evaluate(r, setting, kind, null);
        return r;
    }

    private static int[] events(long... times) {
        int[] out = new int[times.length];
        for (int i = 0; i < times.length; i++) out[i] = S.firstEventAtOrAfter(times[i]);
        return out;
    }

    private static int node(String id) {
        for (int v = 0; v < S.nodeCount(); v++) if (S.nodeId(v).equals(id)) return v;
        throw new IllegalArgumentException(id);
    }

    private static List<String> names(int[][] neg) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < neg[0].length; i++) out.add(S.nodeId(neg[0][i]) + ">" + S.nodeId(neg[1][i]));
        return out;
    }

    @Test
    void theHandMadeSplitIsTheOneTheDerivationAssumes() {
        ChronologicalSplit split = ChronologicalSplit.of(S);
        assertThat(split.maskedNodeCount()).isZero();
        assertThat(split.lastTrainingTime()).isEqualTo(28);
        assertThat(split.lastValidationTime()).isEqualTo(34);
        assertThat(split.scoredEvents(false, EvalSetting.INDUCTIVE)).containsExactly(events(30, 32, 34));
        assertThat(split.scoredEvents(true, EvalSetting.INDUCTIVE)).containsExactly(events(35, 36, 38, 39, 40));
        assertThat(split.isTrainingNode(node("x"))).isFalse();
        assertThat(split.isTrainingNode(node("a"))).isTrue();
    }

    @Test
    void onNewNodeEventsIndHasNothingToExcludeAndDrawsExactlyWhatHistDraws() {
        int[] test = events(35, 36, 38, 39, 40);
        long seed = SeedMixer.mix(EvalConfig.DEFAULT_SEED, EvalSetting.INDUCTIVE.testSamplerSeed());
        NegativeEdgeSampler hist = new NegativeEdgeSampler(S, test, NegativeKind.HIST, 34, seed);
        NegativeEdgeSampler ind = new NegativeEdgeSampler(S, test, NegativeKind.IND, 34, seed);
        int[][] batches = {{35, 36}, {38, 39}, {40}};
        List<Set<String>> expected = List.of(Set.of("x>b", "y>a"), Set.of("x>a", "y>b"), Set.of("y>b", "x>b", "y>a"));
        for (int b = 0; b < batches.length; b++) {
            int n = batches[b].length;
            int[] ps = new int[n];
            int[] pd = new int[n];
            for (int i = 0; i < n; i++) {
                int e = S.firstEventAtOrAfter(batches[b][i]);
                ps[i] = S.src(e);
                pd[i] = S.dst(e);
            }
            List<String> h = names(hist.sample(b, ps, pd, batches[b][0], batches[b][n - 1]));
            List<String> d = names(ind.sample(b, ps, pd, batches[b][0], batches[b][n - 1]));
            assertThat(d).as("batch %d", b).containsExactlyElementsOf(h);
            assertThat(expected.get(b)).containsAll(h);
            if (n == 2) assertThat(new HashSet<>(h)).isEqualTo(expected.get(b)); // all of them, no repeat
        }
    }

    @Test
    void inductivePassesDrawTheHandDerivedNegativesAndTheSameForHistAndInd() {
        NegativeRecorder hist = run(EvalSetting.INDUCTIVE, NegativeKind.HIST);
        NegativeRecorder ind = run(EvalSetting.INDUCTIVE, NegativeKind.IND);
        // validation [30, 32], [34]; test [35, 36], [38, 39], [40]
        assertThat(hist.firstPositiveTime).containsExactly(30L, 34L, 35L, 38L, 40L);
        assertThat(ind.negatives).isEqualTo(hist.negatives);
        List<Set<String>> allowed = List.of(Set.of("x>d", "y>d"), Set.of("x>c", "y>c"),
                Set.of("x>b", "y>a"), Set.of("x>a", "y>b"), Set.of("y>b", "x>b", "y>a"));
        for (int k = 0; k < allowed.size(); k++) {
            List<String> neg = hist.negatives.get(k);
            assertThat(allowed.get(k)).as("call %d", k).containsAll(neg);
            if (neg.size() == 2) assertThat(new HashSet<>(neg)).isEqualTo(allowed.get(k));
        }
    }

    @Test
    void transductivePassesOfTheSameStreamDoDifferBecauseIndExcludesPairsSeenByTheLastObservedTime() {
        NegativeRecorder hist = run(EvalSetting.TRANSDUCTIVE, NegativeKind.HIST);
        NegativeRecorder ind = run(EvalSetting.TRANSDUCTIVE, NegativeKind.IND);
        // validation [29, 30], [31, 32], [33, 34]; test [35, 36], [37, 38], [39, 40]
        assertThat(ind.firstPositiveTime).containsExactly(29L, 31L, 33L, 35L, 37L, 39L);
        assertThat(new HashSet<>(ind.negatives.get(4))).isEqualTo(Set.of("x>a", "y>b"));
        assertThat(new HashSet<>(ind.negatives.get(5))).isEqualTo(Set.of("y>b", "x>b"));
        Set<String> histBatch4 = Set.of("b>c", "c>d", "d>a", "a>c", "b>d", "c>a", "x>c", "y>c", "x>d", "x>a", "y>b");
        assertThat(histBatch4).containsAll(hist.negatives.get(4));
        assertThat(hist.negatives).isNotEqualTo(ind.negatives);
    }
}
