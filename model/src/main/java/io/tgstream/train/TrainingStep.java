package io.tgstream.train;

import io.tgstream.data.EdgeStream;
import io.tgstream.model.LastMessages;
import io.tgstream.model.MemoryModel;
import io.tgstream.model.MemoryRows;
import io.tgstream.model.NodeMemoryTable;
import io.tgstream.nn.BceWithLogits;
import io.tgstream.nn.LinkDecoder;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One training batch of the memory model, TGN's way (memory updated at the start of the next batch):
 * <ol>
 *   <li>the previous batch's last messages (pending) update their nodes' memories through the GRU, in the graph;</li>
 *   <li>sources, destinations and negatives read those fresh memories (or the stored ones), are embedded and scored;</li>
 *   <li>the loss is BCE on positives and negatives (+ the coherence term with PRES), and its gradient flows back
 *       through the decoder, the embedding and the GRU, so the GRU learns from the batch after the one it encodes;</li>
 *   <li>{@link #commit} stores the fresh memories and turns this batch's events into the next pending messages.</li>
 * </ol>
 * The values stored are exactly those that {@link io.tgstream.model.MemoryReplay} computes for the same batches, so
 * training and evaluation see the same states.
 */
public final class TrainingStep {
    private final MemoryModel model;
    private final EdgeStream stream;
    private final NodeMemoryTable table;
    private final MemoryRows rows;
    private final int[] slotOfNode;
    private final int[] rowOfPendingNode;
    private LastMessages pending;
    private MemoryRows.UpdateInputs pendingInputs;

    public TrainingStep(MemoryModel model, EdgeStream stream) {
        this.model = model;
        this.stream = stream;
        this.table = new NodeMemoryTable(stream.nodeCount(), model.config());
        this.rows = new MemoryRows(model, table);
        this.slotOfNode = new int[stream.nodeCount()];
        this.rowOfPendingNode = new int[stream.nodeCount()];
        Arrays.fill(slotOfNode, -1);
        Arrays.fill(rowOfPendingNode, -1);
    }

    /** Forgets all state and pending messages (start of an epoch). */
    public void reset() {
        table.reset();
        clearPending();
    }

    private void clearPending() {
        if (pending != null) {
            for (int i = 0; i < pending.size(); i++) {
                rowOfPendingNode[pending.node(i)] = -1;
            }
        }
        pending = null;
        pendingInputs = null;
    }

    /** The forward results that {@link #commit} stores. */
    public record Outcome(double loss, float[] updatedMemories) {
    }

    /**
     * Loss of one batch with negatives (negative destination i pairs with the batch's source i), accumulating every
     * parameter's gradient. Changes no state: call {@link #commit} to advance.
     */
    public Outcome forwardBackward(int[] events, int[] negatives) {
        int b = events.length;
        int d = model.config().memoryDim();
        MemoryModel.UpdateForward update = null;
        float[] updated = null;
        if (pending != null) {
            MemoryRows.UpdateInputs in = pendingInputs;
            update = model.updateMemory(in.own(), in.partner(), in.timeDelta(), in.features(), in.presMean(),
                    in.presMask());
            updated = MemoryModel.floats(update.output());
        }

        int[] nodes = new int[3 * b];
        long[] times = new long[3 * b];
        for (int i = 0; i < b; i++) {
            int e = events[i];
            nodes[i] = stream.src(e);
            nodes[b + i] = stream.dst(e);
            nodes[2 * b + i] = negatives[i];
            times[i] = times[b + i] = times[2 * b + i] = stream.timestamp(e);
        }
        float[] memory = rows.memories(nodes);
        float[] dt = new float[3 * b];
        // M = C + A U: C holds the stored memories of rows without a pending update (0 elsewhere), A [3b, P] is one-hot
        // on the rows that read a fresh memory U; in matrix form so that training stays exact in double precision
        float[] select = update == null ? null : new float[3 * b * pending.size()];
        for (int r = 0; r < nodes.length; r++) {
            int pendingRow = rowOfPendingNode[nodes[r]];
            long last = table.lastUpdate(nodes[r]);
            if (pendingRow >= 0) {
                Arrays.fill(memory, r * d, (r + 1) * d, 0f);
                select[r * pending.size() + pendingRow] = 1f;
                last = pendingInputs.times()[pendingRow];
            }
            dt[r] = (float) (times[r] - last);
        }
        INDArray memoryRows = model.matrix(memory, 3 * b, d);
        INDArray selection = null;
        if (update != null) {
            selection = model.matrix(select, 3 * b, pending.size());
            memoryRows.addi(selection.mmul(update.output()));
        }
        // rows of a pending node read the fresh memory: their recent-partner lists are already up to date
        MemoryModel.EmbedForward h = model.embed(memoryRows, model.matrix(dt, 3 * b, 1),
                rows.partnerBlock(nodes, times));
        INDArray all = h.output();
        INDArray hSrc = all.get(NDArrayIndex.interval(0, b), NDArrayIndex.all());
        INDArray hDst = all.get(NDArrayIndex.interval(b, 2 * b), NDArrayIndex.all());
        INDArray hNeg = all.get(NDArrayIndex.interval(2 * b, 3 * b), NDArrayIndex.all());
        LinkDecoder.Forward pos = model.decode(hSrc, hDst);
        LinkDecoder.Forward neg = model.decode(hSrc, hNeg);
        BceWithLogits.Loss lp = BceWithLogits.of(pos.logits(), 1.0);
        BceWithLogits.Loss ln = BceWithLogits.of(neg.logits(), 0.0);
        double loss = lp.value() + ln.value();

        LinkDecoder.InputGradients gp = model.backwardDecode(pos, lp.gradient());
        LinkDecoder.InputGradients gn = model.backwardDecode(neg, ln.gradient());
        INDArray dAll = all.like();
        dAll.get(NDArrayIndex.interval(0, b), NDArrayIndex.all()).assign(gp.source().add(gn.source()));
        dAll.get(NDArrayIndex.interval(b, 2 * b), NDArrayIndex.all()).assign(gp.destination());
        dAll.get(NDArrayIndex.interval(2 * b, 3 * b), NDArrayIndex.all()).assign(gn.destination());
        INDArray dMemory = model.backwardEmbed(h, dAll);

        if (update != null) {
            // dU = A^T dM: the gradient of every row that read a fresh memory goes back onto it
            INDArray dOut = selection.transpose().mmul(dMemory);
            if (model.config().pres()) {
                MemoryModel.Coherence c = model.coherence(update.output(), pendingInputs.own());
                loss += c.value();
                dOut.addi(c.gradient());
            }
            model.backwardUpdate(update, dOut);
        }
        return new Outcome(loss, updated);
    }

    /** Stores the fresh memories of {@code outcome} and makes this batch's events the pending messages. */
    public void commit(int[] events, Outcome outcome) {
        int d = model.config().memoryDim();
        if (pending != null) {
            for (int i = 0; i < pending.size(); i++) {
                table.commitMemory(pending.node(i), outcome.updatedMemories(), i * d, pendingInputs.times()[i]);
            }
        }
        clearPending();
        rows.recordPartners(stream, events);
        pending = LastMessages.of(stream, events, slotOfNode);
        pendingInputs = rows.updateInputs(stream, pending);
        for (int i = 0; i < pending.size(); i++) {
            rowOfPendingNode[pending.node(i)] = i;
        }
    }

    /** The node states (tests). */
    public NodeMemoryTable table() { return table; }
}
