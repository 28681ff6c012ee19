package io.tgstream.train;

import io.tgstream.data.EdgeStream;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The distinct (source, destination) pairs of the training replay so far, in first-seen order, from which the
 * trainer draws whole historical negative pairs ({@link HistoricalNegatives#PAIRS}): pairs that happened, but not in
 * the current batch.
 */
final class PastPairs {
    /** Draws per negative before giving up (the caller then takes a uniform negative). */
    static final int ATTEMPTS = 8;
    private final Set<Long> seen = new HashSet<>();
    private long[] pairs = new long[1024];
    private int size;

    void reset() {
        seen.clear();
        size = 0;
    }

    /** Adds a batch's pairs (after the batch was trained on: a batch never draws from itself). */
    void record(EdgeStream stream, int[] events) {
        for (int e : events) {
            long key = key(stream.src(e), stream.dst(e));
            if (seen.add(key)) {
                if (size == pairs.length) {
                    pairs = Arrays.copyOf(pairs, 2 * size);
                }
                pairs[size++] = key;
            }
        }
    }

    /** The pairs of a batch as keys, to exclude from its draws. */
    static Set<Long> batchPairs(EdgeStream stream, int[] events) {
        Set<Long> out = new HashSet<>();
        for (int e : events) {
            out.add(key(stream.src(e), stream.dst(e)));
        }
        return out;
    }

    /** A past pair not in {@code exclude}, as its key, drawn uniformly; -1 if none was found in a few draws. */
    long draw(Set<Long> exclude, SplittableRandom random) {
        for (int a = 0; a < ATTEMPTS && size > 0; a++) {
            long k = pairs[random.nextInt(size)];
            if (!exclude.contains(k)) {
                return k;
            }
        }
        return -1;
    }

    static long key(int source, int destination) {
        return ((long) source << 32) | (destination & 0xffffffffL);
    }

    static int source(long key) {
        return (int) (key >>> 32);
    }

    static int destination(long key) {
        return (int) key;
    }
}
