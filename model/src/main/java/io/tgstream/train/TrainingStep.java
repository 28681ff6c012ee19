package io.tgstream.train;

import io.tgstream.data.EdgeStream;
import io.tgstream.model.LastMessages;
import io.tgstream.model.MemoryModel;
import io.tgstream.model.MemoryRows;
import io.tgstream.model.NodeMemoryTable;
import io.tgstream.model.nat.JointNeighbourhood;
import io.tgstream.model.nat.NeighbourDictionaries;
import io.tgstream.model.nat.PairScorer;
import io.tgstream.model.nat.RefreshRequests;
import io.tgstream.model.nat.ValueRefresh;
import io.tgstream.nn.BceWithLogits;
import io.tgstream.nn.LinkDecoder;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One training batch of the memory model, TGN's way (memory updated at the start of the next batch):
 * <ol>
 *   <li>the previous batch's last messages (pending) update their nodes' memories through the GRU, in the graph;</li>
 *   <li>sources, destinations and negatives (destinations, and sources when the negatives are whole pairs) read those
 *       fresh memories (or the stored ones), are embedded and scored;</li>
 *   <li>the loss is BCE on positives and negatives (+ the coherence term with PRES), and its gradient flows back
 *       through the decoder, the embedding and the GRU, so the GRU learns from the batch after the one it encodes;</li>
 *   <li>{@link #commit} stores the fresh memories and turns this batch's events into the next pending messages.</li>
 * </ol>
 * With the neighbour dictionaries on, the same happens to the hop-1 values: the previous batch's value refreshes are
 * computed in this batch's graph (from the partner memories stored with the requests), the pairs (source,
 * destination) and (negative source, negative) read the dictionaries as of the end of the previous batch with those
 * fresh values, the pair scorer gives the logits, and {@link #commit} writes the values and applies this batch's
 * insertions.
 * With the memory off, no memory is updated and the scorer gets zero rows.
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
    private final NeighbourDictionaries dictionaries;
    private RefreshRequests pendingRefresh;
    private float[] pendingRefreshMemory;

    public TrainingStep(MemoryModel model, EdgeStream stream) {
        this.model = model;
        this.stream = stream;
        this.dictionaries = model.parts().hasDictionaries()
                ? NeighbourDictionaries.forStream(stream, model.parts().dictionaries()) : null;
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
        if (dictionaries != null) {
            dictionaries.reset();
        }
        pendingRefresh = null;
        pendingRefreshMemory = null;
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

    /**
     * The forward results that {@link #commit} stores: fresh memories, what PRES observes of them ({@link
     * MemoryModel#presObserved}, or null) and fresh dictionary values (or null).
     */
    public record Outcome(double loss, float[] updatedMemories, float[] presObserved, float[] refreshedValues) {
    }

    /**
     * Loss of one batch with negatives (negative destination i pairs with the batch's source i), accumulating every
     * parameter's gradient. Changes no state: call {@link #commit} to advance.
     */
    public Outcome forwardBackward(int[] events, int[] negatives) {
        return forwardBackward(events, null, negatives);
    }

    /**
     * The same with negative pairs (negativeSources[i], negatives[i]); null negativeSources: the batch's own sources.
     * A negative source is read and embedded like every other row (fresh memory if it has a pending update) and the
     * gradient flows back to its memory.
     */
    public Outcome forwardBackward(int[] events, int[] negativeSources, int[] negatives) {
        if (negativeSources != null && negativeSources.length != events.length) {
            throw new IllegalArgumentException("expected " + events.length + " negative sources, got "
                    + negativeSources.length);
        }
        if (model.pairScorer() == null) {
            return memoryForwardBackward(events, negativeSources, negatives);
        }
        return pairForwardBackward(events, negativeSources, negatives);
    }

    /**
     * The rows a step reads: [sources; destinations; negative destinations], then the negative sources when they are
     * not the batch's own; every row at its event's time.
     */
    private record StepRows(int[] nodes, long[] times) {
        static StepRows of(EdgeStream stream, int[] events, int[] negativeSources, int[] negatives) {
            int b = events.length;
            int count = (negativeSources == null ? 3 : 4) * b;
            int[] nodes = new int[count];
            long[] times = new long[count];
            for (int i = 0; i < b; i++) {
                int e = events[i];
                nodes[i] = stream.src(e);
                nodes[b + i] = stream.dst(e);
                nodes[2 * b + i] = negatives[i];
                times[i] = times[b + i] = times[2 * b + i] = stream.timestamp(e);
                if (negativeSources != null) {
                    nodes[3 * b + i] = negativeSources[i];
                    times[3 * b + i] = times[i];
                }
            }
            return new StepRows(nodes, times);
        }
    }

    private Outcome memoryForwardBackward(int[] events, int[] negativeSources, int[] negatives) {
        int b = events.length;
        StepRows step = StepRows.of(stream, events, negativeSources, negatives);
        MemoryPass mp = memoryPass(step.nodes(), step.times());
        INDArray all = mp.embeddings();
        INDArray hSrc = all.get(NDArrayIndex.interval(0, b), NDArrayIndex.all());
        INDArray hDst = all.get(NDArrayIndex.interval(b, 2 * b), NDArrayIndex.all());
        INDArray hNeg = all.get(NDArrayIndex.interval(2 * b, 3 * b), NDArrayIndex.all());
        INDArray hNegSrc = negativeSources == null ? hSrc : all.get(NDArrayIndex.interval(3 * b, 4 * b),
                NDArrayIndex.all());
        LinkDecoder.Forward pos = model.decode(hSrc, hDst);
        LinkDecoder.Forward neg = model.decode(hNegSrc, hNeg);
        BceWithLogits.Loss lp = BceWithLogits.of(pos.logits(), 1.0);
        BceWithLogits.Loss ln = BceWithLogits.of(neg.logits(), 0.0);
        double loss = lp.value() + ln.value();

        LinkDecoder.InputGradients gp = model.backwardDecode(pos, lp.gradient());
        LinkDecoder.InputGradients gn = model.backwardDecode(neg, ln.gradient());
        INDArray dAll = all.like();
        scatterSourceGradients(dAll, b, gp.source(), gn.source(), negativeSources != null);
        dAll.get(NDArrayIndex.interval(b, 2 * b), NDArrayIndex.all()).assign(gp.destination());
        dAll.get(NDArrayIndex.interval(2 * b, 3 * b), NDArrayIndex.all()).assign(gn.destination());
        return backwardMemory(mp, dAll, loss, null);
    }

    /**
     * Puts the sources' gradients into the rows' gradient dAll ({@link StepRows} order): when the negatives pair with
     * the batch's own sources both land on the source rows, otherwise the negative sources' go to their own rows.
     */
    private static void scatterSourceGradients(INDArray dAll, int b, INDArray dPositiveSource,
                                               INDArray dNegativeSource, boolean separateNegativeSources) {
        if (!separateNegativeSources) {
            dAll.get(NDArrayIndex.interval(0, b), NDArrayIndex.all()).assign(dPositiveSource.add(dNegativeSource));
        } else {
            dAll.get(NDArrayIndex.interval(0, b), NDArrayIndex.all()).assign(dPositiveSource);
            dAll.get(NDArrayIndex.interval(3 * b, 4 * b), NDArrayIndex.all()).assign(dNegativeSource);
        }
    }

    /**
     * The memory half's backward from the rows' gradient: through the embedding, then (dU = A^T dM: the gradient of
     * every row that read a fresh memory goes back onto it) through the pending GRU update, with PRES's coherence
     * term; returns the step's outcome with the loss plus that term.
     */
    private Outcome backwardMemory(MemoryPass mp, INDArray dAll, double loss, float[] refreshed) {
        INDArray dMemory = model.backwardEmbed(mp.embed(), dAll);
        if (mp.update() != null) {
            INDArray dOut = mp.selection().transpose().mmul(dMemory);
            if (model.config().pres()) {
                MemoryModel.Coherence c = model.coherence(mp.update().output(), pendingInputs.own());
                loss += c.value();
                dOut.addi(c.gradient());
            }
            model.backwardUpdate(mp.update(), dOut);
        }
        return new Outcome(loss, mp.updated(), mp.update() == null ? null : model.presObserved(mp.update()),
                refreshed);
    }

    /** What the memory half of a step computed: embeddings of the step's rows ({@link StepRows}) and its graph. */
    private record MemoryPass(INDArray embeddings, MemoryModel.UpdateForward update, float[] updated,
                              INDArray selection, MemoryModel.EmbedForward embed) {
    }

    /** The memory half of a step (the memory on): pending updates in the graph, then the rows' embeddings. */
    private MemoryPass memoryPass(int[] nodes, long[] times) {
        int d = model.config().memoryDim();
        int rowsCount = nodes.length;
        MemoryModel.UpdateForward update = null;
        float[] updated = null;
        if (pending != null) {
            MemoryRows.UpdateInputs in = pendingInputs;
            update = model.updateMemory(in.own(), in.partner(), in.timeDelta(), in.features(), in.presMean(),
                    in.presMask());
            updated = MemoryModel.floats(update.output());
        }
        float[] memory = rows.memories(nodes);
        float[] dt = new float[rowsCount];
        // M = C + A U: C holds the stored memories of rows without a pending update (0 elsewhere), A [rows, P] is
        // one-hot on the rows that read a fresh memory U; in matrix form so that training stays exact in double
        float[] select = update == null ? null : new float[rowsCount * pending.size()];
        for (int r = 0; r < rowsCount; r++) {
            int pendingRow = rowOfPendingNode[nodes[r]];
            long last = table.lastUpdate(nodes[r]);
            if (pendingRow >= 0) {
                Arrays.fill(memory, r * d, (r + 1) * d, 0f);
                select[r * pending.size() + pendingRow] = 1f;
                last = pendingInputs.times()[pendingRow];
            }
            dt[r] = (float) (times[r] - last);
        }
        INDArray memoryRows = model.matrix(memory, rowsCount, d);
        INDArray selection = null;
        if (update != null) {
            selection = model.matrix(select, rowsCount, pending.size());
            memoryRows.addi(selection.mmul(update.output()));
        }
        // rows of a pending node read the fresh memory: their recent-partner lists are already up to date
        MemoryModel.EmbedForward h = model.embed(memoryRows, model.matrix(dt, rowsCount, 1),
                rows.partnerBlock(nodes, times));
        return new MemoryPass(h.output(), update, updated, selection, h);
    }

    /**
     * The step with the dictionaries on: the pair scorer on (source, destination) and (negative source, negative).
     */
    private Outcome pairForwardBackward(int[] events, int[] negativeSources, int[] negatives) {
        int b = events.length;
        int d = model.config().memoryDim();
        StepRows step = StepRows.of(stream, events, negativeSources, negatives);
        int[] nodes = step.nodes();
        long[] times = step.times();
        MemoryPass mp = model.parts().memory() ? memoryPass(nodes, times) : null;
        INDArray all = mp != null ? mp.embeddings() : Nd4j.zeros(model.dataType(), nodes.length, d);

        ValueRefresh.Forward fresh = pendingRefresh == null ? null
                : model.valueRefresh().forward(pendingRefresh, stream, pendingRefreshMemory, model.dataType());
        int[] pairU = new int[2 * b];
        int[] pairV = new int[2 * b];
        long[] pairT = new long[2 * b];
        for (int i = 0; i < b; i++) {
            pairU[i] = nodes[i];
            pairU[b + i] = negativeSources == null ? nodes[i] : nodes[3 * b + i];
            pairV[i] = nodes[b + i];
            pairV[b + i] = nodes[2 * b + i];
            pairT[i] = pairT[b + i] = times[i];
        }
        JointNeighbourhood block = JointNeighbourhood.ofPairs(dictionaries, pairU, pairV, pairT);
        INDArray hSrc = all.get(NDArrayIndex.interval(0, b), NDArrayIndex.all());
        INDArray source = Nd4j.vstack(hSrc, negativeSources == null ? hSrc
                : all.get(NDArrayIndex.interval(3 * b, 4 * b), NDArrayIndex.all()));
        INDArray destination = all.get(NDArrayIndex.interval(b, 3 * b), NDArrayIndex.all()).dup();
        PairScorer.Forward f = model.pairScorer().forward(source, destination, block,
                fresh == null ? null : fresh.output());
        INDArray logits = f.logits();
        BceWithLogits.Loss lp = BceWithLogits.of(logits.get(NDArrayIndex.interval(0, b), NDArrayIndex.all()), 1.0);
        BceWithLogits.Loss ln = BceWithLogits.of(logits.get(NDArrayIndex.interval(b, 2 * b), NDArrayIndex.all()),
                0.0);
        double loss = lp.value() + ln.value();
        PairScorer.InputGradients g = model.pairScorer().backward(f, Nd4j.vstack(lp.gradient(), ln.gradient()));
        if (fresh != null && g.fresh() != null) {
            model.valueRefresh().backward(fresh, g.fresh());
        }
        float[] refreshed = fresh == null ? null : ValueRefresh.floats(fresh);
        if (mp == null) {
            return new Outcome(loss, null, null, refreshed);
        }
        INDArray dAll = all.like();
        scatterSourceGradients(dAll, b, g.source().get(NDArrayIndex.interval(0, b), NDArrayIndex.all()),
                g.source().get(NDArrayIndex.interval(b, 2 * b), NDArrayIndex.all()), negativeSources != null);
        dAll.get(NDArrayIndex.interval(b, 3 * b), NDArrayIndex.all()).assign(g.destination());
        return backwardMemory(mp, dAll, loss, refreshed);
    }

    /** Stores the fresh memories of {@code outcome} and makes this batch's events the pending messages. */
    public void commit(int[] events, Outcome outcome) {
        int d = model.config().memoryDim();
        if (dictionaries != null) {
            // the values refreshed in this batch's graph are stored; then this batch's insertions, whose refreshes
            // read the partners' memories as this batch read them (the previous batch's fresh memories)
            if (pendingRefresh != null) {
                dictionaries.writeRefreshed(pendingRefresh, outcome.refreshedValues());
            }
        }
        if (!model.parts().memory()) {
            commitDictionaries(events, d);
            return;
        }
        if (pending != null) {
            for (int i = 0; i < pending.size(); i++) {
                table.commitMemory(pending.node(i), outcome.updatedMemories(), i * d, pendingInputs.times()[i],
                        outcome.presObserved());
            }
        }
        clearPending();
        rows.recordPartners(stream, events);
        pending = LastMessages.of(stream, events, slotOfNode);
        pendingInputs = rows.updateInputs(stream, pending);
        for (int i = 0; i < pending.size(); i++) {
            rowOfPendingNode[pending.node(i)] = i;
        }
        if (dictionaries != null) {
            commitDictionaries(events, d);
        }
    }

    private void commitDictionaries(int[] events, int d) {
        pendingRefresh = dictionaries.applyBatch(stream, events);
        pendingRefreshMemory = model.parts().memory() ? rows.memories(pendingRefresh.neighbours())
                : new float[pendingRefresh.size() * d];
    }

    /**
     * Computes and writes the last committed batch's value refreshes outside any graph (end of a replay, so that the
     * dictionaries hold every value, as the evaluation replay's do). A no-op without dictionaries.
     */
    public void completeRefresh() {
        if (pendingRefresh == null) {
            return;
        }
        dictionaries.writeRefreshed(pendingRefresh, ValueRefresh.floats(model.valueRefresh().forward(pendingRefresh,
                stream, pendingRefreshMemory, model.dataType())));
        pendingRefresh = null;
        pendingRefreshMemory = null;
    }

    /** The neighbour dictionaries (tests), or null when they are off. */
    public NeighbourDictionaries dictionaries() { return dictionaries; }

    /** The node states (tests). */
    public NodeMemoryTable table() { return table; }
}
