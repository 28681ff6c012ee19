package io.tgstream.operators.sequence;

import static org.assertj.core.api.Assertions.assertThat;

import io.tgstream.data.EdgeEvent;
import io.tgstream.data.ScoringRequest;
import org.apache.flink.types.Either;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The sequencer in Flink's operator harness: sequence numbers, batch indices, late events, restore. */
class SequencerTest {

    private static OneInputStreamOperatorTestHarness<Either<EdgeEvent, ScoringRequest>, SequencedEdge> harness(BatchMode mode, long width)
            throws Exception {
        return new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new Sequencer(mode, width, "edges")));
    }

    private static StreamRecord<Either<EdgeEvent, ScoringRequest>> edge(EdgeEvent e) {
        return new StreamRecord<>(Either.Left(e));
    }

    private static StreamRecord<Either<EdgeEvent, ScoringRequest>> request(ScoringRequest r) {
        return new StreamRecord<>(Either.Right(r));
    }

    private static List<String> outputs(OneInputStreamOperatorTestHarness<Either<EdgeEvent, ScoringRequest>, SequencedEdge> h) {
        return h.extractOutputValues().stream().map(e -> e.seq + "@" + e.batch + ":" + e.srcId + ">" + e.dstId)
                .toList();
    }

    @Test
    void countBatchesGroupBConsecutiveEvents() throws Exception {
        try (var h = harness(BatchMode.COUNT, 3)) {
            h.open();
            for (int i = 0; i < 7; i++) {
                h.processElement(edge(EdgeEvent.of("a" + i, "b", 100 - i)));
            }
            assertThat(outputs(h)).containsExactly("0@0:a0>b", "1@0:a1>b", "2@0:a2>b", "3@1:a3>b", "4@1:a4>b",
                    "5@1:a5>b", "6@2:a6>b");
        }
    }

    @Test
    void anEdgeThatEndsItsBatchClosesItEarlyAndProbesNeitherCountNorShiftIds() throws Exception {
        try (var h = harness(BatchMode.COUNT, 3)) {
            h.open();
            h.processElement(edge(EdgeEvent.of("p", "q", 1).asProbe("before")));
            h.processElement(edge(EdgeEvent.of("a0", "b", 1)));
            h.processElement(edge(EdgeEvent.of("a1", "b", 2).endingBatch()));
            h.processElement(edge(EdgeEvent.of("p", "q", 3).asProbe("next")));
            for (int i = 2; i < 6; i++) {
                h.processElement(edge(EdgeEvent.of("a" + i, "b", 3)));
            }
            h.processElement(edge(EdgeEvent.of("p", "q", 3).asProbe("open")));
            assertThat(outputs(h)).containsExactly("-1@0:p>q", "0@0:a0>b", "1@0:a1>b", "-2@1:p>q", "2@1:a2>b",
                    "3@1:a3>b", "4@1:a4>b", "5@2:a5>b", "-3@2:p>q");
            List<SequencedEdge> out = h.extractOutputValues();
            assertThat(out.stream().filter(e -> e.endsBatch).map(e -> e.seq)).containsExactly(1L);
            assertThat(out.stream().filter(e -> e.probeId != null).map(e -> e.probeId))
                    .containsExactly("before", "next", "open");
        }
    }

    @Test
    void aRestoredSequencerKeepsAnEarlyClosedBatchClosedAndCountsProbesOn() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(BatchMode.COUNT, 4)) {
            h.open();
            h.processElement(edge(EdgeEvent.of("a", "b", 1).endingBatch()));
            h.processElement(edge(EdgeEvent.of("a", "b", 1).asProbe("x")));
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness(BatchMode.COUNT, 4)) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(edge(EdgeEvent.of("a", "b", 2).asProbe("y")));
            h.processElement(edge(EdgeEvent.of("c", "d", 2)));
            assertThat(outputs(h)).containsExactly("-2@1:a>b", "1@1:c>d");
        }
    }

    @Test
    void requestsBecomeOneProbePerCandidateInTheOpenBatch() throws Exception {
        try (var h = new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(
                new Sequencer(BatchMode.COUNT, 2, "edges", 3)))) {
            h.open();
            h.processElement(request(new ScoringRequest("early", "a", List.of(), 5, ScoringRequest.NOW)));
            h.processElement(edge(EdgeEvent.of("a", "b", 10)));
            h.processElement(edge(EdgeEvent.of("a", "c", 11)));
            h.processElement(edge(EdgeEvent.of("x", "d", 12)));
            h.processElement(edge(EdgeEvent.of("y", "b", 13)));
            h.processElement(edge(EdgeEvent.of("z", "e", 14)));
            h.processElement(request(new ScoringRequest("top", "a", List.of(), 2, ScoringRequest.NOW)));
            h.processElement(request(new ScoringRequest("pick", "q", List.of("b", "zz"), 0, 7)));
            List<SequencedEdge> probes = h.extractOutputValues().stream().filter(e -> e.probeId != null).toList();
            // the 3 most recent distinct destinations, newest first: e, b, d (c fell out); at the latest time, 14
            assertThat(probes.stream().map(e -> e.probeId + ":" + e.srcId + ">" + e.dstId + "@" + e.ts + "/b" + e.batch
                    + "/" + e.request)).containsExactly(
                    "top#0:a>e@14/b2/top[0/3 top 2]", "top#1:a>b@14/b2/top[1/3 top 2]", "top#2:a>d@14/b2/top[2/3 top 2]",
                    "pick#0:q>b@7/b2/pick[0/2]", "pick#1:q>zz@7/b2/pick[1/2]");
            assertThat(probes.stream().map(e -> e.seq)).containsExactly(-1L, -2L, -3L, -4L, -5L);
            assertThat(h.getSideOutput(Sequencer.UNANSWERABLE)).hasSize(1);
        }
    }

    @Test
    void eventTimeBatchesBucketTimestampsAndRefuseLateEvents() throws Exception {
        try (var h = harness(BatchMode.EVENT_TIME, 10)) {
            h.open();
            long[] ts = {0, 9, 10, 25, 19, 29, 30};
            for (int i = 0; i < ts.length; i++) {
                h.processElement(edge(EdgeEvent.of("a" + i, "b", ts[i])));
            }
            assertThat(outputs(h)).containsExactly("0@0:a0>b", "1@0:a1>b", "2@1:a2>b", "3@2:a3>b", "4@2:a5>b",
                    "5@3:a6>b");
            ConcurrentLinkedQueue<StreamRecord<LateEdge>> late = h.getSideOutput(Sequencer.LATE);
            assertThat(late).hasSize(1);
            LateEdge l = late.peek().getValue();
            assertThat(l.edge.ts).isEqualTo(19);
            assertThat(l.openBatch).isEqualTo(2);
            assertThat(l.message()).contains("batch 1").contains("batch 2");
        }
    }

    @Test
    void aRestoredSequencerContinuesTheNumbering() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(BatchMode.COUNT, 2)) {
            h.open();
            for (int i = 0; i < 3; i++) {
                h.processElement(edge(EdgeEvent.of("a" + i, "b", i)));
            }
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness(BatchMode.COUNT, 2)) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(edge(EdgeEvent.of("x", "y", 5)));
            h.processElement(edge(EdgeEvent.of("z", "y", 6)));
            assertThat(outputs(h)).containsExactly("3@1:x>y", "4@2:z>y");
        }
    }

    @Test
    void lateEventsAreNumberedUniquelyAcrossARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(BatchMode.EVENT_TIME, 10)) {
            h.open();
            for (long t : new long[] {0, 25, 3, 4}) { // 3 and 4 are late: batch 2 is open
                h.processElement(edge(EdgeEvent.of("a" + t, "b", t)));
            }
            assertThat(h.getSideOutput(Sequencer.LATE)).extracting(r -> r.getValue().index).containsExactly(0L, 1L);
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness(BatchMode.EVENT_TIME, 10)) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(edge(EdgeEvent.of("c", "b", 5)));
            assertThat(h.getSideOutput(Sequencer.LATE)).extracting(r -> r.getValue().index).containsExactly(2L);
        }
    }
}
