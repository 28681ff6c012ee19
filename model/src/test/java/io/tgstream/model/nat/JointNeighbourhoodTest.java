package io.tgstream.model.nat;

import static io.tgstream.model.nat.NatStreams.applyAndWrite;
import static io.tgstream.model.nat.NatStreams.node;
import static io.tgstream.model.nat.NatStreams.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tgstream.data.EdgeStream;
import io.tgstream.model.SmallStreams;
import org.junit.jupiter.api.Test;

class JointNeighbourhoodTest {
    private static final long SEED = 7;

    /** batch 1: (u, x), (y, x) at t = 1; batch 2: (v, y) at t = 2; then (p, q) at t = 20, applied only by some tests. */
    private static EdgeStream stream() {
        return NatStreams.of(new Object[][] {{"u", "x", 1}, {"y", "x", 1}, {"v", "y", 2}, {"p", "q", 20}});
    }

    private static NeighbourDictionaries twoBatches(EdgeStream s) {
        NeighbourDictionaries d = NeighbourDictionaries.forStream(s, DictionaryConfig.defaults(SEED));
        applyAndWrite(d, s, range(0, 2), 1f);   // u:x = 1, x:u = 2, y:x = 3, x:y = 4
        applyAndWrite(d, s, range(2, 3), 10f);  // v:y = 10, y:v = 11; v's hop-2 gains y's hop-1 {x (3)}
        return d;
    }

    private static void assertEntry(JointNeighbourhood j, EdgeStream s, int row, int entry, String id, int code,
                                    float value, float age) {
        String what = "row " + row + " entry " + entry + " (" + id + ")";
        assertThat(j.key(row, entry)).as(what).isEqualTo(s.nodeKey(node(s, id)));
        assertThat(j.code(row, entry)).as(what).isEqualTo(code);
        assertThat(j.value(row, entry, 0)).as(what).isEqualTo(value);
        assertThat(j.value(row, entry, 1)).as(what).isEqualTo(-value);
        assertThat(j.age(row, entry)).as(what).isEqualTo(age);
        assertThat(j.pendingRows(row, entry)).as(what).containsExactly(-1, -1);
    }

    @Test
    void hopCodesValuesAndAgesOfHandBuiltPairs() {
        EdgeStream s = stream();
        NeighbourDictionaries d = twoBatches(s);
        int u = node(s, "u");
        int v = node(s, "v");
        int x = node(s, "x");
        JointNeighbourhood j = JointNeighbourhood.ofPairs(d, new int[] {u, u}, new int[] {v, x}, new long[] {10, 10});
        assertThat(j.slots()).isEqualTo(98);
        // (u, v): x is at hop 1 of u and hop 2 of v: code 2 + 32, values summed (1 + 3)
        assertThat(j.count(0)).isEqualTo(4);
        assertEntry(j, s, 0, 0, "u", 1, 0f, 9f);
        assertEntry(j, s, 0, 1, "x", 2 + 32, 4f, 9f);
        assertEntry(j, s, 0, 2, "v", 8, 0f, 8f);
        assertEntry(j, s, 0, 3, "y", 16, 10f, 8f);
        // (u, x): x is u's hop-1 neighbour and v itself: 2 + 8; u is at hop 0 of u and hop 1 of x: 1 + 16
        assertThat(j.count(1)).isEqualTo(3);
        assertEntry(j, s, 1, 0, "u", 1 + 16, 2f, 9f);
        assertEntry(j, s, 1, 1, "x", 2 + 8, 1f, 9f);
        assertEntry(j, s, 1, 2, "y", 16, 4f, 9f);
        for (int e = 4; e < 98; e++) {
            assertThat(j.code(0, e)).isZero();
            assertThat(j.mask()[e]).isZero();
        }
        assertThat(j.mask()[3]).isEqualTo(1f);
        assertThat(HopCodes.common(34)).isTrue();
        assertThat(HopCodes.common(16)).isFalse();
        assertThat(HopCodes.nearestHop(34, 0)).isEqualTo(1);
        assertThat(HopCodes.nearestHop(34, 1)).isEqualTo(2);
    }

    @Test
    void nodesWithoutEventsHaveOnlyTheirHopZeroEntryAtAgeZero() {
        EdgeStream s = stream();
        NeighbourDictionaries d = twoBatches(s);
        int p = node(s, "p");
        int q = node(s, "q");
        JointNeighbourhood j = JointNeighbourhood.ofPairs(d, new int[] {p, p}, new int[] {q, p}, new long[] {20, 20});
        assertThat(j.count(0)).isEqualTo(2);
        assertEntry(j, s, 0, 0, "p", 1, 0f, 0f);
        assertEntry(j, s, 0, 1, "q", 8, 0f, 0f);
        assertThat(j.count(1)).isEqualTo(1);
        assertEntry(j, s, 1, 0, "p", 1 + 8, 0f, 0f);
    }

    @Test
    void valuesWaitingForTheirRefreshArePointedToNotAdded() {
        EdgeStream s = stream();
        NeighbourDictionaries d = twoBatches(s);
        RefreshRequests r = d.applyBatch(s, range(3, 4));  // (p, q): row 0 = p's value for q, row 1 = q's for p
        int p = node(s, "p");
        int q = node(s, "q");
        JointNeighbourhood j = JointNeighbourhood.ofPairs(d, new int[] {p}, new int[] {q}, new long[] {30});
        assertThat(j.count(0)).isEqualTo(2);
        assertThat(j.code(0, 0)).isEqualTo(1 + 16);
        assertThat(j.pendingRows(0, 0)).containsExactly(1, -1);
        assertThat(j.code(0, 1)).isEqualTo(2 + 8);
        assertThat(j.pendingRows(0, 1)).containsExactly(0, -1);
        assertThat(j.value(0, 0, 0)).isZero();
        assertThat(j.age(0, 0)).isEqualTo(10f);
        // a self pair reads the same pending slot from both sides
        JointNeighbourhood self = JointNeighbourhood.ofPairs(d, new int[] {p}, new int[] {p}, new long[] {30});
        assertThat(self.code(0, 1)).isEqualTo(2 + 16);
        assertThat(self.pendingRows(0, 1)).containsExactly(0, 0);
        d.writeRefreshed(r, new float[] {5, 6, 0, 0, 7, 8, 0, 0});
        JointNeighbourhood after = JointNeighbourhood.ofPairs(d, new int[] {p}, new int[] {q}, new long[] {30});
        assertThat(after.pendingRows(0, 0)).containsExactly(-1, -1);
        assertThat(after.value(0, 0, 0)).isEqualTo(7f);
        assertThat(after.value(0, 1, 1)).isEqualTo(6f);
    }

    @Test
    void ownNeighbourhoodOfANode() {
        EdgeStream s = stream();
        NeighbourDictionaries d = twoBatches(s);
        JointNeighbourhood j = JointNeighbourhood.ofNodes(d, new int[] {node(s, "v")}, new long[] {5});
        assertThat(j.slots()).isEqualTo(49);
        assertThat(j.count(0)).isEqualTo(3);
        assertEntry(j, s, 0, 0, "v", 1, 0f, 3f);
        assertEntry(j, s, 0, 1, "y", 2, 10f, 3f);
        assertEntry(j, s, 0, 2, "x", 4, 3f, 4f);
    }

    @Test
    void everyEntryOfBothDictionariesIsMergedExactlyOnce() {
        // against a direct count on a random stream: the number of distinct keys and each key's code
        EdgeStream s = SmallStreams.random(4000, 60, 0, 9);
        NeighbourDictionaries d = NeighbourDictionaries.forStream(s, DictionaryConfig.defaults(SEED));
        NatStreams.replay(d, s, 100);
        int pairs = 300;
        int[] u = new int[pairs];
        int[] v = new int[pairs];
        long[] t = new long[pairs];
        java.util.SplittableRandom random = new java.util.SplittableRandom(1);
        for (int i = 0; i < pairs; i++) {
            u[i] = random.nextInt(s.nodeCount());
            v[i] = random.nextInt(s.nodeCount());
            t[i] = s.lastTimestamp();
        }
        JointNeighbourhood j = JointNeighbourhood.ofPairs(d, u, v, t);
        JointNeighbourhood again = JointNeighbourhood.ofPairs(d, u, v, t);
        for (int i = 0; i < pairs; i++) {
            java.util.Map<Long, Integer> expected = new java.util.LinkedHashMap<>();
            int[] ends = {u[i], v[i]};
            for (int side = 0; side < 2; side++) {
                int x = ends[side];
                expected.merge(d.nodeKey(x), HopCodes.bit(side, 0), Integer::sum);
                for (int sl = 0; sl < 32; sl++) {
                    if (d.hop1Occupied(x, sl)) expected.merge(d.hop1Key(x, sl), HopCodes.bit(side, 1), Integer::sum);
                }
                for (int sl = 0; sl < 16; sl++) {
                    if (d.hop2Occupied(x, sl)) expected.merge(d.hop2Key(x, sl), HopCodes.bit(side, 2), Integer::sum);
                }
            }
            assertThat(j.count(i)).isEqualTo(expected.size());
            int e = 0;
            for (java.util.Map.Entry<Long, Integer> want : expected.entrySet()) {
                assertThat(j.key(i, e)).isEqualTo(want.getKey());
                assertThat(j.code(i, e)).isEqualTo(want.getValue());
                assertThat(again.key(i, e)).isEqualTo(want.getKey());
                e++;
            }
        }
    }

    @Test
    void mismatchedPairArraysAreRejected() {
        EdgeStream s = stream();
        NeighbourDictionaries d = twoBatches(s);
        assertThatThrownBy(() -> JointNeighbourhood.ofPairs(d, new int[] {0}, new int[] {1, 2}, new long[] {1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pairs need");
    }
}
