package io.tgstream.eval;

import io.tgstream.data.EdgeStream;
import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * Drives any {@link LinkScorer} through the DyGLib link-prediction protocol by chronological replay.
 *
 * <p>One pass per (setting, negative kind): the scorer is reset, then the stream is replayed in time order. The
 * positives of a split (validation, then test; in the inductive setting only its new-node events) are cut into
 * batches of B. For each batch spanning stream events [f, l]: every observed event before f that the scorer has not
 * seen is handed to it (in batches of at most B); then the batch's positives, one negative per positive (from a
 * {@link NegativeEdgeSampler} seeded per split as DyGLib: transductive validation 0, inductive validation 1,
 * transductive test 2, inductive test 3) and, with MRR on, the ranking candidates are scored in one call; then the
 * observed events in [f, l] are handed over as one batch. Training events removed by the node mask are never observed
 * ({@link ChronologicalSplit}). Metrics per batch follow {@link AveragePrecision} and {@link RocAuc}.
 */
public final class LinkPredictionEvaluator {
    private final EdgeStream stream;
    private final ChronologicalSplit split;
    private final EvalConfig config;

    public LinkPredictionEvaluator(ChronologicalSplit split, EvalConfig config) {
        this.stream = split.stream();
        this.split = split;
        this.config = config;
    }

    public ChronologicalSplit split() { return split; }

    /** Runs one pass; {@code progress} receives the number of stream events replayed so far (may be null). */
    public EvalResult evaluate(LinkScorer scorer, EvalSetting setting, NegativeKind kind, IntConsumer progress) {
        long start = System.nanoTime();
        scorer.reset();
        Replay replay = new Replay(scorer, progress);
        SplitMetrics val = SplitMetrics.empty();
        if (config.validation()) {
            val = scoreSplit(replay, false, setting, kind);
        }
        SplitMetrics test = scoreSplit(replay, true, setting, kind);
        replay.observeUpTo(stream.size());
        return new EvalResult(setting, kind, config.batchSize(), val, test, (System.nanoTime() - start) / 1e9);
    }

    private SplitMetrics scoreSplit(Replay replay, boolean test, EvalSetting setting, NegativeKind kind) {
        int[] scored = split.scoredEvents(test, setting);
        MetricAccumulator acc = new MetricAccumulator();
        if (scored.length == 0) return acc.result();
        int[] samplerEvents = setting == EvalSetting.TRANSDUCTIVE ? allEvents() : scored;
        long lastObserved = test ? split.lastValidationTime() : split.lastTrainingTime();
        long samplerSeed = test ? setting.testSamplerSeed() : setting.validationSamplerSeed();
        NegativeEdgeSampler sampler = new NegativeEdgeSampler(stream, samplerEvents, kind, lastObserved,
                SeedMixer.mix(config.seed(), samplerSeed));
        int b = config.batchSize();
        int batchNumber = 0;
        for (int c = 0; c < scored.length; c += b, batchNumber++) {
            int end = Math.min(c + b, scored.length);
            int n = end - c;
            int first = scored[c];
            int last = scored[end - 1];
            replay.observeUpTo(first);

            int[] posSrc = new int[n];
            int[] posDst = new int[n];
            long[] posT = new long[n];
            for (int i = 0; i < n; i++) {
                int e = scored[c + i];
                posSrc[i] = stream.src(e);
                posDst[i] = stream.dst(e);
                posT[i] = stream.timestamp(e);
            }
            int[][] neg = sampler.sample(batchNumber, posSrc, posDst, posT[0], posT[n - 1]);
            int[][] rankNeg = null;
            int rankTotal = 0;
            if (config.mrr()) {
                rankNeg = new int[n][];
                for (int i = 0; i < n; i++) {
                    rankNeg[i] = replay.mrr.candidates(scored[c + i]);
                    rankTotal += rankNeg[i].length;
                }
            }
            // One scoring call: positives, negatives (at their positive's time), ranking candidates.
            int total = 2 * n + rankTotal;
            int[] qs = new int[total];
            int[] qd = new int[total];
            long[] qt = new long[total];
            System.arraycopy(posSrc, 0, qs, 0, n);
            System.arraycopy(posDst, 0, qd, 0, n);
            System.arraycopy(posT, 0, qt, 0, n);
            System.arraycopy(neg[0], 0, qs, n, n);
            System.arraycopy(neg[1], 0, qd, n, n);
            System.arraycopy(posT, 0, qt, n, n);
            int q = 2 * n;
            if (rankNeg != null) {
                for (int i = 0; i < n; i++) {
                    for (int d : rankNeg[i]) {
                        qs[q] = posSrc[i];
                        qd[q] = d;
                        qt[q] = posT[i];
                        q++;
                    }
                }
            }
            float[] scores = replay.scorer.score(qs, qd, qt);
            if (scores.length != total) {
                throw new IllegalStateException("the scorer returned " + scores.length + " scores for " + total + " queries");
            }
            acc.addBatch(Arrays.copyOfRange(scores, 0, n), Arrays.copyOfRange(scores, n, 2 * n));
            if (rankNeg != null) {
                q = 2 * n;
                for (int i = 0; i < n; i++) {
                    int len = rankNeg[i].length;
                    acc.addRank(RankOfPositive.of(scores[i], scores, q, q + len), EvalConfig.HITS_K);
                    q += len;
                }
            }
            replay.observeAsOneBatch(last + 1);
        }
        return acc.result();
    }

    private int[] allEvents() {
        int[] all = new int[stream.size()];
        for (int e = 0; e < all.length; e++) all[e] = e;
        return all;
    }

    /** The replay cursor: which events the scorer (and the ranking history) has seen. */
    private final class Replay {
        final LinkScorer scorer;
        final MrrCandidates mrr;
        final IntConsumer progress;
        int cursor;

        Replay(LinkScorer scorer, IntConsumer progress) {
            this.scorer = scorer;
            this.progress = progress;
            this.mrr = config.mrr()
                    ? new MrrCandidates(stream, config.mrrNegatives(), config.mrrAll(), config.seed()) : null;
        }

        /** Hands every observed event in [cursor, to) over, in batches of at most B observed events. */
        void observeUpTo(int to) {
            int b = config.batchSize();
            int[] buf = new int[b];
            int k = 0;
            for (int e = cursor; e < to; e++) {
                if (!split.isObserved(e)) continue;
                buf[k++] = e;
                if (k == b) {
                    hand(Arrays.copyOf(buf, k));
                    k = 0;
                }
            }
            if (k > 0) hand(Arrays.copyOf(buf, k));
            advance(to);
        }

        /** Hands every observed event in [cursor, to) over as one batch (the span of a scored batch). */
        void observeAsOneBatch(int to) {
            int[] span = new int[Math.max(0, to - cursor)];
            int m = 0;
            for (int e = cursor; e < to; e++) {
                if (split.isObserved(e)) span[m++] = e;
            }
            if (m > 0) hand(Arrays.copyOf(span, m));
            advance(to);
        }

        private void advance(int to) {
            cursor = Math.max(cursor, to);
            if (progress != null) progress.accept(cursor);
        }

        private void hand(int[] events) {
            EdgeBatch batch = new EdgeBatch(stream, events);
            scorer.observe(batch);
            if (mrr != null) mrr.observe(batch);
        }
    }
}
