package io.tgstream.eval;

import java.util.Arrays;

/**
 * EdgeBank, the memorisation baseline (Poursafaei et al., NeurIPS 2022): score(u, v) = 1 if the pair (u, v) is in
 * memory, else 0; the memory is built from every observed event according to its {@link EdgeBankMode}.
 *
 * <p>Per unique directed pair it keeps the count, the first and last observed times (for the mean gap between repeats,
 * which telescopes: mean of consecutive gaps = (last - first) / (count - 1)) and the newest time (for windows). The
 * window and threshold are recomputed from these at the first scoring after new observations. Scoring never changes
 * what was observed.
 */
public final class EdgeBank implements LinkScorer {
    /** Share of the history a fixed-proportion window keeps: DyGLib passes its test ratio, 0.15. */
    public static final double WINDOW_PROPORTION = 0.15;

    private final EdgeBankMode mode;
    private PairIndex pairs;
    private int[] count;
    private long[] firstTime;
    private long[] lastTime;
    private long[] newestTime;
    private long[] times;
    private int nTimes;
    private boolean timesSorted;
    private long maxTime;
    /** Cached decision rule: pairs with newestTime >= windowStart and count * uniquePairs >= countTimesPairs. */
    private boolean stale;
    private double windowStart;

    public EdgeBank(EdgeBankMode mode) {
        this.mode = mode;
        reset();
    }

    public EdgeBankMode mode() { return mode; }

    @Override
    public void reset() {
        pairs = new PairIndex(1024);
        count = new int[1024];
        firstTime = new long[1024];
        lastTime = new long[1024];
        newestTime = new long[1024];
        times = new long[1024];
        nTimes = 0;
        timesSorted = true;
        maxTime = Long.MIN_VALUE;
        stale = true;
    }

    @Override
    public void observe(EdgeBatch batch) {
        for (int i = 0; i < batch.size(); i++) {
            long t = batch.timestamp(i);
            int p = pairs.getOrAdd(batch.src(i), batch.dst(i));
            if (p == count.length) grow();
            if (count[p] == 0) {
                firstTime[p] = t;
                newestTime[p] = t;
            }
            count[p]++;
            lastTime[p] = t;
            newestTime[p] = Math.max(newestTime[p], t);
            if (nTimes == times.length) times = Arrays.copyOf(times, nTimes * 2);
            if (nTimes > 0 && t < times[nTimes - 1]) timesSorted = false;
            times[nTimes++] = t;
            maxTime = Math.max(maxTime, t);
        }
        if (batch.size() > 0) stale = true;
    }

    private void grow() {
        int cap = count.length * 2;
        count = Arrays.copyOf(count, cap);
        firstTime = Arrays.copyOf(firstTime, cap);
        lastTime = Arrays.copyOf(lastTime, cap);
        newestTime = Arrays.copyOf(newestTime, cap);
    }

    @Override
    public float[] score(int[] src, int[] dst, long[] t) {
        refresh();
        float[] out = new float[src.length];
        long unique = pairs.size();
        for (int i = 0; i < src.length; i++) {
            int p = pairs.get(src[i], dst[i]);
            boolean in;
            if (p < 0) {
                in = false;
            } else {
                in = switch (mode) {
                    case UNLIMITED -> true;
                    case WINDOW_FIXED_PROPORTION, WINDOW_REPEAT_INTERVAL -> newestTime[p] >= windowStart;
                    case REPEAT_THRESHOLD -> (long) count[p] * unique >= nTimes; // count >= mean count, exactly
                };
            }
            out[i] = in ? 1f : 0f;
        }
        return out;
    }

    private void refresh() {
        if (!stale || nTimes == 0) return;
        if (mode == EdgeBankMode.WINDOW_FIXED_PROPORTION) {
            if (!timesSorted) {
                Arrays.sort(times, 0, nTimes);
                timesSorted = true;
            }
            windowStart = LinearQuantile.of(times, nTimes, 1 - WINDOW_PROPORTION);
        } else if (mode == EdgeBankMode.WINDOW_REPEAT_INTERVAL) {
            double sum = 0;
            for (int p = 0; p < pairs.size(); p++) {
                if (count[p] > 1) sum += (double) (lastTime[p] - firstTime[p]) / (count[p] - 1);
            }
            windowStart = maxTime - sum / pairs.size();
        }
        stale = false;
    }
}
