package io.tgstream.model;

import io.tgstream.data.EdgeStream;
import io.tgstream.eval.EdgeBatch;
import io.tgstream.eval.LinkScorer;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Replays a stream through a trained {@link MemoryModel} under the batch contract, as a {@link LinkScorer}: scores
 * read every node as of the end of the previous batch; {@link #observe} then applies the batch's memory updates.
 */
public final class MemoryReplay implements LinkScorer {
    private final MemoryModel model;
    private final EdgeStream stream;
    private final NodeMemoryTable table;
    private final MemoryRows rows;
    private final int[] slotOfNode;

    public MemoryReplay(MemoryModel model, EdgeStream stream) {
        this.model = model;
        this.stream = stream;
        this.table = new NodeMemoryTable(stream.nodeCount(), model.config());
        this.rows = new MemoryRows(model, table);
        this.slotOfNode = new int[stream.nodeCount()];
        Arrays.fill(slotOfNode, -1);
    }

    /** The node states (read-only use: tests and explanations). */
    public NodeMemoryTable table() { return table; }

    @Override
    public void reset() {
        table.reset();
    }

    @Override
    public float[] score(int[] src, int[] dst, long[] t) {
        int n = src.length;
        if (n == 0) {
            return new float[0];
        }
        int d = model.config().memoryDim();
        int[] nodes = new int[2 * n];
        long[] times = new long[2 * n];
        System.arraycopy(src, 0, nodes, 0, n);
        System.arraycopy(dst, 0, nodes, n, n);
        System.arraycopy(t, 0, times, 0, n);
        System.arraycopy(t, 0, times, n, n);
        INDArray memory = model.matrix(rows.memories(nodes), 2 * n, d);
        MemoryModel.EmbedForward h = model.embed(memory, rows.timeDeltas(nodes, times), rows.partnerBlock(nodes, times));
        INDArray hs = h.output().get(NDArrayIndex.interval(0, n));
        INDArray hd = h.output().get(NDArrayIndex.interval(n, 2 * n));
        INDArray logits = model.decode(hs, hd).logits();
        return MemoryModel.floats(Transforms.sigmoid(logits, true));
    }

    @Override
    public void observe(EdgeBatch batch) {
        int[] events = new int[batch.size()];
        for (int i = 0; i < events.length; i++) {
            events[i] = batch.event(i);
        }
        apply(events);
    }

    /** Applies one temporal batch (stream indices in time order): last-message memory updates and partner lists. */
    public void apply(int[] events) {
        if (events.length == 0) {
            return;
        }
        LastMessages last = LastMessages.of(stream, events, slotOfNode);
        MemoryRows.UpdateInputs in = rows.updateInputs(stream, last);
        MemoryModel.UpdateForward f = model.updateMemory(in.own(), in.partner(), in.timeDelta(), in.features(),
                in.presMean(), in.presMask());
        rows.recordPartners(stream, events);
        float[] updated = MemoryModel.floats(f.output());
        int d = model.config().memoryDim();
        for (int i = 0; i < last.size(); i++) {
            table.commitMemory(last.node(i), updated, i * d, in.times()[i]);
        }
    }
}
