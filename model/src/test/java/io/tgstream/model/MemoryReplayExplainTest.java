package io.tgstream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tgstream.data.EdgeStream;
import io.tgstream.data.NodeKeys;
import io.tgstream.model.nat.CommonNeighbour;
import io.tgstream.model.nat.HopCodes;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** Explanations of a replay with dictionaries: which neighbours both ends know, at which hops, and the score. */
class MemoryReplayExplainTest {
    private final EdgeStream stream = SmallStreams.tenEvents();

    private int node(String id) {
        return stream.nodeIndexOfKey(NodeKeys.of(id));
    }

    @Test
    void listsTheCommonNeighboursWithTheirHopsAndTheScoreOfThePair() {
        MemoryModel model = new MemoryModel(SmallStreams.tinyConfig(2, EmbeddingKind.TIME_PROJECTION, false),
                SmallStreams.tinyParts(true), DataType.FLOAT);
        MemoryReplay replay = new MemoryReplay(model, stream);
        // a-b @10, c-d @20, a-c @30, b-d @40 as one batch each (hop-2 copies come from start-of-batch hop-1)
        for (int e = 0; e < 4; e++) {
            replay.apply(new int[] {e});
        }
        long t = 45;
        MemoryReplay.Explanation x = replay.explain(node("a"), node("d"), t);
        assertThat(x.score()).isEqualTo(replay.score(new int[] {node("a")}, new int[] {node("d")}, new long[] {t})[0]);
        // a knows b and c at hop 1 and d at hop 2 (c's hop 1 at a-c); d knows b and c at hop 1 and a at hop 2
        // (b's hop 1 at b-d): b and c are common at hops (1, 1), d at (2, 0) and a at (0, 2)
        assertThat(x.commonNeighbours()).extracting(CommonNeighbour::key).containsExactlyInAnyOrder(
                NodeKeys.of("a"), NodeKeys.of("b"), NodeKeys.of("c"), NodeKeys.of("d"));
        for (CommonNeighbour c : x.commonNeighbours()) {
            assertThat(HopCodes.common(c.code())).isTrue();
            int[] hops = c.key() == NodeKeys.of("a") ? new int[] {0, 2}
                    : c.key() == NodeKeys.of("d") ? new int[] {2, 0} : new int[] {1, 1};
            assertThat(new int[] {c.uHop(), c.vHop()}).as("hops of %d", c.key()).containsExactly(hops);
            assertThat(c.weight()).isBetween(0.0, 1.0);
        }
        assertThat(x.jointEntries()).isEqualTo(4);
        for (int i = 1; i < x.commonNeighbours().size(); i++) {
            assertThat(x.commonNeighbours().get(i - 1).weight()).isGreaterThanOrEqualTo(
                    x.commonNeighbours().get(i).weight());
        }
        // e never took part: no common neighbour with anyone
        assertThat(replay.explain(node("e"), node("a"), t).commonNeighbours()).isEmpty();
    }

    @Test
    void scoresOfManyPairsAreScoredInChunksWithTheSameValues() {
        EdgeStream s = SmallStreams.random(200, 12, 2, 9);
        MemoryModel model = new MemoryModel(SmallStreams.tinyConfig(2, EmbeddingKind.TIME_PROJECTION, false),
                SmallStreams.tinyParts(true), DataType.FLOAT);
        MemoryReplay replay = new MemoryReplay(model, s);
        for (int from = 0; from < 200; from += 50) {
            int[] events = new int[50];
            for (int i = 0; i < 50; i++) events[i] = from + i;
            replay.apply(events);
        }
        int n = MemoryReplay.MAX_PAIRS_PER_CALL + 7;
        int[] u = new int[n];
        int[] v = new int[n];
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            u[i] = i % 12;
            v[i] = (i * 5 + 1) % 12;
            t[i] = 1000 + i % 3;
        }
        float[] all = replay.score(u, v, t);
        for (int i : new int[] {0, 5, MemoryReplay.MAX_PAIRS_PER_CALL - 1, MemoryReplay.MAX_PAIRS_PER_CALL, n - 1}) {
            float one = replay.score(new int[] {u[i]}, new int[] {v[i]}, new long[] {t[i]})[0];
            assertThat(all[i]).as("pair %d", i).isCloseTo(one, org.assertj.core.data.Offset.offset(1e-6f));
        }
    }

    @Test
    void aMemoryOnlyModelHasNothingToExplainWith() {
        MemoryModel model = new MemoryModel(SmallStreams.tinyConfig(2, EmbeddingKind.TIME_PROJECTION, false),
                DataType.FLOAT);
        MemoryReplay replay = new MemoryReplay(model, stream);
        assertThatThrownBy(() -> replay.explain(node("a"), node("b"), 5)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("--dictionaries");
    }
}
