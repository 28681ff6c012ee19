package io.tgstream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tgstream.data.EdgeEvent;
import io.tgstream.data.EdgeStream;
import io.tgstream.data.NodeKeys;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The offline replay with a node TTL on a hand-made stream, batches of 2. The ten events of
 * {@link SmallStreams#tenEvents()} at 10, 20, ..., 100, plus z-z at 1000 (never applied: z is a node never seen).
 * With ttl = 20 (evicted when u &lt; tau - 20), hand-derived:
 * <pre>
 *   batch 0  a-b@10 c-d@20     tau_0 none
 *   batch 1  a-c@30 b-d@40     tau_1 = 20: u &lt; 0   none          (a=10 b=10 c=20 d=20)
 *   batch 2  a-b@50 e-a@60     tau_2 = 40: u &lt; 20  none          (a=30 b=40 c=30 d=40)
 *   batch 3  c-b@70 d-e@80     tau_3 = 60: u &lt; 40  c (30) only;  d (40) sits on the boundary and stays
 *   batch 4  a-d@90 b-c@100    tau_4 = 80: u &lt; 60  none: a (60) on the boundary
 * </pre>
 */
class MemoryReplayExpiryTest {
    private static final int BATCH = 2;
    private final EdgeStream stream = streamWithUnseenNode();
    private final MemoryModel model =
            new MemoryModel(SmallStreams.tinyConfig(2, EmbeddingKind.RECENT_PARTNERS, true), DataType.FLOAT);

    private static EdgeStream streamWithUnseenNode() {
        EdgeStream ten = SmallStreams.tenEvents();
        List<EdgeEvent> events = new ArrayList<>();
        for (int e = 0; e < ten.size(); e++) {
            events.add(ten.event(e));
        }
        events.add(new EdgeEvent("z", "z", 1000, new float[] {0, 0}, 0, 1));
        return EdgeStream.of("ten-and-z", "s", 2, events);
    }

    private int node(String id) {
        return stream.nodeIndexOfKey(NodeKeys.of(id));
    }

    private float score(MemoryReplay r, String u, String v, long t) {
        return r.score(new int[] {node(u)}, new int[] {node(v)}, new long[] {t})[0];
    }

    private float[] memory(MemoryReplay r, String id) {
        float[] m = new float[4];
        r.table().copyMemory(node(id), m, 0);
        return m;
    }

    /** Applies batches [from, to) of the ten events. */
    private static void replayBatches(MemoryReplay r, int from, int to) {
        for (int b = from; b < to; b++) {
            int[] events = new int[BATCH];
            for (int i = 0; i < BATCH; i++) {
                events[i] = b * BATCH + i;
            }
            r.apply(events);
        }
    }

    @Test
    void anIdleNodeIsForgottenAtTheFirstBatchWhoseStreamTimeIsPastItsDeadline() {
        MemoryReplay ttl = new MemoryReplay(model, stream, NodeExpiry.after(20));
        MemoryReplay plain = new MemoryReplay(model, stream);
        replayBatches(ttl, 0, 3);
        replayBatches(plain, 0, 3);
        assertThat(ttl.evictedNodes()).as("nothing expires before batch 3 starts").isZero();
        assertThat(ttl.table().lastUpdate(node("c"))).isEqualTo(30);

        // batch 3 starts with its first read: c goes, d (on the boundary) and the rest stay as they were
        float cb = score(ttl, "c", "b", 70);
        assertThat(ttl.evictedNodes()).isEqualTo(1);
        assertThat(ttl.table().lastUpdate(node("c"))).isZero();
        assertThat(memory(ttl, "c")).containsOnly(0f);
        assertThat(ttl.table().partnerEntries(node("c"))).isZero();
        assertThat(ttl.table().hasPresPrediction(node("c"))).isFalse();
        for (String kept : new String[] {"a", "b", "d", "e"}) {
            assertThat(memory(ttl, kept)).as(kept).isEqualTo(memory(plain, kept));
            assertThat(ttl.table().lastUpdate(node(kept))).as(kept).isEqualTo(plain.table().lastUpdate(node(kept)));
        }
        // c reads as a node never seen: the score of z, which no edge has touched, in the replay without TTL
        assertThat(cb).isEqualTo(score(plain, "z", "b", 70));
        assertThat(cb).isNotEqualTo(score(plain, "c", "b", 70));
        assertThat(score(ttl, "d", "e", 80)).isEqualTo(score(plain, "d", "e", 80));

        // c comes back as a new node; at batch 4 a sits on the boundary (60 = 80 - 20) and stays
        replayBatches(ttl, 3, 5);
        assertThat(ttl.table().lastUpdate(node("c"))).isEqualTo(100);
        assertThat(ttl.evictedNodes()).isEqualTo(1);
        assertThat(ttl.nodesWithState()).as("a to e").isEqualTo(5);
    }

    @Test
    void aShorterTtlEvictsMoreAndResetStartsOver() {
        // ttl = 10: tau_2 = 40 evicts u < 30: none (a=30 c=30 on the boundary); tau_3 = 60 evicts u < 50: c (30) and
        // d (40), b (50) stays; tau_4 = 80 evicts u < 70: a (60), b and c (70) stay; 3 in all
        MemoryReplay ttl = new MemoryReplay(model, stream, NodeExpiry.after(10));
        replayBatches(ttl, 0, 5);
        assertThat(ttl.evictedNodes()).isEqualTo(3);
        assertThat(ttl.nodesWithState()).as("all five: c and d came back in batch 3, a in batch 4").isEqualTo(5);
        ttl.reset();
        assertThat(ttl.evictedNodes()).isZero();
        replayBatches(ttl, 0, 5);
        assertThat(ttl.evictedNodes()).isEqualTo(3);
    }

    @Test
    void theRuleAndItsLimits() {
        NodeExpiry e = NodeExpiry.after(20);
        assertThat(e.expired(39, 60)).isTrue();
        assertThat(e.expired(40, 60)).isFalse();
        assertThat(e.expired(40, NodeExpiry.NO_STREAM_TIME)).isFalse();
        assertThat(NodeExpiry.after(Long.MAX_VALUE - 1).deadline(10)).isEqualTo(Long.MAX_VALUE);
        assertThat(NodeExpiry.NEVER.expired(Long.MIN_VALUE + 1, Long.MAX_VALUE)).isFalse();
        assertThat(NodeExpiry.NEVER.enabled()).isFalse();
        assertThatThrownBy(() -> NodeExpiry.after(0)).hasMessageContaining("at least 1");
    }
}
