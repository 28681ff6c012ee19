package io.tgstream.eval;

import io.tgstream.data.EdgeStream;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The negative destinations a positive (s, d, t) is ranked against, TGB-style: K of them, half historical (distinct
 * destinations s interacted with in the events observed so far) and the rest uniform over the stream's unique
 * destinations, or, with "all", every unique destination. True destinations at that time (every d' with an event
 * (s, d', t)) are never negatives. Draws are without replacement, from a generator seeded by (seed, event index).
 */
final class MrrCandidates {
    private static final long PURPOSE = 0x4d5252L; // "MRR": keeps these draws apart from the negative samplers'

    private final EdgeStream stream;
    private final int k;
    private final boolean all;
    private final long seed;
    private final int[] uniqueDst;
    private int[][] history;
    private int[] historySize;
    private PairIndex seen;
    /** True pairs at the timestamp of the last query. */
    private long cachedTime = Long.MIN_VALUE;
    private PairIndex truePairs;
    private int truePairsCount;

    MrrCandidates(EdgeStream stream, int k, boolean all, long seed) {
        if (!all && k < 1) throw new IllegalArgumentException("the number of MRR negatives must be >= 1, got " + k);
        this.stream = stream;
        this.k = k;
        this.all = all;
        this.seed = seed;
        boolean[] isDst = new boolean[stream.nodeCount()];
        for (int e = 0; e < stream.size(); e++) isDst[stream.dst(e)] = true;
        int c = 0;
        for (boolean b : isDst) if (b) c++;
        uniqueDst = new int[c];
        c = 0;
        for (int v = 0; v < isDst.length; v++) if (isDst[v]) uniqueDst[c++] = v;
        reset();
    }

    void reset() {
        history = new int[stream.nodeCount()][];
        historySize = new int[stream.nodeCount()];
        seen = new PairIndex(1024);
    }

    void observe(EdgeBatch b) {
        for (int i = 0; i < b.size(); i++) {
            int s = b.src(i);
            int d = b.dst(i);
            int before = seen.size();
            if (seen.getOrAdd(s, d) != before) continue;
            int[] h = history[s];
            if (h == null) h = history[s] = new int[4];
            else if (historySize[s] == h.length) h = history[s] = Arrays.copyOf(h, h.length * 2);
            h[historySize[s]++] = d;
        }
    }

    /** The negative destinations for the positive event {@code e}. */
    int[] candidates(int e) {
        int s = stream.src(e);
        long t = stream.timestamp(e);
        PairIndex truth = truePairsAt(t);
        if (all) {
            int[] out = new int[uniqueDst.length];
            int m = 0;
            for (int d : uniqueDst) if (truth.get(s, d) < 0) out[m++] = d;
            return Arrays.copyOf(out, m);
        }
        SplittableRandom rng = SeedMixer.random(seed, PURPOSE, e);
        int[] out = new int[k];
        int m = 0;
        PairIndex taken = new PairIndex(k);
        // Historical half.
        int half = k / 2;
        int hs = historySize[s];
        int[] pool = new int[hs];
        int np = 0;
        for (int i = 0; i < hs; i++) {
            int d = history[s][i];
            if (truth.get(s, d) < 0) pool[np++] = d;
        }
        for (int i = 0; i < Math.min(half, np); i++) {
            int j = i + rng.nextInt(np - i);
            int x = pool[j];
            pool[j] = pool[i];
            pool[i] = x;
            out[m++] = x;
            taken.getOrAdd(x, 0);
        }
        // Random rest, from destinations that are neither true nor taken.
        int need = k - m;
        // At most (events at time t) + m destinations are excluded: when that leaves plenty, draw by rejection;
        // otherwise list the free destinations (small graphs, or many events at one time).
        if ((long) uniqueDst.length - truePairsCount - m >= 2L * need) {
            while (m < k) {
                int d = uniqueDst[rng.nextInt(uniqueDst.length)];
                if (truth.get(s, d) >= 0 || taken.get(d, 0) >= 0) continue;
                taken.getOrAdd(d, 0);
                out[m++] = d;
            }
            return out;
        }
        int[] rest = new int[uniqueDst.length];
        int free = 0;
        for (int d : uniqueDst) if (truth.get(s, d) < 0 && taken.get(d, 0) < 0) rest[free++] = d;
        int take = Math.min(need, free);
        for (int i = 0; i < take; i++) {
            int j = i + rng.nextInt(free - i);
            int x = rest[j];
            rest[j] = rest[i];
            rest[i] = x;
            out[m++] = x;
        }
        return m == k ? out : Arrays.copyOf(out, m);
    }

    private PairIndex truePairsAt(long t) {
        if (t != cachedTime) {
            int from = stream.firstEventAtOrAfter(t);
            int to = t == Long.MAX_VALUE ? stream.size() : stream.firstEventAtOrAfter(t + 1);
            truePairs = new PairIndex(Math.max(16, to - from));
            for (int e = from; e < to; e++) truePairs.getOrAdd(stream.src(e), stream.dst(e));
            truePairsCount = to - from;
            cachedTime = t;
        }
        return truePairs;
    }
}
