package io.tgstream.operators.sequence;

import io.tgstream.data.EdgeEvent;
import io.tgstream.operators.debug.BatchTimeline;
import io.tgstream.data.ScoringRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Assigns every event its sequence number and temporal batch (the batch contract, DESIGN.md §2); runs with
 * parallelism 1, so that the order is total.
 *
 * <pre>
 *   COUNT:       seq = n (arrival order of edges),  batch = floor(n / B) while no edge ends its batch early
 *                (an {@code end_batch} edge closes the open batch; the next edge opens a new one)
 *   EVENT_TIME:  seq = n,  batch = floor(ts / Delta);  batch &lt; highest batch seen  =&gt;  late ({@code end_batch} ignored)
 * </pre>
 * A probe (scored, never applied) gets the open batch (COUNT) or its time's batch (EVENT_TIME) and a negative
 * sequence number of its own, -1, -2, ..., so that it neither counts towards a batch nor shifts the edges' ids.
 * A late event (its batch already closed) goes to the side output {@link #LATE} (the job writes it as a dead letter
 * with reason {@code late}), never into state. The position is checkpointed, so a restore continues exactly.
 *
 * <p>A scoring request (the right input) becomes one probe per candidate, at the request's time or, without one, at
 * the stream's current time (the latest edge timestamp), in the open batch (EVENT_TIME: the request's time's batch, or
 * the open one if that has closed). A top-K request's candidates are the {@code recentDestinations} most recent
 * distinct destinations other than the source, newest first; with none yet, it goes to {@link #UNANSWERABLE}.
 */
public final class Sequencer extends ProcessFunction<Either<EdgeEvent, ScoringRequest>, SequencedEdge>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    /** Events that arrived after their batch closed, with the sequence number they would have had. */
    public static final OutputTag<LateEdge> LATE = new OutputTag<>("late-events", TypeInformation.of(LateEdge.class));
    /** Top-K requests that arrived before any destination was seen: nothing to rank. */
    public static final OutputTag<ScoringRequest> UNANSWERABLE =
            new OutputTag<>("unanswerable-requests", TypeInformation.of(ScoringRequest.class));
    /** Metric: edges given a sequence number. */
    public static final String EDGES_SEQUENCED = "edgesSequenced";
    /** Metric: probes sequenced (sent as probes, or expanded from scoring requests). */
    public static final String PROBES_SEQUENCED = "probesSequenced";
    /** Metric: scoring requests taken in. */
    public static final String REQUESTS = "requestsSequenced";
    /** Metric: events refused as late. */
    public static final String LATE_EVENTS = "lateEvents";
    /** Distinct recent destinations kept as top-K candidates unless configured. */
    public static final int DEFAULT_RECENT_DESTINATIONS = 200;

    private final BatchMode mode;
    private final long width;
    private final String topic;
    private final int recentDestinations;

    private transient ListState<Long> checkpointed;
    private transient ListState<String> checkpointedRecent;
    /** Recent distinct destinations, oldest first (access order: a repeat moves to the end). */
    private transient LinkedHashMap<String, Boolean> recent;
    private transient long currentTime;
    private transient Counter edgesSequenced;
    private transient Counter probesSequenced;
    private transient Counter requestsSequenced;
    private transient Counter lateEvents;

    @Override
    public void open(OpenContext context) throws Exception {
        edgesSequenced = getRuntimeContext().getMetricGroup().counter(EDGES_SEQUENCED);
        probesSequenced = getRuntimeContext().getMetricGroup().counter(PROBES_SEQUENCED);
        requestsSequenced = getRuntimeContext().getMetricGroup().counter(REQUESTS);
        lateEvents = getRuntimeContext().getMetricGroup().counter(LATE_EVENTS);
    }
    private transient long next;
    private transient long highestBatch;
    /** Edges in batch {@link #highestBatch} (COUNT); {@code width} once it is closed. */
    private transient long inBatch;
    private transient long probes;
    /** Late events so far: numbers each one's dead letter, so that their keys are unique (the topic is compacted). */
    private transient long late;

    /**
     * @param mode  how batches are formed
     * @param width B (events per batch) in COUNT mode, Delta (timestamp units per batch) in EVENT_TIME mode
     * @param topic the input topic, named in dead letters
     */
    public Sequencer(BatchMode mode, long width, String topic) {
        this(mode, width, topic, DEFAULT_RECENT_DESTINATIONS);
    }

    /** As above, keeping {@code recentDestinations} distinct recent destinations as top-K candidates. */
    public Sequencer(BatchMode mode, long width, String topic, int recentDestinations) {
        if (recentDestinations < 1) {
            throw new IllegalArgumentException("keep at least 1 recent destination, got " + recentDestinations);
        }
        this.recentDestinations = recentDestinations;
        if (width < 1) {
            throw new IllegalArgumentException("the batch size/width must be at least 1, got " + width);
        }
        this.mode = mode;
        this.width = width;
        this.topic = topic;
    }

    @Override
    public void processElement(Either<EdgeEvent, ScoringRequest> in, Context ctx, Collector<SequencedEdge> out) {
        if (in.isRight()) {
            processRequest(in.right(), ctx, out);
            return;
        }
        EdgeEvent e = in.left();
        if (mode == BatchMode.COUNT) {
            long open = openBatch();
            if (e.isProbe()) {
                probesSequenced.inc();
                out.collect(new SequencedEdge(e, -++probes, open));
                return;
            }
            inBatch = (open == highestBatch ? inBatch : 0) + 1;
            highestBatch = open;
            remember(e);
            edgesSequenced.inc();
            SequencedEdge s = new SequencedEdge(e, next++, open);
            if (e.endsBatch()) {
                inBatch = width;
                s.endsBatch = true;
            }
            if (inBatch == 1) {
                BatchTimeline.mark("seq_first", 0, open);
            }
            if (inBatch >= width) {
                BatchTimeline.mark("seq_last", 0, open);
            }
            out.collect(s);
            return;
        }
        long batch = Math.floorDiv(e.timestamp(), width);
        long seq = e.isProbe() ? -(probes + 1) : next;
        if (batch < highestBatch) {
            lateEvents.inc();
            ctx.output(LATE, new LateEdge(new SequencedEdge(e, seq, batch), highestBatch, topic, late++));
            return;
        }
        // a probe advances time like an edge: the watermark after it closes the earlier batches for everyone
        highestBatch = batch;
        if (e.isProbe()) {
            probes++;
            probesSequenced.inc();
        } else {
            next++;
            remember(e);
            edgesSequenced.inc();
        }
        out.collect(new SequencedEdge(e, seq, batch));
    }

    /** The batch the next record joins: a full (or early-closed) count batch opens the next one. */
    private long openBatch() {
        if (highestBatch == Long.MIN_VALUE) {
            return 0;
        }
        return mode == BatchMode.COUNT && inBatch >= width ? highestBatch + 1 : highestBatch;
    }

    private void remember(EdgeEvent e) {
        currentTime = Math.max(currentTime, e.timestamp());
        recent.remove(e.dstId());
        recent.put(e.dstId(), Boolean.TRUE);
        if (recent.size() > recentDestinations) {
            recent.remove(recent.keySet().iterator().next());
        }
    }

    private void processRequest(ScoringRequest r, Context ctx, Collector<SequencedEdge> out) {
        requestsSequenced.inc();
        List<String> candidates = r.candidates();
        if (r.isTopK()) {
            List<String> newestFirst = new ArrayList<>(recent.keySet());
            Collections.reverse(newestFirst);
            newestFirst.remove(r.srcId());
            candidates = newestFirst;
        }
        if (candidates.isEmpty()) {
            ctx.output(UNANSWERABLE, r);
            return;
        }
        long ts = r.ts() == ScoringRequest.NOW ? currentTime : r.ts();
        long open = openBatch();
        long batch = mode == BatchMode.COUNT ? open : Math.max(Math.floorDiv(ts, width), open);
        if (mode == BatchMode.EVENT_TIME) {
            highestBatch = batch;
        }
        for (int i = 0; i < candidates.size(); i++) {
            EdgeEvent probe = EdgeEvent.of(r.srcId(), candidates.get(i), ts).asProbe(r.requestId() + "#" + i);
            SequencedEdge s = new SequencedEdge(probe, -++probes, batch);
            s.request = new RequestSlot(r.requestId(), i, candidates.size(), r.topK());
            probesSequenced.inc();
            out.collect(s);
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        checkpointed.update(java.util.List.of(next, highestBatch, inBatch, probes, currentTime, late));
        checkpointedRecent.update(new ArrayList<>(recent.keySet()));
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        checkpointed = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>("sequencer-position", Types.LONG));
        checkpointedRecent = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>("sequencer-recent-destinations", Types.STRING));
        next = 0;
        highestBatch = Long.MIN_VALUE;
        inBatch = 0;
        probes = 0;
        currentTime = 0;
        late = 0;
        recent = new LinkedHashMap<>();
        if (context.isRestored()) {
            java.util.List<Long> v = new java.util.ArrayList<>();
            checkpointed.get().forEach(v::add);
            if (v.size() >= 2) {
                next = v.get(0);
                highestBatch = v.get(1);
            }
            if (v.size() >= 4) {
                inBatch = v.get(2);
                probes = v.get(3);
            } else if (v.size() == 2 && mode == BatchMode.COUNT && highestBatch != Long.MIN_VALUE) {
                inBatch = next - highestBatch * width; // savepoints from before end_batch existed: floor(n / B) held
            }
            if (v.size() >= 5) {
                currentTime = v.get(4);
            }
            if (v.size() >= 6) {
                late = v.get(5);
            }
            for (String id : checkpointedRecent.get()) {
                recent.put(id, Boolean.TRUE);
            }
        }
    }
}
