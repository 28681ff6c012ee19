package io.tgstream.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.tgstream.data.EdgeStream;
import io.tgstream.data.NodeKeys;
import io.tgstream.eval.PairIndex;
import io.tgstream.model.SmallStreams;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Whole historical negative pairs: only recorded pairs, each direction as it happened, never the current batch's. */
class PastPairsTest {
    @Test
    void drawsOnlyRecordedPairsOutsideTheBatch() {
        EdgeStream s = SmallStreams.tenEvents();
        int a = s.nodeIndexOfKey(NodeKeys.of("a"));
        int b = s.nodeIndexOfKey(NodeKeys.of("b"));
        int c = s.nodeIndexOfKey(NodeKeys.of("c"));
        int d = s.nodeIndexOfKey(NodeKeys.of("d"));
        PastPairs past = new PastPairs();
        SplittableRandom random = new SplittableRandom(1);
        assertThat(past.draw(new PairIndex(1), random)).as("nothing recorded yet").isEqualTo(-1);
        past.record(s, new int[] {0, 1, 2});              // a-b, c-d, a-c
        past.record(s, new int[] {0});                    // a-b again: still one pair
        Set<Long> drawn = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            drawn.add(past.draw(new PairIndex(1), random));
        }
        assertThat(drawn).containsExactlyInAnyOrder(PairIndex.pack(a, b), PairIndex.pack(c, d), PairIndex.pack(a, c));
        // the batch's own pairs are never drawn: a-b excluded leaves c-d and a-c
        PairIndex batch = PastPairs.batchPairs(s, new int[] {0});
        for (int i = 0; i < 300; i++) {
            assertThat(past.draw(batch, random)).isIn(-1L, PairIndex.pack(c, d), PairIndex.pack(a, c));
        }
        assertThat(PairIndex.srcOf(PairIndex.pack(c, d))).isEqualTo(c);
        assertThat(PairIndex.dstOf(PairIndex.pack(c, d))).isEqualTo(d);
        // with every recorded pair in the batch nothing is found, and the caller falls back to a uniform negative
        assertThat(past.draw(PastPairs.batchPairs(s, new int[] {0, 1, 2}), random)).isEqualTo(-1);
        past.reset();
        assertThat(past.draw(new PairIndex(1), random)).isEqualTo(-1);
    }
}
