package io.tgstream.train;

import io.tgstream.data.EdgeStream;
import io.tgstream.eval.PairIndex;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The distinct (source, destination) pairs of the training replay so far, in first-seen order, from which the
 * trainer draws whole historical negative pairs ({@link HistoricalNegatives#PAIRS}): pairs that happened, but not in
 * the current batch.
 */
final class PastPairs {
    /** Draws per negative before giving up (the caller then takes a uniform negative). */
    static final int ATTEMPTS = 8;
    /** The pairs seen, numbered in first-seen order; pairs[i] is pair number i, packed. */
    private final PairIndex seen = new PairIndex(1024);
    private long[] pairs = new long[1024];

    void reset() {
        seen.clear();
    }

    /** Adds a batch's pairs (after the batch was trained on: a batch never draws from itself). */
    void record(EdgeStream stream, int[] events) {
        for (int e : events) {
            int number = seen.getOrAdd(stream.src(e), stream.dst(e));
            if (number == pairs.length) {
                pairs = Arrays.copyOf(pairs, 2 * number);
            }
            pairs[number] = PairIndex.pack(stream.src(e), stream.dst(e));
        }
    }

    /** The pairs of a batch as keys, to exclude from its draws. */
    static PairIndex batchPairs(EdgeStream stream, int[] events) {
        PairIndex out = new PairIndex(events.length);
        for (int e : events) {
            out.getOrAdd(stream.src(e), stream.dst(e));
        }
        return out;
    }

    /**
     * A past pair not in {@code exclude}, packed ({@link PairIndex#pack}), drawn uniformly; -1 if none was found in a
     * few draws.
     */
    long draw(PairIndex exclude, SplittableRandom random) {
        int size = seen.size();
        for (int a = 0; a < ATTEMPTS && size > 0; a++) {
            long k = pairs[random.nextInt(size)];
            if (exclude.get(PairIndex.srcOf(k), PairIndex.dstOf(k)) < 0) {
                return k;
            }
        }
        return -1;
    }
}
