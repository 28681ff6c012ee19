package io.tgstream.operators.node;

import io.tgstream.model.MemoryModel;
import io.tgstream.state.NodeState;

/**
 * Gathers the recent-partner entries of m rows into the {@link MemoryModel.PartnerBlock} layout that the offline
 * replay builds ({@code MemoryRows.partnerBlock}): slot j of row i at (i K + j), age = t_i - t_j, mask 1 for the
 * min(count, K) valid slots.
 */
final class PartnerBlockRows {
    private final int k;
    private final int p;
    private final float[] values;
    private final float[] ages;
    private final float[] mask;
    private final int rows;

    PartnerBlockRows(int rows, int k, int p) {
        this.rows = rows;
        this.k = k;
        this.p = p;
        this.values = new float[rows * k * p];
        this.ages = new float[rows * k];
        this.mask = new float[rows * k];
    }

    /** Row i from a half's raw ring buffer (values [K * p], times [K], write count). */
    void set(int i, float[] partnerValues, long[] partnerTimes, int count, long t) {
        int entries = Math.min(count, k);
        System.arraycopy(partnerValues, 0, values, i * k * p, entries * p);
        for (int j = 0; j < entries; j++) {
            ages[i * k + j] = (float) (t - partnerTimes[j]);
            mask[i * k + j] = 1f;
        }
    }

    /** Row i from a node state. */
    void set(int i, NodeState s, long t) {
        int entries = s.partnerEntries();
        for (int j = 0; j < entries; j++) {
            s.copyPartnerValue(j, values, (i * k + j) * p);
            ages[i * k + j] = (float) (t - s.partnerTime(j));
            mask[i * k + j] = 1f;
        }
    }

    MemoryModel.PartnerBlock block(MemoryModel model) {
        return new MemoryModel.PartnerBlock(model.matrix(values, rows * k, p), model.matrix(ages, rows * k, 1),
                model.matrix(mask, rows, k), k);
    }
}
