package io.tgstream.eval;

import io.tgstream.data.EdgeEvent;
import io.tgstream.data.EdgeStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The {@link LinkPredictionEvaluator}'s replay of one setting, written out as the records a streaming job must receive
 * to compute the very same scores: the observed edges in the evaluator's batches (the last edge of each batch ends
 * it), and before each scored batch its negatives of every requested kind as probes.
 *
 * <p>A stream that applies the edges batch by batch and scores each probe against the state before its batch
 * reproduces the evaluator: its score of a positive is its score of that edge, its score of a negative is the probe's.
 * {@link #evaluate} turns the stream's scores back into the evaluator's metrics, batch for batch, so that the two can
 * be compared number for number. MRR is not planned (its ranking candidates would be K probes per positive).
 */
public final class StreamReplayPlan {
    /** One record of the plan, in publication order. */
    public record PlannedRecord(EdgeEvent event, int streamEvent, String probeId) {
        /** Whether this is a probe (a negative), rather than an edge of the stream. */
        public boolean isProbe() { return probeId != null; }
    }

    /** The stream's scores, looked up by what was published. */
    public interface ScoreLookup {
        /** The score of the published edge that is stream event {@code e}. */
        float edge(int e);

        /** The score of the probe with this id. */
        float probe(String id);
    }

    private final EdgeStream stream;
    private final EvalSetting setting;
    private final List<NegativeKind> kinds;
    private final int batchSize;
    private final List<PlannedRecord> records;
    /** Per scored batch: its positives' stream events, and per kind its probe ids. */
    private final List<int[]> positives = new ArrayList<>();
    private final List<Boolean> testBatch = new ArrayList<>();

    private StreamReplayPlan(EdgeStream stream, EvalSetting setting, List<NegativeKind> kinds, int batchSize,
                             List<PlannedRecord> records) {
        this.stream = stream;
        this.setting = setting;
        this.kinds = kinds;
        this.batchSize = batchSize;
        this.records = records;
    }

    /** Plans the evaluator's replay of {@code setting} with negatives of every kind in {@code kinds}. */
    public static StreamReplayPlan of(ChronologicalSplit split, EvalConfig config, EvalSetting setting,
                                      List<NegativeKind> kinds) {
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("plan at least one negative kind");
        }
        if (config.mrr()) {
            throw new IllegalArgumentException("a stream replay does not plan MRR's ranking candidates; turn MRR off");
        }
        EdgeStream stream = split.stream();
        List<Recorder> recorders = new ArrayList<>();
        LinkPredictionEvaluator evaluator = new LinkPredictionEvaluator(split, config);
        for (NegativeKind kind : kinds) {
            Recorder r = new Recorder();
            evaluator.evaluate(r, setting, kind, null);
            recorders.add(r);
        }
        Recorder first = recorders.get(0);
        for (Recorder r : recorders) {
            if (!r.sameStepsAs(first)) {
                throw new IllegalStateException("the evaluator replayed different batches for different negative kinds");
            }
        }
        List<PlannedRecord> records = new ArrayList<>();
        StreamReplayPlan plan = new StreamReplayPlan(stream, setting, List.copyOf(kinds), config.batchSize(),
                Collections.unmodifiableList(records));
        int[] val = config.validation() ? split.scoredEvents(false, setting) : new int[0];
        int[] test = split.scoredEvents(true, setting);
        int valBatches = (val.length + config.batchSize() - 1) / config.batchSize();
        int scoreStep = 0;
        for (int s = 0; s < first.steps.size(); s++) {
            Step step = first.steps.get(s);
            if (step.observed != null) {
                for (int i = 0; i < step.observed.length; i++) {
                    EdgeEvent e = stream.event(step.observed[i]);
                    records.add(new PlannedRecord(i == step.observed.length - 1 ? e.endingBatch() : e,
                            step.observed[i], null));
                }
                continue;
            }
            boolean isTest = scoreStep >= valBatches;
            int[] scored = isTest ? test : val;
            int from = (isTest ? scoreStep - valBatches : scoreStep) * config.batchSize();
            int n = step.src.length / 2;
            int[] pos = Arrays.copyOfRange(scored, from, from + n);
            for (int i = 0; i < n; i++) {
                if (stream.src(pos[i]) != step.src[i] || stream.dst(pos[i]) != step.dst[i]
                        || stream.timestamp(pos[i]) != step.t[i]) {
                    throw new IllegalStateException("scored batch " + scoreStep + " does not match its split's events");
                }
            }
            plan.positives.add(pos);
            plan.testBatch.add(isTest);
            for (int k = 0; k < kinds.size(); k++) {
                Step kindStep = recorders.get(k).steps.get(s);
                for (int i = 0; i < n; i++) {
                    EdgeEvent negative = EdgeEvent.of(stream.nodeId(kindStep.src[n + i]),
                            stream.nodeId(kindStep.dst[n + i]), kindStep.t[n + i]);
                    records.add(new PlannedRecord(negative.asProbe(probeId(kinds.get(k), scoreStep, i)), -1,
                            probeId(kinds.get(k), scoreStep, i)));
                }
            }
            scoreStep++;
        }
        return plan;
    }

    /** The id of the i-th negative of scored batch {@code batch} under {@code kind}, e.g. {@code rnd/12/5}. */
    public static String probeId(NegativeKind kind, int batch, int i) {
        return kind.cliName() + "/" + batch + "/" + i;
    }

    public EvalSetting setting() { return setting; }
    public List<NegativeKind> kinds() { return kinds; }
    /** Every record to publish, in order. */
    public List<PlannedRecord> records() { return records; }
    /** The number of scored batches (validation and test). */
    public int scoredBatches() { return positives.size(); }

    /** The evaluator's metrics for {@code kind}, computed from the stream's scores. */
    public EvalResult evaluate(NegativeKind kind, ScoreLookup scores) {
        int k = kinds.indexOf(kind);
        if (k < 0) {
            throw new IllegalArgumentException("kind " + kind.cliName() + " was not planned");
        }
        MetricAccumulator val = new MetricAccumulator();
        MetricAccumulator test = new MetricAccumulator();
        for (int b = 0; b < positives.size(); b++) {
            int[] pos = positives.get(b);
            float[] p = new float[pos.length];
            float[] neg = new float[pos.length];
            for (int i = 0; i < pos.length; i++) {
                p[i] = scores.edge(pos[i]);
                neg[i] = scores.probe(probeId(kind, b, i));
            }
            (testBatch.get(b) ? test : val).addBatch(p, neg);
        }
        return new EvalResult(setting, kind, batchSize, val.result(), test.result(), 0);
    }

    /** Per scored batch, in order: {positives' scores, negatives' scores} of {@code kind} (for reports). */
    public List<float[][]> batchScores(NegativeKind kind, ScoreLookup scores) {
        List<float[][]> out = new ArrayList<>(positives.size());
        for (int b = 0; b < positives.size(); b++) {
            int[] pos = positives.get(b);
            float[][] pn = new float[2][pos.length];
            for (int i = 0; i < pos.length; i++) {
                pn[0][i] = scores.edge(pos[i]);
                pn[1][i] = scores.probe(probeId(kind, b, i));
            }
            out.add(pn);
        }
        return out;
    }

    /**
     * The mean AP over the scored batches (validation and test) whose scores are all in, NaN before the first: what a
     * progress display shows while the stream runs. {@code scores} returns NaN for what has not been scored yet.
     */
    public double apSoFar(NegativeKind kind, ScoreLookup scores) {
        double sum = 0;
        int complete = 0;
        for (int b = 0; b < positives.size(); b++) {
            int[] pos = positives.get(b);
            float[] p = new float[pos.length];
            float[] neg = new float[pos.length];
            boolean all = true;
            for (int i = 0; i < pos.length && all; i++) {
                p[i] = scores.edge(pos[i]);
                neg[i] = scores.probe(probeId(kind, b, i));
                all = !Float.isNaN(p[i]) && !Float.isNaN(neg[i]);
            }
            if (all) {
                sum += AveragePrecision.of(p, neg);
                complete++;
            }
        }
        return complete == 0 ? Double.NaN : sum / complete;
    }

    /**
     * Scores the plan offline: replays {@code scorer} through the evaluator for {@code kind} and returns its scores
     * as a lookup (for a number-for-number comparison with the stream), with the evaluator's own result.
     */
    public OfflineScores offline(ChronologicalSplit split, EvalConfig config, NegativeKind kind, LinkScorer scorer) {
        Capture capture = new Capture(scorer);
        EvalResult result = new LinkPredictionEvaluator(split, config).evaluate(capture, setting, kind, null);
        if (capture.batches.size() != positives.size()) {
            throw new IllegalStateException("the offline replay scored " + capture.batches.size() + " batches, the plan "
                    + positives.size());
        }
        float[] edge = new float[stream.size()];
        Arrays.fill(edge, Float.NaN);
        java.util.Map<String, Float> probes = new java.util.HashMap<>();
        for (int b = 0; b < positives.size(); b++) {
            int[] pos = positives.get(b);
            float[] s = capture.batches.get(b);
            for (int i = 0; i < pos.length; i++) {
                edge[pos[i]] = s[i];
                probes.put(probeId(kind, b, i), s[pos.length + i]);
            }
        }
        return new OfflineScores(result, edge, probes);
    }

    /** The offline evaluator's result and the scores behind it. */
    public static final class OfflineScores implements ScoreLookup {
        private final EvalResult result;
        private final float[] edge;
        private final java.util.Map<String, Float> probes;

        OfflineScores(EvalResult result, float[] edge, java.util.Map<String, Float> probes) {
            this.result = result;
            this.edge = edge;
            this.probes = probes;
        }

        public EvalResult result() { return result; }

        @Override
        public float edge(int e) { return edge[e]; }

        @Override
        public float probe(String id) {
            Float s = probes.get(id);
            return s == null ? Float.NaN : s;
        }

        /** The stream events whose positives were scored. */
        public int[] scoredEdges() {
            int n = 0;
            for (float v : edge) if (!Float.isNaN(v)) n++;
            int[] out = new int[n];
            n = 0;
            for (int e = 0; e < edge.length; e++) if (!Float.isNaN(edge[e])) out[n++] = e;
            return out;
        }

        /** The probe ids scored. */
        public java.util.Set<String> probeIds() { return java.util.Collections.unmodifiableSet(probes.keySet()); }
    }

    /** One step of the evaluator's replay: an observed batch, or one scoring call. */
    private static final class Step {
        int[] observed;
        int[] src;
        int[] dst;
        long[] t;
    }

    /** A scorer that records what the evaluator asks of it, and scores nothing. */
    private static final class Recorder implements LinkScorer {
        final List<Step> steps = new ArrayList<>();

        @Override
        public void reset() {
            steps.clear();
        }

        @Override
        public float[] score(int[] src, int[] dst, long[] t) {
            Step s = new Step();
            s.src = src.clone();
            s.dst = dst.clone();
            s.t = t.clone();
            steps.add(s);
            return new float[src.length];
        }

        @Override
        public void observe(EdgeBatch batch) {
            Step s = new Step();
            s.observed = new int[batch.size()];
            for (int i = 0; i < batch.size(); i++) {
                s.observed[i] = batch.event(i);
            }
            steps.add(s);
        }

        boolean sameStepsAs(Recorder o) {
            if (steps.size() != o.steps.size()) return false;
            for (int i = 0; i < steps.size(); i++) {
                Step a = steps.get(i);
                Step b = o.steps.get(i);
                if (!Objects.equals(a.observed == null, b.observed == null)
                        || (a.observed != null && !Arrays.equals(a.observed, b.observed))
                        || (a.src != null && a.src.length != b.src.length)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Passes scoring through and keeps every scoring call's scores. */
    private static final class Capture implements LinkScorer {
        final LinkScorer inner;
        final List<float[]> batches = new ArrayList<>();

        Capture(LinkScorer inner) { this.inner = inner; }

        @Override
        public void reset() {
            batches.clear();
            inner.reset();
        }

        @Override
        public float[] score(int[] src, int[] dst, long[] t) {
            float[] s = inner.score(src, dst, t);
            batches.add(s.clone());
            return s;
        }

        @Override
        public void observe(EdgeBatch batch) { inner.observe(batch); }
    }
}
