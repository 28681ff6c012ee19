package io.tgstream.model;

import io.tgstream.data.EdgeStream;
import java.util.Arrays;

/**
 * TGN's "last" message aggregation of one temporal batch: for every node touched by the batch, the last event (in
 * batch order) in which it took part, and its partner there.
 *
 * <p>Nodes are listed in order of first appearance in the batch, so the result is deterministic. An event (u, v)
 * gives u the partner v and v the partner u; a self-loop gives the node itself as partner.
 */
public final class LastMessages {
    private final int[] nodes;
    private final int[] partners;
    private final int[] events;
    private final int[] counts;

    private LastMessages(int[] nodes, int[] partners, int[] events, int[] counts) {
        this.nodes = nodes;
        this.partners = partners;
        this.events = events;
        this.counts = counts;
    }

    /**
     * Aggregates the events (stream indices, in time order).
     *
     * @param slotOfNode scratch of length nodeCount filled with -1; left filled with -1 on return
     */
    public static LastMessages of(EdgeStream stream, int[] batchEvents, int[] slotOfNode) {
        int[] nodes = new int[2 * batchEvents.length];
        int[] partners = new int[nodes.length];
        int[] events = new int[nodes.length];
        int[] counts = new int[nodes.length];
        int n = 0;
        for (int e : batchEvents) {
            int u = stream.src(e);
            int v = stream.dst(e);
            n = put(slotOfNode, nodes, partners, events, counts, n, u, v, e);
            n = put(slotOfNode, nodes, partners, events, counts, n, v, u, e);
        }
        for (int i = 0; i < n; i++) {
            slotOfNode[nodes[i]] = -1;
        }
        return new LastMessages(Arrays.copyOf(nodes, n), Arrays.copyOf(partners, n), Arrays.copyOf(events, n),
                Arrays.copyOf(counts, n));
    }

    private static int put(int[] slotOfNode, int[] nodes, int[] partners, int[] events, int[] counts, int n, int node,
                           int partner, int event) {
        int slot = slotOfNode[node];
        if (slot < 0) {
            slot = n++;
            slotOfNode[node] = slot;
            nodes[slot] = node;
        }
        partners[slot] = partner;
        events[slot] = event;
        counts[slot]++;
        return n;
    }

    public int size() { return nodes.length; }
    public int node(int i) { return nodes[i]; }
    public int partner(int i) { return partners[i]; }
    /** The stream index of the node's last event in the batch. */
    public int event(int i) { return events[i]; }
    public int[] nodes() { return nodes.clone(); }
    /** How many messages the node had in the batch (a self-loop counts twice). */
    public int count(int i) { return counts[i]; }
}
