package io.tgstream.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.tgstream.data.EdgeStream;
import org.junit.jupiter.api.Test;

class ChronologicalSplitTest {

    @Test
    void boundariesAreTheTimestampQuantiles() {
        EdgeStream.Builder b = EdgeStream.builder("q", "s", 0);
        for (int i = 0; i < 20; i++) b.add("u" + i, "v" + i, i, null, 0, 1);
        ChronologicalSplit split = ChronologicalSplit.of(b.build());
        // times 0..19: q70 = 13.3, q85 = 16.15 -> train 0..13, validation 14..16, test 17..19
        assertThat(split.validationTime()).isCloseTo(13.3, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(split.firstValidationEvent()).isEqualTo(14);
        assertThat(split.firstTestEvent()).isEqualTo(17);
        assertThat(split.scoredEvents(true, EvalSetting.TRANSDUCTIVE)).containsExactly(17, 18, 19);
        assertThat(split.lastValidationTime()).isEqualTo(16);
    }

    @Test
    void inductiveMaskFollowsTheProtocol() {
        EdgeStream s = SyntheticStreams.random(3000, 200, 11);
        ChronologicalSplit split = ChronologicalSplit.of(s);
        assertThat(split.maskedNodeCount()).isEqualTo((int) (0.1 * s.nodeCount()));
        boolean[] late = new boolean[s.nodeCount()];
        for (int e = split.firstValidationEvent(); e < s.size(); e++) {
            late[s.src(e)] = true;
            late[s.dst(e)] = true;
        }
        int masked = 0;
        for (int v = 0; v < s.nodeCount(); v++) {
            if (split.isMaskedNode(v)) {
                masked++;
                assertThat(late[v]).as("masked nodes appear after q70").isTrue();
                assertThat(split.isTrainingNode(v)).isFalse();
            }
        }
        assertThat(masked).isEqualTo(split.maskedNodeCount());
        int newNodeEvents = 0;
        for (int e = 0; e < s.size(); e++) {
            boolean touchesMasked = split.isMaskedNode(s.src(e)) || split.isMaskedNode(s.dst(e));
            boolean train = e < split.firstValidationEvent();
            assertThat(split.isObserved(e)).isEqualTo(!(train && touchesMasked));
            boolean expectedNew = !train && (!split.isTrainingNode(s.src(e)) || !split.isTrainingNode(s.dst(e)));
            assertThat(split.isNewNodeEvent(e)).isEqualTo(expectedNew);
            if (expectedNew) newNodeEvents++;
            if (!train && touchesMasked) assertThat(split.isNewNodeEvent(e)).isTrue();
        }
        assertThat(newNodeEvents).isPositive();
        // deterministic
        ChronologicalSplit again = ChronologicalSplit.of(s);
        for (int v = 0; v < s.nodeCount(); v++) assertThat(again.isMaskedNode(v)).isEqualTo(split.isMaskedNode(v));
    }
}
