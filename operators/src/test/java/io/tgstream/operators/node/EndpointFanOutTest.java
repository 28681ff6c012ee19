package io.tgstream.operators.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.tgstream.data.EdgeEvent;
import io.tgstream.model.NodeExpiry;
import io.tgstream.operators.sequence.SequencedEdge;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.StreamFlatMap;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The fan-out's clock (Flink harness): every request of batch k carries tau_k, the latest edge time of the batches
 * before k (out-of-order edges and probes included as the rule says), and a restore from a snapshot taken in the
 * middle of a batch continues the same clock.
 */
class EndpointFanOutTest {
    private static OneInputStreamOperatorTestHarness<SequencedEdge, NodeRequest> harness() throws Exception {
        return new OneInputStreamOperatorTestHarness<>(new StreamFlatMap<>(new EndpointFanOut()));
    }

    private static void send(OneInputStreamOperatorTestHarness<SequencedEdge, NodeRequest> h, long seq, long batch,
                             long ts, boolean probe) throws Exception {
        EdgeEvent e = EdgeEvent.of("u" + seq, "v" + seq, ts);
        h.processElement(new StreamRecord<>(new SequencedEdge(probe ? e.asProbe("p" + seq) : e, seq, batch), batch));
    }

    /** The stream times of the requests output so far, one per event (both sides must agree). */
    private static List<Long> stamps(OneInputStreamOperatorTestHarness<SequencedEdge, NodeRequest> h) {
        List<Long> out = new ArrayList<>();
        List<NodeRequest> requests = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r) {
                requests.add((NodeRequest) r.getValue());
            }
        }
        for (int i = 0; i < requests.size(); i += 2) {
            assertThat(requests.get(i).source).isTrue();
            assertThat(requests.get(i + 1).streamTime).isEqualTo(requests.get(i).streamTime);
            out.add(requests.get(i).streamTime);
        }
        return out;
    }

    @Test
    void requestsCarryTheStreamTimeOfTheirBatchAcrossARestore() throws Exception {
        long none = NodeExpiry.NO_STREAM_TIME;
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            send(h, 0, 0, 10, false);
            send(h, 1, 0, 30, false);
            send(h, -1, 1, 99, true);    // a probe: scored, never applied, no part of the clock
            send(h, 2, 1, 20, false);    // out of order: tau_2 stays 30
            snapshot = h.snapshot(1, 1);
            assertThat(stamps(h)).containsExactly(none, none, 30L, 30L);
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            send(h, 3, 1, 25, false);
            send(h, 4, 2, 50, false);
            send(h, 5, 4, 60, false);    // batches may be skipped (event-time buckets)
            send(h, 6, 4, 70, false);
            send(h, 7, 5, 80, false);
            assertThat(stamps(h)).containsExactly(30L, 30L, 50L, 50L, 70L);
        }
    }
}
