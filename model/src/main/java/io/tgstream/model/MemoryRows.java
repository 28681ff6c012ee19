package io.tgstream.model;

import io.tgstream.data.EdgeStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Gathers the rows that the {@link MemoryModel} reads from a {@link NodeMemoryTable}: memories, time deltas, message
 * inputs and recent-partner blocks, for a list of nodes.
 */
public final class MemoryRows {
    private final MemoryModel model;
    private final NodeMemoryTable table;
    private final int d;

    public MemoryRows(MemoryModel model, NodeMemoryTable table) {
        this.model = model;
        this.table = table;
        this.d = model.config().memoryDim();
    }

    /** The memories of the nodes, row-major [n * d]. */
    public float[] memories(int[] nodes) {
        float[] out = new float[nodes.length * d];
        for (int i = 0; i < nodes.length; i++) {
            table.copyMemory(nodes[i], out, i * d);
        }
        return out;
    }

    /** t_i - lastUpdate(node_i) as a column. */
    public INDArray timeDeltas(int[] nodes, long[] times) {
        float[] dt = new float[nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            dt[i] = (float) (times[i] - table.lastUpdate(nodes[i]));
        }
        return model.matrix(dt, nodes.length, 1);
    }

    /** The inputs of the memory update for a batch's last messages, from the table's current (pre-batch) state. */
    public record UpdateInputs(INDArray own, INDArray partner, INDArray timeDelta, INDArray features,
                               INDArray presMean, INDArray presMask, long[] times) {
    }

    public UpdateInputs updateInputs(EdgeStream stream, LastMessages last) {
        int n = last.size();
        int f = model.config().edgeFeatureDim();
        float[] own = new float[n * d];
        float[] partner = new float[n * d];
        float[] dt = new float[n];
        float[] features = f > 0 ? new float[n * f] : null;
        long[] times = new long[n];
        boolean pres = model.config().pres();
        float[] presMean = pres ? new float[n * d] : null;
        float[] presMask = pres ? new float[n] : null;
        for (int i = 0; i < n; i++) {
            int node = last.node(i);
            int e = last.event(i);
            table.copyMemory(node, own, i * d);
            table.copyMemory(last.partner(i), partner, i * d);
            times[i] = stream.timestamp(e);
            dt[i] = (float) (times[i] - table.lastUpdate(node));
            if (features != null) {
                stream.copyFeatures(e, features, i * f);
            }
            if (pres && table.hasPresPrediction(node)) {
                table.copyPresMean(node, presMean, i * d);
                presMask[i] = model.config().presCorrection().weight(last.count(i));
            }
        }
        return new UpdateInputs(model.matrix(own, n, d), model.matrix(partner, n, d), model.matrix(dt, n, 1),
                features == null ? null : model.matrix(features, n, f),
                pres ? model.matrix(presMean, n, d) : null, pres ? model.matrix(presMask, n, 1) : null, times);
    }

    /** The recent-partner entries of each node as seen at time t_i (RECENT_PARTNERS), else null. */
    public MemoryModel.PartnerBlock partnerBlock(int[] nodes, long[] times) {
        if (model.config().embedding() != EmbeddingKind.RECENT_PARTNERS) {
            return null;
        }
        int k = model.config().recentPartners();
        int p = model.config().partnerDim();
        int m = nodes.length;
        float[] values = new float[m * k * p];
        float[] ages = new float[m * k];
        float[] mask = new float[m * k];
        for (int i = 0; i < m; i++) {
            int entries = table.partnerEntries(nodes[i]);
            for (int j = 0; j < entries; j++) {
                table.copyPartnerValue(nodes[i], j, values, (i * k + j) * p);
                ages[i * k + j] = (float) (times[i] - table.partnerTime(nodes[i], j));
                mask[i * k + j] = 1f;
            }
        }
        return new MemoryModel.PartnerBlock(model.matrix(values, m * k, p), model.matrix(ages, m * k, 1),
                model.matrix(mask, m, k), k);
    }

    /**
     * Adds, for every event of the batch in order, the partner's projected pre-batch memory to each endpoint's list
     * (RECENT_PARTNERS; a no-op otherwise). Call before the batch's memories are committed.
     */
    public void recordPartners(EdgeStream stream, int[] batchEvents) {
        if (model.config().embedding() != EmbeddingKind.RECENT_PARTNERS) {
            return;
        }
        int b = batchEvents.length;
        int[] partnersOfSrc = new int[b];
        int[] partnersOfDst = new int[b];
        for (int i = 0; i < b; i++) {
            partnersOfSrc[i] = stream.dst(batchEvents[i]);
            partnersOfDst[i] = stream.src(batchEvents[i]);
        }
        float[] projSrc = model.projectPartners(memories(partnersOfSrc), b);
        float[] projDst = model.projectPartners(memories(partnersOfDst), b);
        int p = model.config().partnerDim();
        for (int i = 0; i < b; i++) {
            long t = stream.timestamp(batchEvents[i]);
            table.addPartner(stream.src(batchEvents[i]), projSrc, i * p, t);
            table.addPartner(stream.dst(batchEvents[i]), projDst, i * p, t);
        }
    }
}
