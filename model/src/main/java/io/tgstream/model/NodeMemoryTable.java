package io.tgstream.model;

import java.util.Arrays;

/**
 * The state of every node of an offline replay, in flat arrays indexed by dense node index: memory, last update
 * time, PRES statistics and (for the recent-partners embedding) the list of recent partners.
 *
 * <p>This is exactly what the streaming job keeps per node in RocksDB; offline it lives in arrays so that a batch
 * can be gathered without a map lookup.
 */
public final class NodeMemoryTable {
    private final int nodes;
    private final int d;
    private final int k;
    private final int p;
    private final float[] memory;
    private final long[] lastUpdate;
    private final float[] presMean;
    private final int[] presCount;
    private final float[] partnerValue;
    private final long[] partnerTime;
    private final int[] partnerCount;

    public NodeMemoryTable(int nodes, MemoryModelConfig config) {
        this.nodes = nodes;
        this.d = config.memoryDim();
        this.k = config.recentPartners();
        this.p = config.partnerDim();
        this.memory = new float[nodes * d];
        this.lastUpdate = new long[nodes];
        this.presMean = config.pres() ? new float[nodes * d] : null;
        this.presCount = config.pres() ? new int[nodes] : null;
        boolean partners = config.embedding() == EmbeddingKind.RECENT_PARTNERS;
        this.partnerValue = partners ? new float[nodes * k * p] : null;
        this.partnerTime = partners ? new long[nodes * k] : null;
        this.partnerCount = partners ? new int[nodes] : null;
    }

    /** Back to the state before the first event: zero memory, last update 0, no statistics, no partners. */
    public void reset() {
        Arrays.fill(memory, 0f);
        Arrays.fill(lastUpdate, 0L);
        if (presMean != null) {
            Arrays.fill(presMean, 0f);
            Arrays.fill(presCount, 0);
        }
        if (partnerValue != null) {
            Arrays.fill(partnerValue, 0f);
            Arrays.fill(partnerTime, 0L);
            Arrays.fill(partnerCount, 0);
        }
    }

    /** Back to the state of a node never seen, for one node (an evicted node, see {@link NodeExpiry}). */
    public void forget(int node) {
        Arrays.fill(memory, node * d, (node + 1) * d, 0f);
        lastUpdate[node] = 0L;
        if (presMean != null) {
            Arrays.fill(presMean, node * d, (node + 1) * d, 0f);
            presCount[node] = 0;
        }
        if (partnerValue != null) {
            Arrays.fill(partnerValue, node * k * p, (node + 1) * k * p, 0f);
            Arrays.fill(partnerTime, node * k, (node + 1) * k, 0L);
            partnerCount[node] = 0;
        }
    }

    public int nodeCount() { return nodes; }

    public long lastUpdate(int node) { return lastUpdate[node]; }

    /** Copies node's memory into out[offset .. offset + d). */
    public void copyMemory(int node, float[] out, int offset) {
        System.arraycopy(memory, node * d, out, offset, d);
    }

    /** The memory's value i of a node. */
    public float memory(int node, int i) { return memory[node * d + i]; }

    /** {@link #commitMemory(int, float[], int, long, float[])} with PRES observing the new memory itself. */
    public void commitMemory(int node, float[] src, int offset, long time) {
        commitMemory(node, src, offset, time, null);
    }

    /**
     * Writes a node's new memory from src[offset ..] and its update time, and, with PRES on, folds the change into the
     * node's running mean of memory changes: mu += ((s_obs - s_old) - mu) / count, where s_obs is observed[offset ..]
     * ({@link MemoryModel#presObserved}), or the new memory when observed is null.
     */
    public void commitMemory(int node, float[] src, int offset, long time, float[] observed) {
        int base = node * d;
        if (presMean != null) {
            int c = ++presCount[node];
            float[] obs = observed != null ? observed : src;
            for (int i = 0; i < d; i++) {
                float change = obs[offset + i] - memory[base + i];
                presMean[base + i] += (change - presMean[base + i]) / c;
            }
        }
        System.arraycopy(src, offset, memory, base, d);
        lastUpdate[node] = time;
    }

    /** Whether PRES has a prediction for this node (at least one past update). */
    public boolean hasPresPrediction(int node) {
        return presCount != null && presCount[node] > 0;
    }

    /** Copies node's PRES mean change into out[offset ..]. */
    public void copyPresMean(int node, float[] out, int offset) {
        System.arraycopy(presMean, node * d, out, offset, d);
    }

    /** Appends a partner entry (value of width p, time) to node's list, overwriting the oldest when full. */
    public void addPartner(int node, float[] value, int offset, long time) {
        int slot = partnerCount[node] % k;
        System.arraycopy(value, offset, partnerValue, (node * k + slot) * p, p);
        partnerTime[node * k + slot] = time;
        partnerCount[node]++;
    }

    /** Number of valid partner entries of a node (at most K). */
    public int partnerEntries(int node) {
        return Math.min(partnerCount[node], k);
    }

    /** The value of entry j of node's partner list, copied into out[offset ..]. */
    public void copyPartnerValue(int node, int j, float[] out, int offset) {
        System.arraycopy(partnerValue, (node * k + j) * p, out, offset, p);
    }

    public long partnerTime(int node, int j) { return partnerTime[node * k + j]; }
}
