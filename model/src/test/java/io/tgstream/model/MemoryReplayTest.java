package io.tgstream.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.tgstream.data.EdgeStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** The evaluation replay on a hand-made stream: who changes, when, and what a score may see. */
class MemoryReplayTest {
    private final EdgeStream stream = SmallStreams.tenEvents();
    private final MemoryModel model =
            new MemoryModel(SmallStreams.tinyConfig(2, EmbeddingKind.TIME_PROJECTION, false), DataType.FLOAT);

    private int node(String id) {
        return stream.nodeIndexOfKey(io.tgstream.data.NodeKeys.of(id));
    }

    private float[] memory(MemoryReplay r, String id) {
        float[] m = new float[4];
        r.table().copyMemory(node(id), m, 0);
        return m;
    }

    @Test
    void onlyTouchedNodesChangeAndLastUpdateIsTheirLastEventInTheBatch() {
        MemoryReplay replay = new MemoryReplay(model, stream);
        replay.apply(new int[] {0, 1, 2});          // a-b @10, c-d @20, a-c @30
        assertThat(replay.table().lastUpdate(node("a"))).isEqualTo(30);
        assertThat(replay.table().lastUpdate(node("b"))).isEqualTo(10);
        assertThat(replay.table().lastUpdate(node("c"))).isEqualTo(30);
        assertThat(replay.table().lastUpdate(node("d"))).isEqualTo(20);
        assertThat(replay.table().lastUpdate(node("e"))).isEqualTo(0);
        assertThat(memory(replay, "e")).containsOnly(0f);
        assertThat(memory(replay, "a")).isNotEqualTo(new float[4]);

        float[] dBefore = memory(replay, "d");
        float[] eBefore = memory(replay, "e");
        replay.apply(new int[] {3, 4});             // b-d @40, a-b @50
        assertThat(memory(replay, "c")).as("c took no part").isEqualTo(memory(replay, "c"));
        assertThat(replay.table().lastUpdate(node("c"))).isEqualTo(30);
        assertThat(memory(replay, "d")).isNotEqualTo(dBefore);
        assertThat(memory(replay, "e")).isEqualTo(eBefore);
        assertThat(replay.table().lastUpdate(node("d"))).isEqualTo(40);
        assertThat(replay.table().lastUpdate(node("b"))).isEqualTo(50);
    }

    @Test
    void scoringChangesNothingAndABatchIsScoredBeforeItsEventsApply() {
        MemoryReplay replay = new MemoryReplay(model, stream);
        replay.apply(new int[] {0, 1, 2, 3, 4});
        int[] src = {node("e"), node("c")};
        int[] dst = {node("a"), node("b")};
        long[] t = {60, 70};
        float[] before = replay.score(src, dst, t);
        assertThat(replay.score(src, dst, t)).as("scoring twice gives the same scores").isEqualTo(before);
        replay.apply(new int[] {5, 6});             // the events (e, a) @60 and (c, b) @70 themselves
        assertThat(replay.score(src, dst, t)).as("once applied, they change the state").isNotEqualTo(before);
    }

    @Test
    void resetForgetsEverything() {
        MemoryReplay replay = new MemoryReplay(model, stream);
        int[] src = {node("a")};
        int[] dst = {node("b")};
        long[] t = {100};
        float[] fresh = replay.score(src, dst, t);
        replay.apply(new int[] {0, 1, 2, 3, 4});
        replay.reset();
        assertThat(replay.score(src, dst, t)).isEqualTo(fresh);
        assertThat(replay.table().lastUpdate(node("a"))).isZero();
    }
}
