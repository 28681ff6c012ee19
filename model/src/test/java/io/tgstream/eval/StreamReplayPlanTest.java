package io.tgstream.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.tgstream.data.EdgeEvent;
import io.tgstream.data.EdgeStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The plan, played by a simulated stream (apply edges batch by batch, score probes and edges against the state before
 * their batch), reproduces the evaluator's metrics exactly, for every kind, in both settings; with a scorer whose
 * scores depend on the batch boundaries, so that a plan with the wrong boundaries would show.
 */
class StreamReplayPlanTest {

    /** Scores from degrees, recency and the number of batches seen: sensitive to where batches end. */
    private static final class BatchSensitiveScorer implements LinkScorer {
        private final int[] degree;
        private final long[] last;
        private int batches;

        BatchSensitiveScorer(int nodes) {
            degree = new int[nodes];
            last = new long[nodes];
        }

        @Override
        public void reset() {
            java.util.Arrays.fill(degree, 0);
            java.util.Arrays.fill(last, 0);
            batches = 0;
        }

        @Override
        public float[] score(int[] src, int[] dst, long[] t) {
            float[] s = new float[src.length];
            for (int i = 0; i < s.length; i++) {
                double x = 0.3 * degree[src[i]] + 0.1 * degree[dst[i]] - 0.01 * (t[i] - last[src[i]]) + 0.001 * batches;
                s[i] = (float) (1 / (1 + Math.exp(-x)));
            }
            return s;
        }

        @Override
        public void observe(EdgeBatch batch) {
            for (int i = 0; i < batch.size(); i++) {
                degree[batch.src(i)]++;
                degree[batch.dst(i)]++;
                last[batch.src(i)] = batch.timestamp(i);
                last[batch.dst(i)] = batch.timestamp(i);
            }
            batches++;
        }
    }

    @ParameterizedTest
    @EnumSource(EvalSetting.class)
    void aSimulatedStreamOfThePlanGivesTheEvaluatorsMetrics(EvalSetting setting) {
        EdgeStream stream = SyntheticStreams.random(3000, 200, 17);
        ChronologicalSplit split = ChronologicalSplit.of(stream);
        EvalConfig config = EvalConfig.defaults().withBatchSize(64);
        List<NegativeKind> kinds = List.of(NegativeKind.values());
        StreamReplayPlan plan = StreamReplayPlan.of(split, config, setting, kinds);

        Map<Integer, Float> edgeScores = new HashMap<>();
        Map<String, Float> probeScores = new HashMap<>();
        BatchSensitiveScorer streamed = new BatchSensitiveScorer(stream.nodeCount());
        List<StreamReplayPlan.PlannedRecord> open = new ArrayList<>();
        int edges = 0;
        for (StreamReplayPlan.PlannedRecord r : plan.records()) {
            open.add(r);
            if (!r.isProbe()) {
                edges++;
                assertThat(split.isObserved(r.streamEvent())).isTrue();
            }
            if (r.event().endsBatch()) {
                closeBatch(stream, streamed, open, edgeScores, probeScores);
                open.clear();
            }
        }
        assertThat(open).as("the plan ends with a closed batch").isEmpty();
        int observed = 0;
        for (int e = 0; e < stream.size(); e++) {
            if (split.isObserved(e)) observed++;
        }
        assertThat(edges).as("every observed event is published once").isEqualTo(observed);

        StreamReplayPlan.ScoreLookup lookup = new StreamReplayPlan.ScoreLookup() {
            @Override public float edge(int e) { return edgeScores.get(e); }
            @Override public float probe(String id) { return probeScores.get(id); }
        };
        for (NegativeKind kind : kinds) {
            EvalResult offline = new LinkPredictionEvaluator(split, config)
                    .evaluate(new BatchSensitiveScorer(stream.nodeCount()), setting, kind, null);
            EvalResult fromStream = plan.evaluate(kind, lookup);
            assertThat(fromStream.test().positives()).isEqualTo(offline.test().positives()).isPositive();
            assertThat(fromStream.test().ap()).as(kind + " test AP").isEqualTo(offline.test().ap());
            assertThat(fromStream.test().auc()).isEqualTo(offline.test().auc());
            assertThat(fromStream.validation().ap()).as(kind + " validation AP").isEqualTo(offline.validation().ap());

            StreamReplayPlan.OfflineScores captured = plan.offline(split, config, kind,
                    new BatchSensitiveScorer(stream.nodeCount()));
            assertThat(captured.result().test().ap()).isEqualTo(offline.test().ap());
            for (String id : captured.probeIds()) {
                assertThat(probeScores.get(id)).as(id).isEqualTo(captured.probe(id));
            }
            for (int e : captured.scoredEdges()) {
                assertThat(edgeScores.get(e)).as("event %d", e).isEqualTo(captured.edge(e));
            }
        }
    }

    /** Scores every record of a batch against the state before it, then applies the batch's edges. */
    private static void closeBatch(EdgeStream stream, LinkScorer scorer, List<StreamReplayPlan.PlannedRecord> batch,
                                   Map<Integer, Float> edgeScores, Map<String, Float> probeScores) {
        int n = batch.size();
        int[] src = new int[n];
        int[] dst = new int[n];
        long[] t = new long[n];
        List<Integer> applied = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            EdgeEvent e = batch.get(i).event();
            src[i] = stream.nodeIndexOfKey(e.src());
            dst[i] = stream.nodeIndexOfKey(e.dst());
            t[i] = e.timestamp();
        }
        float[] s = scorer.score(src, dst, t);
        for (int i = 0; i < n; i++) {
            StreamReplayPlan.PlannedRecord r = batch.get(i);
            if (r.isProbe()) {
                probeScores.put(r.probeId(), s[i]);
            } else {
                edgeScores.put(r.streamEvent(), s[i]);
                applied.add(r.streamEvent());
            }
        }
        scorer.observe(new EdgeBatch(stream, applied.stream().mapToInt(Integer::intValue).toArray()));
    }
}
