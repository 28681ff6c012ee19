package io.tgstream.operators.node;

import io.tgstream.model.NodeExpiry;
import io.tgstream.operators.sequence.SequencedEdge;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.util.Collector;

/**
 * Turns every event into its two endpoint requests (source side first), to be keyed by node, and stamps each with the
 * stream time of its batch (tau_k, the latest edge timestamp of the batches before k, see {@link NodeExpiry}).
 *
 * <p>It sees the sequencer's total order (parallelism 1, batches never decrease), which is what makes tau_k one value
 * for every subtask of the node operator; the position is checkpointed so that a restore continues the same clock.
 */
public final class EndpointFanOut implements FlatMapFunction<SequencedEdge, NodeRequest>, CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    private transient ListState<Long> checkpointed;
    /** The batch of the last record, {@link Long#MIN_VALUE} before the first. */
    private transient long batch;
    /** tau of {@link #batch}. */
    private transient long streamTime;
    /** The latest edge timestamp so far (including {@link #batch}'s edges). */
    private transient long latest;

    @Override
    public void flatMap(SequencedEdge e, Collector<NodeRequest> out) {
        if (e.batch > batch) {
            batch = e.batch;
            streamTime = latest;
        }
        NodeRequest src = NodeRequest.of(e, true);
        NodeRequest dst = NodeRequest.of(e, false);
        src.streamTime = streamTime;
        dst.streamTime = streamTime;
        out.collect(src);
        out.collect(dst);
        if (e.probeId == null) {
            latest = Math.max(latest, e.ts);
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        checkpointed.update(List.of(batch, streamTime, latest));
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        checkpointed = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>("fan-out-stream-time", Types.LONG));
        batch = Long.MIN_VALUE;
        streamTime = NodeExpiry.NO_STREAM_TIME;
        latest = NodeExpiry.NO_STREAM_TIME;
        if (context.isRestored()) {
            List<Long> v = new ArrayList<>();
            checkpointed.get().forEach(v::add);
            // empty in a savepoint from before the clock existed: it starts again from the next edges
            if (v.size() == 3) {
                batch = v.get(0);
                streamTime = v.get(1);
                latest = v.get(2);
            }
        }
    }
}
