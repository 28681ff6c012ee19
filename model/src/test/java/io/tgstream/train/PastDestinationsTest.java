package io.tgstream.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.tgstream.data.EdgeStream;
import io.tgstream.data.NodeKeys;
import io.tgstream.model.SmallStreams;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Historical negatives come from the node's own past partners, never from the current batch or the positive. */
class PastDestinationsTest {
    @Test
    void drawsOnlyRecordedPartnersOtherThanThePositive() {
        EdgeStream s = SmallStreams.tenEvents();
        int a = s.nodeIndexOfKey(NodeKeys.of("a"));
        int b = s.nodeIndexOfKey(NodeKeys.of("b"));
        int c = s.nodeIndexOfKey(NodeKeys.of("c"));
        int e = s.nodeIndexOfKey(NodeKeys.of("e"));
        PastDestinations past = new PastDestinations(s.nodeCount());
        SplittableRandom random = new SplittableRandom(1);
        assertThat(past.draw(a, b, random)).as("nothing recorded yet").isEqualTo(-1);
        past.record(s, new int[] {0, 1, 2});              // a-b, c-d, a-c
        Set<Integer> drawn = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int x = past.draw(a, -1, random);
            drawn.add(x);
        }
        assertThat(drawn).containsExactlyInAnyOrder(b, c);
        for (int i = 0; i < 200; i++) {
            assertThat(past.draw(a, b, random)).isIn(-1, c);
        }
        assertThat(past.draw(e, a, random)).as("e has no past").isEqualTo(-1);
        past.reset();
        assertThat(past.draw(a, -1, random)).isEqualTo(-1);
    }
}
