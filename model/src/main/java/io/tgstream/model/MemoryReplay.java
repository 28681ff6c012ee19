package io.tgstream.model;

import io.tgstream.data.EdgeStream;
import io.tgstream.eval.EdgeBatch;
import io.tgstream.eval.LinkScorer;
import io.tgstream.model.nat.CommonNeighbour;
import io.tgstream.model.nat.JointNeighbourhood;
import io.tgstream.model.nat.NeighbourDictionaries;
import io.tgstream.model.nat.PairScorer;
import io.tgstream.model.nat.RefreshRequests;
import io.tgstream.model.nat.ValueRefresh;
import io.tgstream.nn.BatchWorkspace;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Replays a stream through a trained {@link MemoryModel} under the batch contract, as a {@link LinkScorer}: scores
 * read every node as of the end of the previous batch; {@link #observe} then applies the batch's memory updates and,
 * with the dictionaries on, the batch's dictionary insertions with their value refreshes (computed at once from the
 * partners' memories as the batch read them).
 *
 * <p>With a {@link NodeExpiry}, nodes idle for longer than its TTL are forgotten at the start of a batch (the first
 * {@link #score} or {@link #apply} after the previous batch was applied), exactly as the streaming job evicts them.
 */
public final class MemoryReplay implements LinkScorer {
    private final MemoryModel model;
    private final EdgeStream stream;
    private final NodeMemoryTable table;
    private final MemoryRows rows;
    private final int[] slotOfNode;
    private final NeighbourDictionaries dictionaries;
    /** The TTL bookkeeping, or null when nodes never expire. */
    private final ExpiringNodes expiring;
    /** One scratch block per replay thread for a batch's temporaries (scores and updates leave as Java arrays). */
    private static final String WORKSPACE = "tgstream-replay-batch";
    /** Pairs scored per pair-scorer call (a joint neighbourhood holds up to 98 entries per pair). */
    static final int MAX_PAIRS_PER_CALL = 4096;

    public MemoryReplay(MemoryModel model, EdgeStream stream) {
        this(model, stream, NodeExpiry.NEVER);
    }

    /**
     * A replay that evicts idle nodes by {@code expiry}.
     *
     * @throws IllegalArgumentException when the model has neighbour dictionaries (their expiry is not defined yet)
     */
    public MemoryReplay(MemoryModel model, EdgeStream stream, NodeExpiry expiry) {
        if (expiry.enabled() && model.parts().hasDictionaries()) {
            throw new IllegalArgumentException("a node TTL works on the node memory only: this model has neighbour "
                    + "dictionaries, replay it without a TTL");
        }
        this.model = model;
        this.stream = stream;
        this.dictionaries = model.parts().hasDictionaries()
                ? NeighbourDictionaries.forStream(stream, model.parts().dictionaries()) : null;
        this.table = new NodeMemoryTable(stream.nodeCount(), model.config());
        this.rows = new MemoryRows(model, table);
        this.slotOfNode = new int[stream.nodeCount()];
        Arrays.fill(slotOfNode, -1);
        this.expiring = expiry.enabled() ? new ExpiringNodes(expiry, table) : null;
    }

    /** Nodes evicted by the TTL since the start (or the last {@link #reset}); 0 without a TTL. */
    public long evictedNodes() {
        return expiring == null ? 0 : expiring.evicted();
    }

    /**
     * Nodes that hold state now (touched by an applied edge and not evicted since).
     *
     * @throws IllegalStateException without a TTL (only the TTL keeps this count)
     */
    public int nodesWithState() {
        if (expiring == null) {
            throw new IllegalStateException("the replay counts nodes with state only under a node TTL");
        }
        return expiring.storedCount();
    }

    /** The node states (read-only use: tests and explanations). */
    public NodeMemoryTable table() { return table; }

    /** The neighbour dictionaries (read-only use), or null when they are off. */
    public NeighbourDictionaries dictionaries() { return dictionaries; }

    @Override
    public void reset() {
        table.reset();
        if (expiring != null) {
            expiring.reset();
        }
        if (dictionaries != null) {
            dictionaries.reset();
        }
    }

    @Override
    public float[] score(int[] src, int[] dst, long[] t) {
        if (src.length == 0) {
            return new float[0];
        }
        if (dictionaries == null || src.length <= MAX_PAIRS_PER_CALL) {
            try (MemoryWorkspace ignored = BatchWorkspace.open(WORKSPACE)) {
                return MemoryModel.floats(Transforms.sigmoid(logits(src, dst, t).logits, true));
            }
        }
        // a ranking pass hands over every candidate of a batch at once; pairs are scored independently, so chunks
        // give the same scores without holding every joint neighbourhood in memory
        float[] out = new float[src.length];
        for (int from = 0; from < src.length; from += MAX_PAIRS_PER_CALL) {
            int to = Math.min(src.length, from + MAX_PAIRS_PER_CALL);
            float[] part = score(Arrays.copyOfRange(src, from, to), Arrays.copyOfRange(dst, from, to),
                    Arrays.copyOfRange(t, from, to));
            System.arraycopy(part, 0, out, from, part.length);
        }
        return out;
    }

    /** The logits of the pairs, and the scorer's forward pass when the dictionaries are on. */
    private record Logits(INDArray logits, PairScorer.Forward pairs) {
    }

    private Logits logits(int[] src, int[] dst, long[] t) {
        sweepExpired();
        int n = src.length;
        int d = model.config().memoryDim();
        INDArray hs;
        INDArray hd;
        if (model.parts().memory()) {
            int[] nodes = new int[2 * n];
            long[] times = new long[2 * n];
            System.arraycopy(src, 0, nodes, 0, n);
            System.arraycopy(dst, 0, nodes, n, n);
            System.arraycopy(t, 0, times, 0, n);
            System.arraycopy(t, 0, times, n, n);
            INDArray memory = model.matrix(rows.memories(nodes), 2 * n, d);
            MemoryModel.EmbedForward h = model.embed(memory, rows.timeDeltas(nodes, times),
                    rows.partnerBlock(nodes, times));
            hs = h.output().get(NDArrayIndex.interval(0, n));
            hd = h.output().get(NDArrayIndex.interval(n, 2 * n));
        } else {
            hs = Nd4j.zeros(model.dataType(), n, d);
            hd = Nd4j.zeros(model.dataType(), n, d);
        }
        if (dictionaries == null) {
            return new Logits(model.decode(hs, hd).logits(), null);
        }
        JointNeighbourhood block = JointNeighbourhood.ofPairs(dictionaries, src, dst, t);
        PairScorer.Forward f = model.pairScorer().forward(hs.dup(), hd.dup(), block, null);
        return new Logits(f.logits(), f);
    }

    /** The score of one pair at time t and its common neighbours, most attended first (dictionaries on). */
    public record Explanation(float score, List<CommonNeighbour> commonNeighbours, int jointEntries) {
    }

    /**
     * Explains the score of (u, v) at time t as of the state now (call after observing every batch before t).
     *
     * @throws IllegalStateException when the model has no dictionaries
     */
    public Explanation explain(int u, int v, long t) {
        if (dictionaries == null) {
            throw new IllegalStateException("this model has no neighbour dictionaries: explanations need a model "
                    + "trained with --dictionaries");
        }
        Logits l = logits(new int[] {u}, new int[] {v}, new long[] {t});
        float score = MemoryModel.floats(Transforms.sigmoid(l.logits(), true))[0];
        return new Explanation(score, model.pairScorer().explain(l.pairs(), 0), l.pairs().block().count(0));
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
        sweepExpired();
        try (MemoryWorkspace ignored = BatchWorkspace.open(WORKSPACE)) {
            applyInWorkspace(events);
        }
    }

    /** Everything kept from here is copied into Java arrays (the table, the dictionaries). */
    private void applyInWorkspace(int[] events) {
        if (dictionaries != null) {
            RefreshRequests requests = dictionaries.applyBatch(stream, events);
            float[] partnerMemory = model.parts().memory() ? rows.memories(requests.neighbours())
                    : new float[requests.size() * model.config().memoryDim()];
            dictionaries.writeRefreshed(requests, ValueRefresh.floats(model.valueRefresh().forward(requests, stream,
                    partnerMemory, model.dataType())));
        }
        if (!model.parts().memory()) {
            return;
        }
        LastMessages last = LastMessages.of(stream, events, slotOfNode);
        MemoryRows.UpdateInputs in = rows.updateInputs(stream, last);
        MemoryModel.UpdateForward f = model.updateMemory(in.own(), in.partner(), in.timeDelta(), in.features(),
                in.presMean(), in.presMask());
        rows.recordPartners(stream, events);
        float[] updated = MemoryModel.floats(f.output());
        float[] observed = model.presObserved(f);
        int d = model.config().memoryDim();
        for (int i = 0; i < last.size(); i++) {
            table.commitMemory(last.node(i), updated, i * d, in.times()[i], observed);
        }
        if (expiring != null) {
            long latest = NodeExpiry.NO_STREAM_TIME;
            for (int i = 0; i < last.size(); i++) {
                expiring.written(last.node(i));
            }
            for (int e : events) {
                latest = Math.max(latest, stream.timestamp(e));
            }
            expiring.advance(latest);
        }
    }

    /** The start of a batch: forgets the nodes expired at it (once per batch). */
    private void sweepExpired() {
        if (expiring != null) {
            expiring.sweep();
        }
    }
}
