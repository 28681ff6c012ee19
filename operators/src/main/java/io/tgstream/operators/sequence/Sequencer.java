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
 *   COUNT:       seq = n (arrival order),  batch = floor(n / B)
 *   EVENT_TIME:  seq = n,                  batch = floor(ts / Delta);  batch &lt; highest batch seen  =&gt;  late
 * </pre>
 * A late event (its batch already closed) goes to the side output {@link #LATE} (the job writes it as a dead letter
 * with reason {@code late}), never into state. Sequence and highest batch are checkpointed, so a restore continues the numbering exactly.
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
        long batch = mode == BatchMode.COUNT ? next / width : Math.floorDiv(e.timestamp(), width);
        if (batch < highestBatch) {
            ctx.output(LATE, new LateEdge(new SequencedEdge(e, next, batch), highestBatch, topic));
            return;
        }
        highestBatch = batch;
        out.collect(new SequencedEdge(e, next++, batch));
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        checkpointed.update(java.util.List.of(next, highestBatch));
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        checkpointed = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>("sequencer-position", Types.LONG));
        next = 0;
        highestBatch = Long.MIN_VALUE;
        if (context.isRestored()) {
            java.util.List<Long> v = new java.util.ArrayList<>();
            checkpointed.get().forEach(v::add);
            if (v.size() == 2) {
                next = v.get(0);
                highestBatch = v.get(1);
            }
        }
    }
}
