package io.tgstream.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.tgstream.data.EdgeStream;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Events: a>b@1, a>c@2, b>c@3, c>a@4, a>d@5, b>d@6, then the batch a>b@7, d>a@8.
 * hist candidates at batch start 7: pairs first seen <= 7 minus pairs occurring in [7, 8] (a>b, d>a):
 * {a>c, b>c, c>a, a>d, b>d}. ind with last observed time 4: only pairs first seen in (4, 7]: {a>d, b>d}.
 */
class NegativeEdgeSamplerTest {
    private static final EdgeStream S = EdgeStream.builder("n", "s", 0)
            .add("a", "b", 1, null, 0, 1).add("a", "c", 2, null, 0, 1).add("b", "c", 3, null, 0, 1)
            .add("c", "a", 4, null, 0, 1).add("a", "d", 5, null, 0, 1).add("b", "d", 6, null, 0, 1)
            .add("a", "b", 7, null, 0, 1).add("d", "a", 8, null, 0, 1).build();
    // node indices: a0 b1 c2 d3
    private static final int[] ALL = {0, 1, 2, 3, 4, 5, 6, 7};
    private static final int[] POS_SRC = {0, 3};
    private static final int[] POS_DST = {1, 0};

    private static Set<String> pairs(int[][] neg) {
        Set<String> out = new HashSet<>();
        for (int i = 0; i < neg[0].length; i++) out.add(S.nodeId(neg[0][i]) + ">" + S.nodeId(neg[1][i]));
        return out;
    }

    @Test
    void randomKeepsSourceAndDrawsUniqueDestinations() {
        NegativeEdgeSampler rnd = new NegativeEdgeSampler(S, ALL, NegativeKind.RND, 4, 7);
        Set<Integer> seen = new HashSet<>();
        for (int b = 0; b < 50; b++) {
            int[][] neg = rnd.sample(b, POS_SRC, POS_DST, 7, 8);
            assertThat(neg[0]).containsExactly(POS_SRC);
            for (int d : neg[1]) seen.add(d);
        }
        assertThat(seen).containsExactlyInAnyOrder(0, 1, 2, 3); // destinations a, b, c, d all occur as dst
    }

    @Test
    void historicalDrawsDistinctPastPairsOutsideTheBatchWindow() {
        NegativeEdgeSampler hist = new NegativeEdgeSampler(S, ALL, NegativeKind.HIST, 4, 7);
        Set<String> all = new HashSet<>();
        for (int b = 0; b < 60; b++) {
            int[][] neg = hist.sample(b, POS_SRC, POS_DST, 7, 8);
            Set<String> p = pairs(neg);
            assertThat(p).hasSize(2); // without replacement, both endpoints from the drawn pair
            all.addAll(p);
        }
        assertThat(all).containsExactlyInAnyOrder("a>c", "b>c", "c>a", "a>d", "b>d");
    }

    @Test
    void inductiveExcludesPairsSeenByTheLastObservedTime() {
        NegativeEdgeSampler ind = new NegativeEdgeSampler(S, ALL, NegativeKind.IND, 4, 7);
        for (int b = 0; b < 10; b++) {
            assertThat(pairs(ind.sample(b, POS_SRC, POS_DST, 7, 8))).containsExactlyInAnyOrder("a>d", "b>d");
        }
    }

    @Test
    void tooFewCandidatesAreToppedUpWithRandomPairsOutsideTheBatch() {
        // last observed 5: only b>d is left; the other negative is a random (unique src x unique dst) pair
        NegativeEdgeSampler ind = new NegativeEdgeSampler(S, ALL, NegativeKind.IND, 5, 7);
        Set<String> randoms = new HashSet<>();
        for (int b = 0; b < 200; b++) {
            int[][] neg = ind.sample(b, POS_SRC, POS_DST, 7, 8);
            Set<String> p = pairs(neg);
            assertThat(p).contains("b>d");
            for (String x : p) {
                assertThat(x).isNotIn("a>b", "d>a"); // the batch's own pairs are never negatives
                if (!x.equals("b>d")) randoms.add(x);
            }
        }
        // sources {a, b, c, d} x destinations {a, b, c, d} minus the 2 batch pairs: 14 possible (b>d can repeat)
        assertThat(randoms.size()).isGreaterThan(8).isLessThanOrEqualTo(14);
    }

    @Test
    void sameSeedAndBatchGiveTheSameNegativesOthersDiffer() {
        NegativeEdgeSampler one = new NegativeEdgeSampler(S, ALL, NegativeKind.HIST, 4, 7);
        NegativeEdgeSampler two = new NegativeEdgeSampler(S, ALL, NegativeKind.HIST, 4, 7);
        NegativeEdgeSampler other = new NegativeEdgeSampler(S, ALL, NegativeKind.HIST, 4, 8);
        boolean anyDiffers = false;
        for (int b = 0; b < 20; b++) {
            int[][] x = one.sample(b, POS_SRC, POS_DST, 7, 8);
            int[][] y = two.sample(b, POS_SRC, POS_DST, 7, 8);
            assertThat(x[0]).containsExactly(y[0]);
            assertThat(x[1]).containsExactly(y[1]);
            int[][] z = other.sample(b, POS_SRC, POS_DST, 7, 8);
            anyDiffers |= !pairs(x).equals(pairs(z));
        }
        assertThat(anyDiffers).isTrue();
    }
}
