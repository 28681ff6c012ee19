package io.tgstream.bench.inductive;

import io.tgstream.data.EdgeStream;
import io.tgstream.eval.ChronologicalSplit;
import io.tgstream.eval.EdgeBatch;
import io.tgstream.eval.EvalConfig;
import io.tgstream.eval.EvalSetting;
import io.tgstream.eval.LinkPredictionEvaluator;
import io.tgstream.eval.LinkScorer;
import io.tgstream.eval.NegativeKind;
import io.tgstream.eval.PairIndex;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Facts of a data set's split that bound what a model can do on it, from the data alone: how much history the
 * masked nodes lose, how much history the new endpoints of inductive test edges have, and how the test positives
 * and the random negatives the evaluator draws differ (observed pairs, destination degrees).
 */
final class SplitFacts {
    /** Upper ends of the buckets of prior observed events of an inductive edge's new endpoint. */
    static final int[] PRIOR_EVENT_BUCKETS = {0, 2, 5, 10, 20, 50, 100, Integer.MAX_VALUE};

    private SplitFacts() {
    }

    /** What the mask takes away: masked nodes, those with training-period events, the events dropped. */
    static Map<String, Object> mask(ChronologicalSplit split) {
        EdgeStream s = split.stream();
        boolean[] lost = new boolean[s.nodeCount()];
        int dropped = 0;
        for (int e = 0; e < split.firstValidationEvent(); e++) {
            if (!split.isObserved(e)) {
                dropped++;
                lost[s.src(e)] = true;
                lost[s.dst(e)] = true;
            }
        }
        int withHistory = 0;
        for (int v = 0; v < s.nodeCount(); v++) {
            if (split.isMaskedNode(v) && lost[v]) {
                withHistory++;
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("maskedNodes", split.maskedNodeCount());
        m.put("maskedNodesWithTrainingPeriodEvents", withHistory);
        m.put("droppedTrainingEvents", dropped);
        m.put("trainingPeriodEvents", split.firstValidationEvent());
        return m;
    }

    /**
     * Inductive test edges by how many observed events their new endpoint (the one with fewer, if both are new) had
     * before them: counts per bucket of {@link #PRIOR_EVENT_BUCKETS}.
     */
    static int[] newEndpointHistory(ChronologicalSplit split) {
        EdgeStream s = split.stream();
        int[] events = new int[s.nodeCount()];
        int[] buckets = new int[PRIOR_EVENT_BUCKETS.length];
        for (int e = 0; e < s.size(); e++) {
            int u = s.src(e);
            int v = s.dst(e);
            if (e >= split.firstTestEvent() && split.isNewNodeEvent(e)) {
                int prior = Math.min(split.isTrainingNode(u) ? Integer.MAX_VALUE : events[u],
                        split.isTrainingNode(v) ? Integer.MAX_VALUE : events[v]);
                int b = 0;
                while (prior > PRIOR_EVENT_BUCKETS[b]) {
                    b++;
                }
                buckets[b]++;
            }
            if (split.isObserved(e)) {
                events[u]++;
                events[v]++;
            }
        }
        return buckets;
    }

    /**
     * For the test split of one setting, with the evaluator's own random negatives: the share of positives and of
     * negatives whose pair was observed before (either direction), and the mean number of observed events of the
     * positives' and the negatives' destinations.
     */
    static Map<String, Object> positivesAndNegatives(ChronologicalSplit split, EvalSetting setting) {
        Recorder r = new Recorder(split.stream().nodeCount());
        new LinkPredictionEvaluator(split, EvalConfig.defaults().withValidation(false))
                .evaluate(r, setting, NegativeKind.RND, null);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("setting", setting.cliName());
        m.put("positives", r.positives);
        m.put("positivesObservedBefore", (double) r.positiveRepeats / r.positives);
        m.put("negativesObservedBefore", (double) r.negativeRepeats / r.positives);
        m.put("positiveDestinationEvents", r.positiveDegree / r.positives);
        m.put("negativeDestinationEvents", r.negativeDegree / r.positives);
        return m;
    }

    /**
     * Scores nothing (all zeros) and records the queries: the evaluator puts a batch's positives first and their
     * negatives after them, one each.
     */
    private static final class Recorder implements LinkScorer {
        private final int[] degree;
        private final PairIndex pairs = new PairIndex(1024);
        int positives;
        int positiveRepeats;
        int negativeRepeats;
        double positiveDegree;
        double negativeDegree;

        Recorder(int nodes) {
            this.degree = new int[nodes];
        }

        @Override
        public void reset() {
            Arrays.fill(degree, 0);
            pairs.clear();
        }

        @Override
        public float[] score(int[] src, int[] dst, long[] t) {
            if (src.length % 2 != 0) {
                throw new IllegalStateException("expected positives and as many negatives, got " + src.length);
            }
            int n = src.length / 2;
            for (int i = 0; i < n; i++) {
                positives++;
                positiveRepeats += seen(src[i], dst[i]) ? 1 : 0;
                negativeRepeats += seen(src[n + i], dst[n + i]) ? 1 : 0;
                positiveDegree += degree[dst[i]];
                negativeDegree += degree[dst[n + i]];
            }
            return new float[src.length];
        }

        @Override
        public void observe(EdgeBatch batch) {
            for (int i = 0; i < batch.size(); i++) {
                int u = batch.src(i);
                int v = batch.dst(i);
                pairs.getOrAdd(Math.min(u, v), Math.max(u, v));
                degree[u]++;
                degree[v]++;
            }
        }

        private boolean seen(int u, int v) {
            return pairs.get(Math.min(u, v), Math.max(u, v)) >= 0;
        }
    }
}
