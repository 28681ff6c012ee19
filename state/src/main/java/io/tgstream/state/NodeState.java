package io.tgstream.state;

import java.util.Arrays;

/**
 * One node's state in the streaming job: memory, last update time, PRES statistics and the recent-partner list.
 *
 * <p>It holds per node exactly what {@code io.tgstream.model.NodeMemoryTable} holds in its arrays, with the same
 * update rules, so that the stream and the offline replay evolve identically:
 * <pre>
 *   commit:   mu += ((s_new - s_old) - mu) / (++count)   (PRES on);  s = s_new;  t_last = t
 *   partner:  entry[count_p mod K] = (P s_partner, t);  count_p += 1
 * </pre>
 * Sections that the model does not use have length 0 (no PRES: no mean; no recent partners: K = 0). A later format
 * adds NAT's hop-1/hop-2 dictionaries as a further section (a new serializer version, see
 * {@link NodeStateSerializer}). Mutable, not thread-safe: one operator owns it at a time.
 */
public final class NodeState {
    private final float[] memory;
    private long lastUpdate;
    private final float[] presMean;
    private int presCount;
    private final int partnerDim;
    private final float[] partnerValues;
    private final long[] partnerTimes;
    private int partnerCount;

    NodeState(float[] memory, long lastUpdate, float[] presMean, int presCount, int partnerDim,
              float[] partnerValues, long[] partnerTimes, int partnerCount) {
        this.memory = memory;
        this.lastUpdate = lastUpdate;
        this.presMean = presMean;
        this.presCount = presCount;
        this.partnerDim = partnerDim;
        this.partnerValues = partnerValues;
        this.partnerTimes = partnerTimes;
        this.partnerCount = partnerCount;
    }

    /**
     * The state of a node never seen: zero memory, last update 0, no statistics, no partners.
     *
     * @param memoryDim      d
     * @param pres           whether PRES statistics are kept
     * @param partnerSlots   K, or 0 when the model keeps no recent partners
     * @param partnerDim     p, width of a partner entry (ignored when K = 0)
     */
    public static NodeState empty(int memoryDim, boolean pres, int partnerSlots, int partnerDim) {
        if (memoryDim < 0 || partnerSlots < 0 || partnerDim < 0) {
            throw new IllegalArgumentException("node state dimensions must be >= 0");
        }
        int p = partnerSlots == 0 ? 0 : partnerDim;
        return new NodeState(new float[memoryDim], 0L, new float[pres ? memoryDim : 0], 0, p,
                new float[partnerSlots * p], new long[partnerSlots], 0);
    }

    public int memoryDim() { return memory.length; }
    public long lastUpdate() { return lastUpdate; }
    public boolean keepsPres() { return presMean.length > 0; }
    public int presCount() { return presCount; }
    public int partnerSlots() { return partnerTimes.length; }
    public int partnerDim() { return partnerDim; }
    /** Total partner entries ever added (the ring buffer's write count). */
    public int partnerCount() { return partnerCount; }

    /** Number of valid partner entries (at most K). */
    public int partnerEntries() {
        return Math.min(partnerCount, partnerTimes.length);
    }

    /** Copies the memory into out[offset .. offset + d). */
    public void copyMemory(float[] out, int offset) {
        System.arraycopy(memory, 0, out, offset, memory.length);
    }

    public float memory(int i) { return memory[i]; }

    /** Whether PRES has a prediction (at least one past update). */
    public boolean hasPresPrediction() {
        return presMean.length > 0 && presCount > 0;
    }

    /** Copies the PRES mean change into out[offset ..]. */
    public void copyPresMean(float[] out, int offset) {
        System.arraycopy(presMean, 0, out, offset, presMean.length);
    }

    /** Copies the value of partner slot j into out[offset ..]. */
    public void copyPartnerValue(int j, float[] out, int offset) {
        System.arraycopy(partnerValues, j * partnerDim, out, offset, partnerDim);
    }

    public long partnerTime(int j) { return partnerTimes[j]; }

    /** The raw partner values [K * p] and times [K] (for a half sent to a partner); copies. */
    public float[] partnerValues() { return partnerValues.clone(); }

    public long[] partnerTimes() { return partnerTimes.clone(); }

    /** Writes the new memory from src[offset ..] and the update time, folding the change into the PRES mean. */
    public void commitMemory(float[] src, int offset, long time) {
        commitMemory(src, offset, time, null);
    }

    /**
     * As {@link #commitMemory(float[], int, long)}, with PRES's mean folding in observed[offset ..] - s_old instead of
     * the new memory's change when observed is not null (the model's {@code MemoryModel.presObserved}).
     */
    public void commitMemory(float[] src, int offset, long time, float[] observed) {
        if (presMean.length > 0) {
            int c = ++presCount;
            float[] obs = observed != null ? observed : src;
            for (int i = 0; i < memory.length; i++) {
                float change = obs[offset + i] - memory[i];
                presMean[i] += (change - presMean[i]) / c;
            }
        }
        System.arraycopy(src, offset, memory, 0, memory.length);
        lastUpdate = time;
    }

    /** Appends a partner entry (p values from value[offset ..], time), overwriting the oldest when full. */
    public void addPartner(float[] value, int offset, long time) {
        int k = partnerTimes.length;
        if (k == 0) {
            throw new IllegalStateException("this node state keeps no recent partners");
        }
        int slot = Math.floorMod(partnerCount, k);
        System.arraycopy(value, offset, partnerValues, slot * partnerDim, partnerDim);
        partnerTimes[slot] = time;
        partnerCount++;
    }

    /** A deep copy. */
    public NodeState copy() {
        return new NodeState(memory.clone(), lastUpdate, presMean.clone(), presCount, partnerDim,
                partnerValues.clone(), partnerTimes.clone(), partnerCount);
    }

    // package-private views for the serializer
    float[] memoryArray() { return memory; }
    float[] presMeanArray() { return presMean; }
    float[] partnerValuesArray() { return partnerValues; }
    long[] partnerTimesArray() { return partnerTimes; }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof NodeState s)) return false;
        return lastUpdate == s.lastUpdate && presCount == s.presCount && partnerDim == s.partnerDim
                && partnerCount == s.partnerCount && Arrays.equals(memory, s.memory)
                && Arrays.equals(presMean, s.presMean) && Arrays.equals(partnerValues, s.partnerValues)
                && Arrays.equals(partnerTimes, s.partnerTimes);
    }

    @Override
    public int hashCode() {
        int h = Long.hashCode(lastUpdate) * 31 + presCount;
        h = h * 31 + partnerCount;
        h = h * 31 + Arrays.hashCode(memory);
        h = h * 31 + Arrays.hashCode(presMean);
        return h * 31 + Arrays.hashCode(partnerTimes);
    }

    @Override
    public String toString() {
        return "NodeState{d=" + memory.length + ", lastUpdate=" + lastUpdate + ", presCount=" + presCount
                + (presMean.length > 0 ? "" : " (no PRES)") + ", partners=" + partnerEntries() + "/" + partnerSlots()
                + "x" + partnerDim + '}';
    }
}
