package io.tgstream.train;

import io.tgstream.data.EdgeStream;
import io.tgstream.eval.ChronologicalSplit;
import io.tgstream.eval.EvalConfig;
import io.tgstream.eval.EvalResult;
import io.tgstream.eval.EvalSetting;
import io.tgstream.eval.LinkPredictionEvaluator;
import io.tgstream.eval.NegativeKind;
import io.tgstream.eval.PairIndex;
import io.tgstream.model.MemoryModel;
import io.tgstream.model.MemoryReplay;
import io.tgstream.nn.Adam;
import io.tgstream.nn.BatchWorkspace;
import io.tgstream.nn.GradientClipping;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a {@link MemoryModel} by chronological replay of a split's training events in temporal batches, one random
 * negative per positive (a uniform destination for the positive's source, or with
 * {@link TrainingConfig#historicalNegatives()} a past partner of the source or a whole past pair), Adam with
 * global-norm clipping, early stopping on validation AP (transductive, random negatives), keeping the best epoch's
 * weights.
 */
public final class MemoryTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(MemoryTrainer.class);
    private static final String WORKSPACE = "tgstream-training-batch";
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final MemoryModel model;
    private final ChronologicalSplit split;
    private final TrainingConfig config;
    private final TrainingListener listener;

    public MemoryTrainer(MemoryModel model, ChronologicalSplit split, TrainingConfig config, TrainingListener listener) {
        this.model = model;
        this.split = split;
        this.config = config;
        this.listener = listener == null ? TrainingListener.NONE : listener;
    }

    /** Every epoch's report, and which was best (its weights are the model's on return). */
    public record Result(List<EpochReport> epochs, int bestEpoch) {
        public EpochReport best() {
            return epochs.get(bestEpoch - 1);
        }
    }

    public Result train() {
        EdgeStream stream = split.stream();
        int[] trainEvents = trainingEvents(split);
        int[] negativePool = destinations(trainEvents);
        if (trainEvents.length == 0) {
            throw new IllegalArgumentException("the training split of " + stream.name() + " has no events");
        }
        TrainingStep step = new TrainingStep(model, stream);
        boolean historical = config.historicalNegatives() > 0;
        PastDestinations past = historical && config.historicalKind() == HistoricalNegatives.PARTNERS
                ? new PastDestinations(stream.nodeCount()) : null;
        PastPairs pastPairs = historical && config.historicalKind() == HistoricalNegatives.PAIRS
                ? new PastPairs() : null;
        Adam adam = new Adam(config.learningRate());
        List<EpochReport> reports = new ArrayList<>();
        INDArray bestWeights = null;
        double bestAp = Double.NEGATIVE_INFINITY;
        int bestEpoch = 0;
        int sinceBest = 0;
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
            long start = System.nanoTime();
            long cpuStart = THREADS.getCurrentThreadCpuTime();
            double loss = trainEpoch(epoch, step, adam, trainEvents, negativePool, past, pastPairs);
            double trainSeconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e9;
            listener.onValidation(epoch);
            long vStart = System.nanoTime();
            EvalResult val = validate();
            double vSeconds = (System.nanoTime() - vStart) / 1e9;
            double ap = val.validation().ap();
            boolean best = ap > bestAp;
            if (best) {
                bestAp = ap;
                bestEpoch = epoch;
                bestWeights = model.parameters().flatValues().dup();
                sinceBest = 0;
            } else {
                sinceBest++;
            }
            EpochReport report = new EpochReport(epoch, loss, ap, val.validation().auc(), trainSeconds, vSeconds, best,
                    cpuSeconds);
            reports.add(report);
            LOG.info("epoch {}: train loss {}, validation AP {}, AUC {}, {} s", epoch, loss, ap,
                    val.validation().auc(), trainSeconds);
            listener.onEpoch(report);
            if (sinceBest >= config.patience()) {
                break;
            }
        }
        model.parameters().flatValues().assign(bestWeights);
        return new Result(reports, bestEpoch);
    }

    /** One pass over the training events; returns the mean loss per batch. */
    double trainEpoch(int epoch, TrainingStep step, Adam adam, int[] trainEvents, int[] negativePool,
                      PastDestinations past, PastPairs pastPairs) {
        step.reset();
        if (past != null) {
            past.reset();
        }
        if (pastPairs != null) {
            pastPairs.reset();
        }
        EdgeStream stream = split.stream();
        SplittableRandom random = new SplittableRandom(config.seed() * 0x9e3779b97f4a7c15L + epoch);
        int b = config.batchSize();
        double lossSum = 0;
        int batches = 0;
        for (int from = 0; from < trainEvents.length; from += b) {
            int n = Math.min(b, trainEvents.length - from);
            int[] events = new int[n];
            System.arraycopy(trainEvents, from, events, 0, n);
            int[] negatives = new int[n];
            // null: every negative pairs with its positive's source; whole past pairs replace both endpoints
            int[] negativeSources = pastPairs == null ? null : new int[n];
            PairIndex batchPairs = pastPairs == null ? null : PastPairs.batchPairs(stream, events);
            for (int i = 0; i < n; i++) {
                int historical = -1;
                if (negativeSources != null) {
                    negativeSources[i] = stream.src(events[i]);
                }
                // no draw at all with a zero share, so that uniform-only training keeps its exact negatives
                if (past != null && random.nextDouble() < config.historicalNegatives()) {
                    historical = past.draw(stream.src(events[i]), stream.dst(events[i]), random);
                } else if (pastPairs != null && random.nextDouble() < config.historicalNegatives()) {
                    long pair = pastPairs.draw(batchPairs, random);
                    if (pair >= 0) {
                        negativeSources[i] = PairIndex.srcOf(pair);
                        historical = PairIndex.dstOf(pair);
                    }
                }
                negatives[i] = historical >= 0 ? historical : negativePool[random.nextInt(negativePool.length)];
            }
            model.parameters().zeroGradients();
            TrainingStep.Outcome outcome;
            // the batch's temporaries come from one reused block; the outcome holds plain Java arrays only
            try (MemoryWorkspace ignored = BatchWorkspace.open(WORKSPACE)) {
                outcome = step.forwardBackward(events, negativeSources, negatives);
            }
            GradientClipping.clipGlobalNorm(model.parameters(), config.clipNorm());
            adam.step(model.parameters());
            step.commit(events, outcome);
            if (past != null) {
                past.record(stream, events);
            }
            if (pastPairs != null) {
                pastPairs.record(stream, events);
            }
            lossSum += outcome.loss();
            batches++;
            listener.onBatch(epoch, from + n, trainEvents.length, lossSum / batches);
        }
        return lossSum / batches;
    }

    private EvalResult validate() {
        EvalConfig ec = EvalConfig.defaults().withBatchSize(config.batchSize()).withValidation(true);
        LinkPredictionEvaluator evaluator = new LinkPredictionEvaluator(split, ec);
        return evaluator.evaluate(new MemoryReplay(model, split.stream()), EvalSetting.TRANSDUCTIVE, NegativeKind.RND,
                null);
    }

    /** The observed training events (those the node mask keeps), in time order. */
    public static int[] trainingEvents(ChronologicalSplit split) {
        int end = split.firstValidationEvent();
        int[] out = new int[end];
        int n = 0;
        for (int e = 0; e < end; e++) {
            if (split.isObserved(e)) {
                out[n++] = e;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** Unique destinations of the given events, in first-appearance order (the pool of random negatives). */
    private int[] destinations(int[] events) {
        EdgeStream stream = split.stream();
        boolean[] seen = new boolean[stream.nodeCount()];
        int[] out = new int[stream.nodeCount()];
        int n = 0;
        for (int e : events) {
            int v = stream.dst(e);
            if (!seen[v]) {
                seen[v] = true;
                out[n++] = v;
            }
        }
        return Arrays.copyOf(out, n);
    }
}
