package io.tgstream.model.nat;

import static io.tgstream.model.nat.NatStreams.applyAndWrite;
import static io.tgstream.model.nat.NatStreams.node;
import static io.tgstream.model.nat.NatStreams.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tgstream.data.EdgeStream;
import io.tgstream.model.SmallStreams;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NeighbourDictionariesTest {
    private static final long SEED = 7;

    /** Expected slot content: time and first value component. */
    private record Slot(long time, float value) {
    }

    private static Map<String, Slot> slots(Object... keyTimeValue) {
        Map<String, Slot> m = new LinkedHashMap<>();
        for (int i = 0; i < keyTimeValue.length; i += 3) {
            m.put((String) keyTimeValue[i], new Slot(((Number) keyTimeValue[i + 1]).longValue(),
                    ((Number) keyTimeValue[i + 2]).floatValue()));
        }
        return m;
    }

    private static void assertTable(NeighbourDictionaries d, EdgeStream s, String owner, int hop,
                                    Map<String, Slot> expected) {
        int x = node(s, owner);
        int m = hop == 1 ? d.config().hop1Slots() : d.config().hop2Slots();
        assertThat(hop == 1 ? d.hop1Count(x) : d.hop2Count(x)).as("hop-%d size of %s", hop, owner)
                .isEqualTo(expected.size());
        for (Map.Entry<String, Slot> e : expected.entrySet()) {
            long key = s.nodeKey(node(s, e.getKey()));
            int slot = d.hash().slot(key, hop, m);
            String what = "hop-" + hop + " of " + owner + ", entry " + e.getKey();
            if (hop == 1) {
                assertThat(d.hop1Occupied(x, slot)).as(what).isTrue();
                assertThat(d.hop1Key(x, slot)).as(what).isEqualTo(key);
                assertThat(d.hop1Time(x, slot)).as(what).isEqualTo(e.getValue().time());
                assertThat(d.hop1Value(x, slot, 0)).as(what).isEqualTo(e.getValue().value());
            } else {
                assertThat(d.hop2Occupied(x, slot)).as(what).isTrue();
                assertThat(d.hop2Key(x, slot)).as(what).isEqualTo(key);
                assertThat(d.hop2Time(x, slot)).as(what).isEqualTo(e.getValue().time());
                assertThat(d.hop2Value(x, slot, 0)).as(what).isEqualTo(e.getValue().value());
            }
        }
    }

    private static EdgeStream abcd() {
        return NatStreams.of(new Object[][] {
            {"a", "b", 1}, {"b", "c", 2},      // batch 1
            {"c", "d", 3}, {"a", "c", 4},      // batch 2
            {"a", "b", 5}});                   // batch 3
    }

    @Test
    void slotHashIsTheDocumentedFormula() {
        SlotHash h = new SlotHash(SEED);
        long key = io.tgstream.data.NodeKeys.of("a");
        long g = 0x9e3779b97f4a7c15L;
        assertThat(h.slot(key, 1, 32)).isEqualTo((int) Long.remainderUnsigned(mix(key + mix(SEED + g)), 32));
        assertThat(h.slot(key, 2, 16)).isEqualTo((int) Long.remainderUnsigned(mix(key + mix(SEED + 2 * g)), 16));
        SlotHash.Draws draws = h.draws(42, key);
        long state = mix(SEED + mix(42 + mix(key)));
        for (int i = 0; i < 3; i++) {
            state += g;
            assertThat(draws.nextDouble()).isEqualTo((mix(state) >>> 11) * 0x1.0p-53);
        }
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    @Test
    void handMadeStreamGivesTheExactContentsAfterEachBatch() {
        EdgeStream s = abcd();
        NeighbourDictionaries d = NeighbourDictionaries.forStream(s, DictionaryConfig.defaults(SEED));
        // the premise of exact contents: no two of a..d share a slot in hop 1 or in hop 2
        for (int hop = 1; hop <= 2; hop++) {
            Set<Integer> used = new HashSet<>();
            for (String id : new String[] {"a", "b", "c", "d"}) {
                assertThat(used.add(d.hash().slot(s.nodeKey(node(s, id)), hop, hop == 1 ? 32 : 16)))
                        .as("slot of %s in hop %d is free", id, hop).isTrue();
            }
        }
        // batch 1: rows 0 (a: b), 1 (b: a), 2 (b: c), 3 (c: b) get values 0..3 (base 0)
        applyAndWrite(d, s, range(0, 2), 0f);
        assertTable(d, s, "a", 1, slots("b", 1, 0));
        assertTable(d, s, "b", 1, slots("a", 1, 1, "c", 2, 2));
        assertTable(d, s, "c", 1, slots("b", 2, 3));
        // the batch's own first event (b gains a) is invisible to its second: hop-2 copies start-of-batch hop-1s
        for (String x : new String[] {"a", "b", "c", "d"}) {
            assertTable(d, s, x, 2, slots());
        }
        // batch 2: rows 0 (c: d), 1 (d: c), 2 (a: c), 3 (c: a) get values 10..13
        applyAndWrite(d, s, range(2, 4), 10f);
        assertTable(d, s, "a", 1, slots("b", 1, 0, "c", 4, 12));
        assertTable(d, s, "c", 1, slots("b", 2, 3, "d", 3, 10, "a", 4, 13));
        assertTable(d, s, "d", 1, slots("c", 3, 11));
        // hop-2: the partner's hop-1 as of the start of batch 2, with its stored times and values
        assertTable(d, s, "d", 2, slots("b", 2, 3));
        assertTable(d, s, "a", 2, slots("b", 2, 3));
        assertTable(d, s, "c", 2, slots("b", 1, 0));
        assertTable(d, s, "b", 2, slots());
        // batch 3 (a, b) again: the refresh reads the stored value and the time since the pair last met
        RefreshRequests r = d.applyBatch(s, range(4, 5));
        assertThat(r.size()).isEqualTo(2);
        assertThat(r.owner(0)).isEqualTo(node(s, "a"));
        assertThat(r.neighbour(0)).isEqualTo(node(s, "b"));
        assertThat(r.oldValues()).containsExactly(0f, -0f, 0f, 0f, 1f, -1f, 0f, 0f);
        assertThat(r.timeDeltas()).containsExactly(4f, 4f);
        int a = node(s, "a");
        int slotOfB = d.findHop1(a, s.nodeKey(node(s, "b")));
        assertThat(d.hop1PendingRow(a, slotOfB)).isEqualTo(0);
        assertThatThrownBy(() -> d.applyBatch(s, range(4, 5))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("writeRefreshed");
        d.writeRefreshed(r, new float[] {7, 7, 7, 7, 8, 8, 8, 8});
        assertThat(d.hop1PendingRow(a, slotOfB)).isEqualTo(-1);
        assertTable(d, s, "a", 1, slots("b", 5, 7, "c", 4, 12));
        assertTable(d, s, "b", 1, slots("a", 5, 8, "c", 2, 2));
        // a's hop-2 gains b's start-of-batch hop-1 (a and c); b's gains a's (b and c)
        assertTable(d, s, "a", 2, slots("a", 1, 1, "b", 2, 3, "c", 2, 2));
        assertTable(d, s, "b", 2, slots("b", 1, 0, "c", 4, 12));
        assertThat(d.lastEventTime(a)).isEqualTo(5);
        assertThat(d.hasEvents(node(s, "d"))).isTrue();
    }

    @Test
    void oneBatchDiffersFromTwoBatchesExactlyByTheContract() {
        EdgeStream s = abcd();
        NeighbourDictionaries together = NeighbourDictionaries.forStream(s, DictionaryConfig.defaults(SEED));
        applyAndWrite(together, s, range(0, 2), 0f);
        NeighbourDictionaries apart = NeighbourDictionaries.forStream(s, DictionaryConfig.defaults(SEED));
        applyAndWrite(apart, s, range(0, 1), 0f);
        applyAndWrite(apart, s, range(1, 2), 2f);
        // apart: (b, c) comes after (a, b) is applied, so c's hop-2 copies b's hop-1 = {a}
        assertTable(apart, s, "c", 2, slots("a", 1, 1));
        assertTable(together, s, "c", 2, slots());
    }

    @Test
    void contestedSlotsAreReplacedByTheSeededDraws() {
        // one-slot tables: every new key contests the slot; alpha 0.5 makes both outcomes likely
        String[] partners = {"b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m"};
        Object[][] rows = new Object[partners.length][];
        for (int i = 0; i < partners.length; i++) {
            rows[i] = new Object[] {"a", partners[i], i + 1};
        }
        EdgeStream s = NatStreams.of(rows);
        DictionaryConfig config = new DictionaryConfig(1, 1, 2, 0.5, SEED);
        NeighbourDictionaries d = NeighbourDictionaries.forStream(s, config);
        SlotHash hash = new SlotHash(SEED);
        int a = node(s, "a");
        long keyA = s.nodeKey(a);
        String holder = null;
        int replaced = 0;
        int kept = 0;
        for (int e = 0; e < s.size(); e++) {
            applyAndWrite(d, s, new int[] {e}, e);
            String incoming = partners[e];
            if (holder == null || hash.draws(e, keyA).nextDouble() < 0.5) {
                if (holder != null) replaced++;
                holder = incoming;
            } else {
                kept++;
            }
            assertThat(d.hop1Key(a, 0)).as("a's only hop-1 slot after event %d", e)
                    .isEqualTo(s.nodeKey(node(s, holder)));
        }
        assertThat(replaced).as("some contests replaced").isPositive();
        assertThat(kept).as("some contests kept the old key").isPositive();
    }

    @Test
    void alphaOneAlwaysReplacesAndAlphaZeroNeverDoes() {
        EdgeStream s = NatStreams.of(new Object[][] {{"a", "b", 1}, {"a", "c", 2}, {"a", "d", 3}});
        for (double alpha : new double[] {0.0, 1.0}) {
            NeighbourDictionaries d = NeighbourDictionaries.forStream(s, new DictionaryConfig(1, 1, 1, alpha, SEED));
            NatStreams.replay(d, s, 1);
            String expected = alpha == 0.0 ? "b" : "d";
            assertThat(d.hop1Key(node(s, "a"), 0)).isEqualTo(s.nodeKey(node(s, expected)));
        }
    }

    @Test
    void sameSeedSameDictionariesAndAnotherSeedOthers() {
        EdgeStream s = SmallStreams.random(3000, 120, 0, 3);
        NeighbourDictionaries first = NeighbourDictionaries.forStream(s, DictionaryConfig.defaults(SEED));
        NeighbourDictionaries second = NeighbourDictionaries.forStream(s, DictionaryConfig.defaults(SEED));
        NeighbourDictionaries other = NeighbourDictionaries.forStream(s, DictionaryConfig.defaults(SEED + 1));
        NatStreams.replay(first, s, 50);
        NatStreams.replay(second, s, 50);
        NatStreams.replay(other, s, 50);
        boolean anyDifference = false;
        for (int x = 0; x < s.nodeCount(); x++) {
            assertThat(DictionaryCodec.encode(second, x)).isEqualTo(DictionaryCodec.encode(first, x));
            anyDifference |= !java.util.Arrays.equals(DictionaryCodec.encode(other, x),
                    DictionaryCodec.encode(first, x));
        }
        assertThat(anyDifference).isTrue();
    }
}
