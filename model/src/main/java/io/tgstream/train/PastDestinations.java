package io.tgstream.train;

import io.tgstream.data.EdgeStream;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Each node's last K partners in the training replay so far (a ring per node, both directions of an event), from which
 * the trainer draws "historical" negatives: (u, x) where u did meet x, but not in the current event.
 */
final class PastDestinations {
    /** Partners remembered per node. */
    static final int SLOTS = 10;
    private final int[] partners;
    private final int[] counts;

    PastDestinations(int nodes) {
        this.partners = new int[nodes * SLOTS];
        this.counts = new int[nodes];
    }

    void reset() {
        Arrays.fill(counts, 0);
    }

    /** Adds a batch's events (after the batch was trained on: a batch never draws from itself). */
    void record(EdgeStream stream, int[] events) {
        for (int e : events) {
            add(stream.src(e), stream.dst(e));
            add(stream.dst(e), stream.src(e));
        }
    }

    private void add(int node, int partner) {
        partners[node * SLOTS + counts[node] % SLOTS] = partner;
        counts[node]++;
    }

    /** A past partner of {@code node} other than {@code exclude}, drawn uniformly from the ring, or -1 if none. */
    int draw(int node, int exclude, SplittableRandom random) {
        int n = Math.min(counts[node], SLOTS);
        if (n == 0) {
            return -1;
        }
        int x = partners[node * SLOTS + random.nextInt(n)];
        return x == exclude ? -1 : x;
    }
}
