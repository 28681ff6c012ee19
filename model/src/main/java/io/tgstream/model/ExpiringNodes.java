package io.tgstream.model;

import java.util.Arrays;
import java.util.PriorityQueue;

/**
 * The offline replay's bookkeeping for {@link NodeExpiry}: which nodes hold state, the stream time, and one deadline
 * entry per node that holds state, in a heap, so that a batch start finds the expired nodes without a scan.
 *
 * <p>An entry is checked when its deadline passes: a node updated since is not expired yet and gets a new entry at
 * its current deadline; one still idle is forgotten. The streaming job keeps the same entries as RocksDB timers.
 */
final class ExpiringNodes {
    private final NodeExpiry expiry;
    private final NodeMemoryTable table;
    private final boolean[] stored;
    /** (deadline, node), earliest deadline first. */
    private final PriorityQueue<long[]> deadlines =
            new PriorityQueue<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    private long streamTime;
    private long sweptAt;
    private long evicted;
    private int storedCount;

    ExpiringNodes(NodeExpiry expiry, NodeMemoryTable table) {
        this.expiry = expiry;
        this.table = table;
        this.stored = new boolean[table.nodeCount()];
        reset();
    }

    void reset() {
        Arrays.fill(stored, false);
        deadlines.clear();
        streamTime = NodeExpiry.NO_STREAM_TIME;
        sweptAt = NodeExpiry.NO_STREAM_TIME;
        evicted = 0;
        storedCount = 0;
    }

    /** A batch wrote this node's state (last update = its last edge in the batch). */
    void written(int node) {
        if (!stored[node]) {
            stored[node] = true;
            storedCount++;
            deadlines.add(new long[] {expiry.deadline(table.lastUpdate(node)), node});
        }
    }

    /** A batch's edges were applied: the stream time of the next batch includes their timestamps. */
    void advance(long latestTimestamp) {
        streamTime = Math.max(streamTime, latestTimestamp);
    }

    /** The start of a batch (idempotent until the next {@link #advance}): evicts every node expired at it. */
    void sweep() {
        if (streamTime == sweptAt) {
            return;
        }
        sweptAt = streamTime;
        while (!deadlines.isEmpty() && deadlines.peek()[0] < streamTime) {
            int node = (int) deadlines.poll()[1];
            if (expiry.expired(table.lastUpdate(node), streamTime)) {
                table.forget(node);
                stored[node] = false;
                storedCount--;
                evicted++;
            } else {
                deadlines.add(new long[] {expiry.deadline(table.lastUpdate(node)), node});
            }
        }
    }

    long evicted() { return evicted; }

    int storedCount() { return storedCount; }

    boolean stored(int node) { return stored[node]; }
}
