package io.tgstream.eval;

import io.tgstream.data.EdgeStream;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The DyGLib/TGN chronological split of an {@link EdgeStream}, with the inductive node mask.
 *
 * <p>q_val and q_test are the 0.70 and 0.85 quantiles of all timestamps ({@link LinearQuantile}); train is
 * t <= q_val, validation q_val < t <= q_test, test t > q_test. Then floor(0.1 |V|) nodes are drawn (seeded, seed
 * 2020) among the nodes of the events after q_val, and every training event touching one of them is removed from the
 * stream that models observe (in both settings, as DyGLib trains one model for both). Training nodes are the nodes
 * of the remaining training events; a new-node event is a validation or test event with at least one endpoint that
 * is not a training node.
 */
public final class ChronologicalSplit {
    /** Timestamp quantile that ends training. */
    public static final double VALIDATION_QUANTILE = 0.70;
    /** Timestamp quantile that ends validation. */
    public static final double TEST_QUANTILE = 0.85;
    /** Fraction of all nodes masked out of training for the inductive setting. */
    public static final double NEW_NODE_FRACTION = 0.1;
    /** Seed of the inductive node mask (TGN's and DyGLib's). */
    public static final long MASK_SEED = 2020;

    private final EdgeStream stream;
    private final double validationTime;
    private final double testTime;
    private final int firstValidationEvent;
    private final int firstTestEvent;
    private final boolean[] maskedNode;
    private final boolean[] trainingNode;
    private final boolean[] observed;
    private final int maskedNodeCount;
    private final long lastTrainingTime;

    private ChronologicalSplit(EdgeStream stream, long maskSeed) {
        this.stream = stream;
        int n = stream.size();
        if (n == 0) throw new IllegalArgumentException("cannot split an empty stream");
        long[] ts = new long[n];
        for (int e = 0; e < n; e++) ts[e] = stream.timestamp(e);
        validationTime = LinearQuantile.of(ts, n, VALIDATION_QUANTILE);
        testTime = LinearQuantile.of(ts, n, TEST_QUANTILE);
        firstValidationEvent = firstAfter(ts, validationTime);
        firstTestEvent = firstAfter(ts, testTime);

        int nodes = stream.nodeCount();
        boolean[] late = new boolean[nodes];
        for (int e = firstValidationEvent; e < n; e++) {
            late[stream.src(e)] = true;
            late[stream.dst(e)] = true;
        }
        int[] candidates = new int[nodes];
        int c = 0;
        for (int v = 0; v < nodes; v++) if (late[v]) candidates[c++] = v;
        int draw = Math.min(c, (int) (NEW_NODE_FRACTION * nodes));
        SplittableRandom rng = SeedMixer.random(maskSeed);
        maskedNode = new boolean[nodes];
        for (int i = 0; i < draw; i++) { // partial Fisher-Yates over the candidates in node order
            int j = i + rng.nextInt(c - i);
            int t = candidates[i];
            candidates[i] = candidates[j];
            candidates[j] = t;
            maskedNode[candidates[i]] = true;
        }
        maskedNodeCount = draw;

        observed = new boolean[n];
        trainingNode = new boolean[nodes];
        long lastTrain = Long.MIN_VALUE;
        for (int e = 0; e < n; e++) {
            boolean keep = e >= firstValidationEvent || !(maskedNode[stream.src(e)] || maskedNode[stream.dst(e)]);
            observed[e] = keep;
            if (keep && e < firstValidationEvent) {
                trainingNode[stream.src(e)] = true;
                trainingNode[stream.dst(e)] = true;
                lastTrain = stream.timestamp(e);
            }
        }
        lastTrainingTime = lastTrain == Long.MIN_VALUE ? stream.firstTimestamp() : lastTrain;
    }

    /** The split of {@code stream} with the protocol's mask seed. */
    public static ChronologicalSplit of(EdgeStream stream) {
        return new ChronologicalSplit(stream, MASK_SEED);
    }

    /** The split with another mask seed (for sensitivity checks). */
    public static ChronologicalSplit of(EdgeStream stream, long maskSeed) {
        return new ChronologicalSplit(stream, maskSeed);
    }

    private static int firstAfter(long[] ts, double q) {
        int lo = 0;
        int hi = ts.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ts[mid] <= q) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    public EdgeStream stream() { return stream; }
    /** q_val: training is t <= this. */
    public double validationTime() { return validationTime; }
    /** q_test: test is t > this. */
    public double testTime() { return testTime; }
    public int firstValidationEvent() { return firstValidationEvent; }
    public int firstTestEvent() { return firstTestEvent; }
    public int maskedNodeCount() { return maskedNodeCount; }
    public boolean isMaskedNode(int node) { return maskedNode[node]; }
    public boolean isTrainingNode(int node) { return trainingNode[node]; }
    /** False only for training events removed by the node mask: the models never see them. */
    public boolean isObserved(int e) { return observed[e]; }
    /** A validation or test event with an endpoint that is not a training node. */
    public boolean isNewNodeEvent(int e) {
        return e >= firstValidationEvent && (!trainingNode[stream.src(e)] || !trainingNode[stream.dst(e)]);
    }
    /** Time of the last training event that models observe (DyGLib's last observed time for validation). */
    public long lastTrainingTime() { return lastTrainingTime; }
    /** Time of the last validation event (DyGLib's last observed time for test). */
    public long lastValidationTime() {
        return firstTestEvent > 0 ? stream.timestamp(firstTestEvent - 1) : stream.firstTimestamp();
    }

    /** The event indices of validation (or test) scored in the setting, in time order. */
    public int[] scoredEvents(boolean test, EvalSetting setting) {
        int from = test ? firstTestEvent : firstValidationEvent;
        int to = test ? stream.size() : firstTestEvent;
        int[] out = new int[to - from];
        int k = 0;
        for (int e = from; e < to; e++) {
            if (setting == EvalSetting.TRANSDUCTIVE || isNewNodeEvent(e)) out[k++] = e;
        }
        return Arrays.copyOf(out, k);
    }

    /** Number of observed training events. */
    public int observedTrainingEvents() {
        int k = 0;
        for (int e = 0; e < firstValidationEvent; e++) if (observed[e]) k++;
        return k;
    }
}
