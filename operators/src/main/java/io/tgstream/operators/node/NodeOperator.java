package io.tgstream.operators.node;

import io.tgstream.model.EmbeddingKind;
import io.tgstream.model.MemoryModel;
import io.tgstream.model.MemoryModelConfig;
import io.tgstream.model.MemoryModelFile;
import io.tgstream.model.NodeExpiry;
import io.tgstream.nn.Nd4jRuntime;
import io.tgstream.operators.debug.BatchTimeline;
import io.tgstream.operators.feedback.FeedbackHeadOperator;
import io.tgstream.operators.feedback.FeedbackHeadParameters;
import io.tgstream.state.NodeState;
import io.tgstream.state.NodeStateSerializer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keyed node operator on the feedback loop: per node, the memory model under the batch contract (DESIGN.md §3.4).
 *
 * <p>On a request of node x in batch k ({@link #processInput}), x's state is as of the end of batch k - 1; x sends
 * its half (memory, last update, recent partners) to the partner and keeps the request. When marker k has come back
 * through the loop, every half of batch k has arrived, and the subtask closes batch k for all its active nodes at
 * once, with the same forward code and the same rows as the offline {@code MemoryReplay}:
 * <pre>
 *   score(u, v)   = sigmoid(decode(embed(s_u, t - t_u, P_u), embed(s_v, t - t_v, P_v)))      (at the destination)
 *   s_x'          = updateMemory(s_x, s_y, t - t_x, e, PRES)       (last event of x in the batch, y its partner)
 *   P_x          += (P s_y, t)  for every event of x in the batch, in event order   (RECENT_PARTNERS)
 * </pre>
 * one batched {@code embed}/{@code decode} call for all scores and one {@code updateMemory} call per subtask and
 * batch. A probe is scored the same way and applied nowhere: its source only sends its half, its destination keeps
 * the request to score it, and a node that only had probes in a batch keeps its state untouched (none is created).
 * Nothing here blocks: the loop's head calls back when a batch may close.
 *
 * <p><b>Node TTL</b> ({@link NodeExpiry}, off unless configured). Every request carries tau_k, the stream time of its
 * batch. At a subtask's first request of batch k, after batch k - 1 has been applied and before any read of batch k,
 * the subtask evicts every node with u_x &lt; tau_k - ttl: its node state is cleared from RocksDB, and a later event
 * finds the state of a node never seen, as the offline {@code MemoryReplay} with the same TTL does. The candidates are
 * found without a scan: each node that holds state has one deadline entry (u + ttl at the time it was written) in a
 * keyed priority queue in RocksDB ({@link NodeDeadlines}), added when the state is created; the sweep polls the
 * entries whose deadline has passed and evicts the node, or, if the node was updated since, puts it back at its new
 * deadline. A timer per node on the head's batch timeline cannot do this, as the batch at which the stream time
 * passes a deadline is not known in advance (count batches). The cost is one queue write per node created and at most
 * one poll per TTL period of a live node, instead of a pass over all keys per batch ({@code applyToAllKeys}: 157-497
 * ms per pass over 50,000 states of ~1 KB, against 4-10 ms to sweep the 500 expired ones; {@code NodeDeadlinesTest},
 * heavy), and the entries are checkpointed and rescaled with the keyed state. A state restored without an entry (from
 * a checkpoint taken before the TTL was set) is evicted by the same rule when it is next read.
 */
public final class NodeOperator extends FeedbackHeadOperator<NodeRequest, PartnerHalf, NodeScore> {
    private static final long serialVersionUID = 1L;
    /** Side output of the embeddings of nodes whose state a batch changed. */
    public static final OutputTag<NodeEmbedding> EMBEDDINGS =
            new OutputTag<>("node-embeddings", TypeInformation.of(NodeEmbedding.class));
    private static final AtomicBoolean ND4J_CONFIGURED = new AtomicBoolean();
    private static final Comparator<NodeRequest> EVENT_ORDER =
            Comparator.<NodeRequest>comparingLong(r -> r.seq).thenComparing(r -> !r.source);

    /** Metric: scores emitted (edges and probes). */
    public static final String SCORES_EMITTED = "scoresEmitted";
    /** Metric: batches closed by this subtask. */
    public static final String BATCHES_CLOSED = "batchesClosed";
    /** Metric: milliseconds the last batch took to close (score, update, write back), this subtask. */
    public static final String LAST_BATCH_CLOSE_MS = "lastBatchCloseMillis";
    /** Metric: node states written (new or updated). */
    public static final String STATES_WRITTEN = "nodeStatesWritten";
    /** Metric: nodes evicted by the TTL (their state cleared). */
    public static final String NODES_EVICTED = "nodesEvicted";
    /** Metric (gauge): nodes that hold state in this subtask. */
    public static final String NODE_STATES = "nodeStates";
    private static final Logger LOG = LoggerFactory.getLogger(NodeOperator.class);
    /** The keyed value state holding each node's {@link io.tgstream.state.NodeState}: what savepoint readers read. */
    public static final String NODE_STATE = "node-state";

    private final NodeOperatorSettings settings;

    private transient MemoryModel model;
    private transient int d;
    private transient int k;
    private transient int p;
    private transient boolean pres;
    private transient ValueState<NodeState> states;
    private transient ListState<NodeRequest> requests;
    private transient ListState<PartnerHalf> halves;
    /**
     * Requests and halves received since the last checkpoint, per node, on the heap: they live for one batch, so
     * keeping them in RocksDB lists cost a serialized append per record and a read and clear per node and batch. A
     * checkpoint writes them into {@link #requests} and {@link #halves} ({@link #onSnapshot}), the format of state
     * stays the same.
     */
    private transient Map<Object, Pending> pending;
    /** Nodes whose {@link #requests} or {@link #halves} in RocksDB may hold entries (written by a checkpoint or restored). */
    private transient Set<Object> spilled;
    /** Keys whose batch {@link #closingBatch} ended in the current mail; always empty between mails. */
    private transient List<Object> closing;
    private transient long closingBatch;
    private transient Counter scoresEmitted;
    private transient Counter batchesClosed;
    private transient Counter statesWritten;
    private transient Counter nodesEvicted;
    private transient volatile double lastCloseMillis;
    private transient volatile long nodeStates;
    private transient NodeExpiry expiry;
    /** The TTL deadlines, or null without a TTL. */
    private transient NodeDeadlines deadlines;
    /** tau of the latest batch this subtask has read in (the sweeps are done up to it). */
    private transient long streamTime;

    public NodeOperator(FeedbackHeadParameters<PartnerHalf, NodeScore> parameters, NodeOperatorSettings settings) {
        super(parameters);
        this.settings = settings;
    }

    @Override
    protected void onOpen() throws Exception {
        if (ND4J_CONFIGURED.compareAndSet(false, true)) {
            Nd4jRuntime.configureDefault();
        }
        model = MemoryModelFile.load(Path.of(settings.modelPath()),
                settings.doublePrecision() ? DataType.DOUBLE : DataType.FLOAT);
        MemoryModelConfig c = model.config();
        d = c.memoryDim();
        pres = c.pres();
        k = c.embedding() == EmbeddingKind.RECENT_PARTNERS ? c.recentPartners() : 0;
        p = k == 0 ? 0 : c.partnerDim();
        states = getPartitionedState(new ValueStateDescriptor<>(NODE_STATE, NodeStateSerializer.INSTANCE));
        requests = getPartitionedState(
                new ListStateDescriptor<>("open-requests", TypeInformation.of(NodeRequest.class)));
        halves = getPartitionedState(
                new ListStateDescriptor<>("partner-halves", TypeInformation.of(PartnerHalf.class)));
        closing = new ArrayList<>();
        pending = new HashMap<>();
        spilled = new HashSet<>();
        // a restore brings the requests and halves that were open at the checkpoint: find their nodes once
        for (String name : List.of("open-requests", "partner-halves")) {
            try (Stream<Object> keys = getKeyedStateBackend().getKeys(name, VoidNamespace.INSTANCE)) {
                keys.forEach(spilled::add);
            }
        }
        if (!spilled.isEmpty()) {
            LOG.info("restored the open requests or partner halves of {} nodes", spilled.size());
        }
        scoresEmitted = getMetricGroup().counter(SCORES_EMITTED);
        batchesClosed = getMetricGroup().counter(BATCHES_CLOSED);
        statesWritten = getMetricGroup().counter(STATES_WRITTEN);
        getMetricGroup().gauge(LAST_BATCH_CLOSE_MS, () -> lastCloseMillis);
        nodesEvicted = getMetricGroup().counter(NODES_EVICTED);
        try (Stream<Object> keys = getKeyedStateBackend().getKeys(NODE_STATE, VoidNamespace.INSTANCE)) {
            nodeStates = keys.count(); // once per start: a restore brings states along
        }
        getMetricGroup().gauge(NODE_STATES, () -> nodeStates);
        expiry = settings.expiry();
        streamTime = NodeExpiry.NO_STREAM_TIME;
        deadlines = expiry.enabled() ? NodeDeadlines.open(getKeyedStateBackend(), "node-ttl-deadlines") : null;
    }

    /** The current node's stored state, or null if it has none (never seen, or evicted). */
    private NodeState storedState() throws Exception {
        NodeState s = states.value();
        if (s != null && expiry.expired(s.lastUpdate(), streamTime)) {
            evict(); // restored without a deadline entry: evicted at its first read, by the same rule
            return null;
        }
        return s;
    }

    private void evict() {
        Pending p = pending.get(getCurrentKey());
        if (p != null) {
            p.stateRead = false; // never read an evicted state from the heap
            p.state = null;
        }
        states.clear();
        nodeStates--;
        nodesEvicted.inc();
    }

    /** The start of a batch with stream time {@code tau} at this subtask: evicts every node expired at it. */
    private void sweep(long tau) throws Exception {
        if (tau <= streamTime) {
            return;
        }
        streamTime = tau;
        Object saved = getCurrentKey();
        long start = System.nanoTime();
        int evicted = 0;
        int rearmed = 0;
        int stale = 0;
        for (Object key = deadlines.pollBefore(tau); key != null; key = deadlines.pollBefore(tau)) {
            setCurrentKey(key);
            NodeState s = states.value();
            if (s == null) {
                stale++; // evicted at a read already
            } else if (expiry.expired(s.lastUpdate(), tau)) {
                evict();
                evicted++;
            } else {
                deadlines.add(key, expiry.deadline(s.lastUpdate()));
                rearmed++;
            }
        }
        setCurrentKey(saved);
        if (evicted + rearmed + stale > 0) {
            LOG.debug("node TTL sweep at stream time {}: {} nodes evicted, {} still alive put back, {} stale entries, "
                    + "{} node states left, {} us", tau, evicted, rearmed, stale, nodeStates,
                    (System.nanoTime() - start) / 1000);
        }
    }

    @Override
    protected void processInput(NodeRequest request, long batch) throws Exception {
        closePendingBatch();
        if (deadlines != null) {
            sweep(request.streamTime);
        }
        boolean probe = request.isProbe();
        // a probe is scored at its destination: only the source's half travels, only the destination waits
        boolean waits = !probe || !request.source;
        if (!probe || request.source) {
            NodeState s = waits ? batchState() : storedState();
            emitFeedback(PartnerHalf.of(request, s != null ? s : NodeState.empty(d, pres, k, p)));
        }
        if (waits) {
            pendingOfCurrentKey().requests.add(request);
            scheduleBatchEnd(batch);
        }
    }

    @Override
    protected void processFeedback(PartnerHalf half) throws Exception {
        closePendingBatch();
        pendingOfCurrentKey().halves.add(half);
    }

    /**
     * The current node's stored state as of the end of the previous batch (null if none), read from RocksDB once per
     * batch: its requests and its close in this batch reuse it. Only for a node that closes this batch (it has a
     * request that waits), as the close drops it; a checkpoint drops it too.
     */
    private NodeState batchState() throws Exception {
        Pending p = pendingOfCurrentKey();
        if (!p.stateRead) {
            p.state = storedState();
            p.stateRead = true;
        }
        return p.state;
    }

    private Pending pendingOfCurrentKey() {
        return pending.computeIfAbsent(getCurrentKey(), key -> new Pending());
    }

    @Override
    protected void onSnapshot(long checkpointId) throws Exception {
        if (pending.isEmpty()) {
            return;
        }
        Object saved = getCurrentKey();
        for (Map.Entry<Object, Pending> e : pending.entrySet()) {
            setCurrentKey(e.getKey());
            Pending p = e.getValue();
            if (!p.requests.isEmpty()) {
                requests.addAll(p.requests);
            }
            if (!p.halves.isEmpty()) {
                halves.addAll(p.halves);
            }
            spilled.add(e.getKey());
        }
        pending.clear();
        if (saved != null) {
            setCurrentKey(saved);
        }
    }

    /** A node's requests and halves not yet written to keyed state (see {@link #pending}). */
    private static final class Pending {
        final List<NodeRequest> requests = new ArrayList<>(2);
        List<PartnerHalf> halves = new ArrayList<>(2);
        /** Whether {@link #state} holds the node's stored state of this batch (see {@link #batchState}). */
        boolean stateRead;
        NodeState state;
    }

    @Override
    protected void onBatchEnd(long batch) throws Exception {
        if (!closing.isEmpty() && closingBatch != batch) {
            closePendingBatch();
        }
        closingBatch = batch;
        closing.add(getCurrentKey());
    }

    @Override
    protected void onFeedbackWatermark(long watermark) throws Exception {
        closePendingBatch();
    }

    /** Closes the batch whose end fired for the keys in {@link #closing}, all at once. */
    private void closePendingBatch() throws Exception {
        if (closing.isEmpty()) {
            return;
        }
        Object saved = getCurrentKey();
        List<Object> keys = new ArrayList<>(closing);
        closing.clear();
        long start = System.nanoTime();
        int tl = BatchTimeline.ON ? getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() : 0;
        BatchTimeline.mark("close_start", tl, closingBatch);
        closeBatch(closingBatch, keys);
        BatchTimeline.mark("close_end", tl, closingBatch);
        lastCloseMillis = (System.nanoTime() - start) / 1e6;
        batchesClosed.inc();
        if (saved != null) {
            setCurrentKey(saved);
        }
    }

    /** One node's part of a closing batch. */
    private static final class Active {
        Object key;
        NodeState state;
        /** Whether the node had no stored state before this batch (a new node, or one back after eviction). */
        boolean created;
        /** Whether some of its requests or halves were read from keyed state (see {@link #spilled}). */
        boolean fromKeyedState;
        List<NodeRequest> requests;
        /** The requests of edges (not probes), in event order: what the batch applies to this node. */
        List<NodeRequest> applied;
        Map<Long, PartnerHalf> partnerHalves;
        List<PartnerHalf> laterHalves;

        PartnerHalf halfFor(NodeRequest r) {
            PartnerHalf h = partnerHalves.get(halfKey(r.seq, r.source));
            if (h == null) {
                throw new IllegalStateException("batch " + r.batch + " closed at node " + r.nodeId()
                        + " without the partner's half of event " + r.seq + ": the feedback loop broke the batch "
                        + "contract");
            }
            return h;
        }
    }

    private static long halfKey(long seq, boolean toSource) {
        return seq * 2 + (toSource ? 1 : 0);
    }

    private void closeBatch(long batch, List<Object> keys) throws Exception {
        List<Active> active = new ArrayList<>(keys.size());
        int scoreRows = 0;
        int requestRows = 0;
        for (Object key : keys) {
            setCurrentKey(key);
            Active a = new Active();
            a.key = key;
            Pending onHeap = pending.get(key);
            NodeState stored = onHeap != null && onHeap.stateRead ? onHeap.state : storedState();
            a.created = stored == null;
            a.state = stored != null ? stored : NodeState.empty(d, pres, k, p);
            a.requests = new ArrayList<>();
            List<PartnerHalf> received = new ArrayList<>();
            a.fromKeyedState = spilled.contains(key);
            if (a.fromKeyedState) {
                Iterable<NodeRequest> storedRequests = requests.get(); // null when empty (RocksDB)
                if (storedRequests != null) {
                    storedRequests.forEach(a.requests::add);
                }
                Iterable<PartnerHalf> storedHalves = halves.get();
                if (storedHalves != null) {
                    storedHalves.forEach(received::add);
                }
            }
            if (onHeap != null) {
                a.requests.addAll(onHeap.requests);
                received.addAll(onHeap.halves);
            }
            if (a.requests.isEmpty()) {
                continue;
            }
            a.requests.sort(EVENT_ORDER);
            a.partnerHalves = new HashMap<>();
            a.laterHalves = new ArrayList<>();
            for (PartnerHalf h : received) {
                if (h.batch == batch) {
                    a.partnerHalves.put(halfKey(h.seq, h.toSource), h);
                } else {
                    a.laterHalves.add(h);
                }
            }
            a.applied = new ArrayList<>(a.requests.size());
            for (NodeRequest r : a.requests) {
                if (!r.source) {
                    scoreRows++;
                }
                if (!r.isProbe()) {
                    a.applied.add(r);
                }
            }
            requestRows += a.applied.size();
            active.add(a);
        }
        if (active.isEmpty()) {
            return;
        }
        int tl = BatchTimeline.ON ? getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() : 0;
        BatchTimeline.mark("close_read", tl, batch);
        emitScores(batch, active, scoreRows);
        BatchTimeline.mark("close_scored", tl, batch);
        List<Active> updating = new ArrayList<>(active.size());
        for (Active a : active) {
            if (!a.applied.isEmpty()) {
                updating.add(a);
            }
        }
        float[] projected = k > 0 && requestRows > 0 ? projectPartnerMemories(updating, requestRows) : null;
        UpdatedMemories updated = updating.isEmpty() ? null : updateMemories(updating);
        BatchTimeline.mark("close_updated", tl, batch);
        int row = 0;
        for (int i = 0; i < updating.size(); i++) {
            Active a = updating.get(i);
            if (projected != null) {
                for (NodeRequest r : a.applied) {
                    a.state.addPartner(projected, row++ * p, r.ts);
                }
            }
            a.state.commitMemory(updated.memories(), i * d, a.applied.get(a.applied.size() - 1).ts,
                    updated.presObserved());
            setCurrentKey(a.key);
            states.update(a.state);
            statesWritten.inc();
            if (a.created) {
                nodeStates++;
                if (deadlines != null) {
                    deadlines.add(a.key, expiry.deadline(a.state.lastUpdate()));
                }
            }
        }
        BatchTimeline.mark("close_written", tl, batch);
        for (Active a : active) {
            if (a.fromKeyedState) {
                setCurrentKey(a.key);
                requests.clear();
                halves.clear();
                spilled.remove(a.key);
            }
            if (a.laterHalves.isEmpty()) {
                pending.remove(a.key);
            } else {
                // halves of a later batch that came early stay on the heap until that batch closes here
                Pending keep = new Pending();
                keep.halves = a.laterHalves;
                pending.put(a.key, keep);
            }
        }
        if (settings.emitEmbeddings() && !updating.isEmpty()) {
            emitEmbeddings(batch, updating);
        }
    }

    /** Scores every event whose destination is active here: [sources; destinations] rows, one embed and decode. */
    private void emitScores(long batch, List<Active> active, int n) {
        if (n == 0) {
            return;
        }
        float[] memory = new float[2 * n * d];
        float[] dt = new float[2 * n];
        PartnerBlockRows partners = k > 0 ? new PartnerBlockRows(2 * n, k, p) : null;
        NodeRequest[] scored = new NodeRequest[n];
        int i = 0;
        for (Active a : active) {
            for (NodeRequest r : a.requests) {
                if (r.source) {
                    continue;
                }
                PartnerHalf src = a.halfFor(r);
                System.arraycopy(src.memory, 0, memory, i * d, d);
                dt[i] = (float) (r.ts - src.lastUpdate);
                a.state.copyMemory(memory, (n + i) * d);
                dt[n + i] = (float) (r.ts - a.state.lastUpdate());
                if (partners != null) {
                    partners.set(i, src.partnerValues, src.partnerTimes, src.partnerCount, r.ts);
                    partners.set(n + i, a.state, r.ts);
                }
                scored[i++] = r;
            }
        }
        INDArray h = model.embed(model.matrix(memory, 2 * n, d), model.matrix(dt, 2 * n, 1),
                partners == null ? null : partners.block(model)).output();
        INDArray logits = model.decode(h.get(NDArrayIndex.interval(0, n)), h.get(NDArrayIndex.interval(n, 2 * n)))
                .logits();
        float[] scores = MemoryModel.floats(Transforms.sigmoid(logits, true));
        for (int j = 0; j < n; j++) {
            output.collect(new StreamRecord<>(new NodeScore(scored[j], scores[j]), batch));
        }
        scoresEmitted.inc(n);
    }

    /** P s_y of every request's partner, in request order, one row each. */
    private float[] projectPartnerMemories(List<Active> active, int rows) {
        float[] partnerMemory = new float[rows * d];
        int i = 0;
        for (Active a : active) {
            for (NodeRequest r : a.applied) {
                System.arraycopy(a.halfFor(r).memory, 0, partnerMemory, i++ * d, d);
            }
        }
        return model.projectPartners(partnerMemory, rows);
    }

    /** One batched memory update: each updating node's last edge ("last" aggregation), from pre-batch states. */
    private UpdatedMemories updateMemories(List<Active> active) {
        int n = active.size();
        int f = model.config().edgeFeatureDim();
        float[] own = new float[n * d];
        float[] partner = new float[n * d];
        float[] dt = new float[n];
        float[] features = f > 0 ? new float[n * f] : null;
        float[] presMean = pres ? new float[n * d] : null;
        float[] presMask = pres ? new float[n] : null;
        for (int i = 0; i < n; i++) {
            Active a = active.get(i);
            NodeRequest last = a.applied.get(a.applied.size() - 1);
            a.state.copyMemory(own, i * d);
            System.arraycopy(a.halfFor(last).memory, 0, partner, i * d, d);
            dt[i] = (float) (last.ts - a.state.lastUpdate());
            if (features != null) {
                if (last.features == null || last.features.length != f) {
                    throw new IllegalArgumentException("event " + last.seq + " has "
                            + (last.features == null ? 0 : last.features.length) + " features, but the model was "
                            + "trained with " + f + ": replay the data set the model was trained on");
                }
                System.arraycopy(last.features, 0, features, i * f, f);
            }
            if (pres && a.state.hasPresPrediction()) {
                a.state.copyPresMean(presMean, i * d);
                // applied holds both sides of a self-loop, as the offline LastMessages counts it
                presMask[i] = model.config().presCorrection().weight(a.applied.size());
            }
        }
        MemoryModel.UpdateForward u = model.updateMemory(model.matrix(own, n, d), model.matrix(partner, n, d),
                model.matrix(dt, n, 1), features == null ? null : model.matrix(features, n, f),
                pres ? model.matrix(presMean, n, d) : null, pres ? model.matrix(presMask, n, 1) : null);
        return new UpdatedMemories(MemoryModel.floats(u.output()), model.presObserved(u));
    }

    /** New memories [n * d] and what PRES observes of them (null: the memories themselves). */
    private record UpdatedMemories(float[] memories, float[] presObserved) {
    }

    /** Embeddings of the updated nodes at their new last-update time (time delta 0). */
    private void emitEmbeddings(long batch, List<Active> active) {
        int n = active.size();
        float[] memory = new float[n * d];
        PartnerBlockRows partners = k > 0 ? new PartnerBlockRows(n, k, p) : null;
        for (int i = 0; i < n; i++) {
            NodeState s = active.get(i).state;
            s.copyMemory(memory, i * d);
            if (partners != null) {
                partners.set(i, s, s.lastUpdate());
            }
        }
        float[] h = MemoryModel.floats(model.embed(model.matrix(memory, n, d), model.matrix(new float[n], n, 1),
                partners == null ? null : partners.block(model)).output());
        for (int i = 0; i < n; i++) {
            Active a = active.get(i);
            NodeRequest last = a.applied.get(a.applied.size() - 1);
            float[] v = new float[d];
            System.arraycopy(h, i * d, v, 0, d);
            output.collect(EMBEDDINGS, new StreamRecord<>(
                    new NodeEmbedding(last.nodeId(), a.state.lastUpdate(), batch, v), batch));
        }
    }
}
