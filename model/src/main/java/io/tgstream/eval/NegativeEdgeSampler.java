package io.tgstream.eval;

import io.tgstream.data.EdgeStream;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One negative per positive, with DyGLib's semantics for its three strategies, over a set of "sampler events" (the
 * whole stream for the transductive passes, the new-node events of the split for the inductive ones).
 *
 * <ul>
 *   <li>rnd: the negative keeps the positive's source; its destination is uniform over the unique destinations of the
 *   sampler events.</li>
 *   <li>hist: candidates are the unique pairs (src, dst) of sampler events with t in [earliest, batch start], minus
 *   the pairs of sampler events with t in [batch start, batch end]; {@code size} of them are drawn without
 *   replacement, both endpoints from the drawn pair. With fewer candidates than needed, all are taken and the rest
 *   are random pairs from (unique sources x unique destinations) minus the batch's own positive pairs (without
 *   replacement unless there are too few).</li>
 *   <li>ind: as hist, but candidates also exclude every pair seen in [earliest, last observed time].</li>
 * </ul>
 * Randomness comes from a generator seeded by (seed, sampler seed, batch number), so every pass that starts from
 * batch 0 draws the same negatives: this is DyGLib's reset before each pass, with our own generator.
 *
 * <p><b>Inductive setting: hist and ind are the same draw.</b>
 * For a new-node pass the sampler events are only that split's new-node events (DyGLib builds its new-node samplers
 * from {@code new_node_val_data} / {@code new_node_test_data} alone) and the last observed time is the end of training
 * (validation) or of validation (test). Every such event comes after that time (training t <= q_val < validation t,
 * validation t <= q_test < test t), so no sampler pair was seen by the last observed time: ind excludes nothing hist
 * does not, every batch has the same candidates, and with one sampler seed per split for both kinds (1 for new-node
 * validation, 3 for new-node test, as DyGLib) the negatives, hence the metrics, are identical. The two kinds differ
 * only in the transductive passes, whose sampler holds the whole stream.
 *
 * <p>DyGLib's own inductive hist and ind numbers can still differ, for a reason outside the protocol: it holds the
 * candidates in Python sets and draws positions in their iteration order. hist enumerates {@code window - batch},
 * ind {@code (window - observed) - batch} with {@code observed} empty; CPython may lay the two equal sets out in
 * different orders (it only can when the batch has at least a quarter as many pairs as the window, which happens in
 * early batches), and then the same random positions pick different pairs. With DyGLib's sampler on uci's new-node
 * splits that changed the draws of 2 of 26 validation and 2 of 30 test batches (for models whose neighbour sampler
 * draws at random, the different pairs can also shift that sampler's random stream). We number candidates by first
 * appearance, whatever the kind, so we have no such artefact.
 */
public final class NegativeEdgeSampler {
    private final NegativeKind kind;
    private final long seed;
    private final int[] uniqueSrc;
    private final int[] uniqueDst;
    private final long lastObservedTime;
    /** Sampler events' times, ascending, and their pair numbers. */
    private final long[] times;
    private final int[] eventPair;
    /** Unique pairs in order of first appearance, with the time of that first appearance (non-decreasing). */
    private final int[] pairSrc;
    private final int[] pairDst;
    private final long[] pairFirstTime;
    private final PairIndex pairs;

    /**
     * @param events      the sampler events (stream indices, ascending)
     * @param lastObserved DyGLib's last observed time (for ind: end of training for validation, of validation for test)
     * @param seed        the sampler's seed (already mixed with the run seed)
     */
    public NegativeEdgeSampler(EdgeStream stream, int[] events, NegativeKind kind, long lastObserved, long seed) {
        if (events.length == 0) throw new IllegalArgumentException("a negative sampler needs at least one event");
        this.kind = kind;
        this.seed = seed;
        this.lastObservedTime = lastObserved;
        int n = events.length;
        times = new long[n];
        eventPair = new int[n];
        pairs = new PairIndex(Math.min(n, 1 << 20));
        int[] ps = new int[n];
        int[] pd = new int[n];
        long[] pt = new long[n];
        boolean[] isSrc = new boolean[stream.nodeCount()];
        boolean[] isDst = new boolean[stream.nodeCount()];
        for (int k = 0; k < n; k++) {
            int e = events[k];
            int s = stream.src(e);
            int d = stream.dst(e);
            times[k] = stream.timestamp(e);
            if (k > 0 && times[k] < times[k - 1]) throw new IllegalArgumentException("sampler events must be in time order");
            int before = pairs.size();
            int p = pairs.getOrAdd(s, d);
            if (p == before) {
                ps[p] = s;
                pd[p] = d;
                pt[p] = times[k];
            }
            eventPair[k] = p;
            isSrc[s] = true;
            isDst[d] = true;
        }
        pairSrc = Arrays.copyOf(ps, pairs.size());
        pairDst = Arrays.copyOf(pd, pairs.size());
        pairFirstTime = Arrays.copyOf(pt, pairs.size());
        uniqueSrc = indicesOf(isSrc);
        uniqueDst = indicesOf(isDst);
    }

    private static int[] indicesOf(boolean[] flags) {
        int c = 0;
        for (boolean f : flags) if (f) c++;
        int[] out = new int[c];
        c = 0;
        for (int i = 0; i < flags.length; i++) if (flags[i]) out[c++] = i;
        return out;
    }

    public NegativeKind kind() { return kind; }

    /**
     * Negatives for one batch of positives.
     *
     * @param batchNumber 0 for the first batch of the pass, 1 for the next, ...
     * @return {negative sources, negative destinations}, one per positive
     */
    public int[][] sample(int batchNumber, int[] posSrc, int[] posDst, long batchStart, long batchEnd) {
        int size = posSrc.length;
        SplittableRandom rng = SeedMixer.random(seed, batchNumber);
        if (kind == NegativeKind.RND) {
            int[] dst = new int[size];
            for (int i = 0; i < size; i++) dst[i] = uniqueDst[rng.nextInt(uniqueDst.length)];
            return new int[][] {posSrc.clone(), dst};
        }
        // Candidate pairs are a range of first-appearance numbers: first time <= batch start, and for ind also
        // > last observed time (a pair was seen by then exactly when its first appearance was).
        int hi = upperBound(pairFirstTime, batchStart);
        int lo = kind == NegativeKind.IND ? upperBound(pairFirstTime, lastObservedTime) : 0;
        lo = Math.min(lo, hi);
        // Pairs that occur within [batch start, batch end] are not negatives.
        int from = lowerBound(times, batchStart);
        int to = upperBound(times, batchEnd);
        PairIndex excluded = new PairIndex(Math.max(16, to - from));
        for (int k = from; k < to; k++) {
            int p = eventPair[k];
            if (p >= lo && p < hi) excluded.getOrAdd(p, 0);
        }
        int available = (hi - lo) - excluded.size();
        int[] src = new int[size];
        int[] dst = new int[size];
        if (available >= size) {
            int[] chosen = drawDistinct(rng, lo, hi, size, excluded);
            for (int i = 0; i < size; i++) {
                src[i] = pairSrc[chosen[i]];
                dst[i] = pairDst[chosen[i]];
            }
            return new int[][] {src, dst};
        }
        int k = 0;
        for (int p = lo; p < hi; p++) {
            if (excluded.get(p, 0) >= 0) continue;
            src[k] = pairSrc[p];
            dst[k] = pairDst[p];
            k++;
        }
        randomPairs(rng, size - k, posSrc, posDst, src, dst, k);
        return new int[][] {src, dst};
    }

    /** {@code count} distinct numbers from [lo, hi) that are not in {@code excluded}, in draw order. */
    private static int[] drawDistinct(SplittableRandom rng, int lo, int hi, int count, PairIndex excluded) {
        int range = hi - lo;
        int[] out = new int[count];
        if ((long) count * 2 <= range - excluded.size()) {
            PairIndex taken = new PairIndex(count);
            int k = 0;
            while (k < count) {
                int p = lo + rng.nextInt(range);
                if (excluded.get(p, 0) >= 0 || taken.get(p, 0) >= 0) continue;
                taken.getOrAdd(p, 0);
                out[k++] = p;
            }
            return out;
        }
        int[] pool = new int[range - excluded.size()];
        int m = 0;
        for (int p = lo; p < hi; p++) if (excluded.get(p, 0) < 0) pool[m++] = p;
        for (int i = 0; i < count; i++) { // partial Fisher-Yates
            int j = i + rng.nextInt(m - i);
            int t = pool[i];
            pool[i] = pool[j];
            pool[j] = t;
            out[i] = pool[i];
        }
        return out;
    }

    /**
     * Fills {@code count} random pairs from unique sources x unique destinations minus the batch's positive pairs
     * into src/dst from {@code offset}: without replacement when there are enough, else with replacement.
     */
    private void randomPairs(SplittableRandom rng, int count, int[] posSrc, int[] posDst, int[] src, int[] dst,
                             int offset) {
        if (count <= 0) return;
        PairIndex batch = new PairIndex(posSrc.length);
        for (int i = 0; i < posSrc.length; i++) batch.getOrAdd(posSrc[i], posDst[i]);
        long product = (long) uniqueSrc.length * uniqueDst.length;
        if (product >= 2L * (count + posSrc.length)) {
            PairIndex taken = new PairIndex(count);
            int k = 0;
            while (k < count) {
                int s = uniqueSrc[rng.nextInt(uniqueSrc.length)];
                int d = uniqueDst[rng.nextInt(uniqueDst.length)];
                if (batch.get(s, d) >= 0 || taken.get(s, d) >= 0) continue;
                taken.getOrAdd(s, d);
                src[offset + k] = s;
                dst[offset + k] = d;
                k++;
            }
            return;
        }
        // Small product: enumerate it.
        long[] pool = new long[(int) product];
        int m = 0;
        for (int s : uniqueSrc) {
            for (int d : uniqueDst) {
                if (batch.get(s, d) < 0) pool[m++] = PairIndex.pack(s, d);
            }
        }
        if (m == 0) throw new IllegalStateException("no pair of a source and a destination is free to be a negative");
        boolean replace = m < count;
        for (int i = 0; i < count; i++) {
            long p;
            if (replace) {
                p = pool[rng.nextInt(m)];
            } else {
                int j = i + rng.nextInt(m - i);
                p = pool[j];
                pool[j] = pool[i];
                pool[i] = p;
            }
            src[offset + i] = PairIndex.srcOf(p);
            dst[offset + i] = PairIndex.dstOf(p);
        }
    }

    /** First index with a[i] > t. */
    private static int upperBound(long[] a, long t) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= t) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /** First index with a[i] >= t. */
    private static int lowerBound(long[] a, long t) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < t) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
