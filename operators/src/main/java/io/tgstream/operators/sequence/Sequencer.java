package io.tgstream.operators.sequence;

import io.tgstream.data.EdgeEvent;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
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
 */
public final class Sequencer extends ProcessFunction<EdgeEvent, SequencedEdge> implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    /** Events that arrived after their batch closed, with the sequence number they would have had. */
    public static final OutputTag<LateEdge> LATE = new OutputTag<>("late-events", TypeInformation.of(LateEdge.class));

    private final BatchMode mode;
    private final long width;
    private final String topic;

    private transient ListState<Long> checkpointed;
    private transient long next;
    private transient long highestBatch;
    /** Edges in batch {@link #highestBatch} (COUNT); {@code width} once it is closed. */
    private transient long inBatch;
    private transient long probes;

    /**
     * @param mode  how batches are formed
     * @param width B (events per batch) in COUNT mode, Delta (timestamp units per batch) in EVENT_TIME mode
     * @param topic the input topic, named in dead letters
     */
    public Sequencer(BatchMode mode, long width, String topic) {
        if (width < 1) {
            throw new IllegalArgumentException("the batch size/width must be at least 1, got " + width);
        }
        this.mode = mode;
        this.width = width;
        this.topic = topic;
    }

    @Override
    public void processElement(EdgeEvent e, Context ctx, Collector<SequencedEdge> out) {
        if (mode == BatchMode.COUNT) {
            long open = highestBatch == Long.MIN_VALUE ? 0 : inBatch >= width ? highestBatch + 1 : highestBatch;
            if (e.isProbe()) {
                out.collect(new SequencedEdge(e, -++probes, open));
                return;
            }
            inBatch = (open == highestBatch ? inBatch : 0) + 1;
            highestBatch = open;
            SequencedEdge s = new SequencedEdge(e, next++, open);
            if (e.endsBatch()) {
                inBatch = width;
                s.endsBatch = true;
            }
            out.collect(s);
            return;
        }
        long batch = Math.floorDiv(e.timestamp(), width);
        long seq = e.isProbe() ? -(probes + 1) : next;
        if (batch < highestBatch) {
            ctx.output(LATE, new LateEdge(new SequencedEdge(e, seq, batch), highestBatch, topic));
            return;
        }
        // a probe advances time like an edge: the watermark after it closes the earlier batches for everyone
        highestBatch = batch;
        if (e.isProbe()) {
            probes++;
        } else {
            next++;
        }
        out.collect(new SequencedEdge(e, seq, batch));
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        checkpointed.update(java.util.List.of(next, highestBatch, inBatch, probes));
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        checkpointed = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>("sequencer-position", Types.LONG));
        next = 0;
        highestBatch = Long.MIN_VALUE;
        inBatch = 0;
        probes = 0;
        if (context.isRestored()) {
            java.util.List<Long> v = new java.util.ArrayList<>();
            checkpointed.get().forEach(v::add);
            if (v.size() >= 2) {
                next = v.get(0);
                highestBatch = v.get(1);
            }
            if (v.size() == 4) {
                inBatch = v.get(2);
                probes = v.get(3);
            } else if (v.size() == 2 && mode == BatchMode.COUNT && highestBatch != Long.MIN_VALUE) {
                inBatch = next - highestBatch * width; // savepoints from before end_batch existed: floor(n / B) held
            }
        }
    }
}
