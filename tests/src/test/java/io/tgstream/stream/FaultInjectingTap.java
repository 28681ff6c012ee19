package io.tgstream.stream;

import io.tgstream.operators.node.NodeScore;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;

/**
 * An identity map chained to the node operator that fails its task at scheduled points: thrown from inside the
 * operator's batch close (scores are emitted there), the failure restarts the whole job from its latest checkpoint.
 *
 * <p>It tracks, per attempt, whether a checkpoint has completed ({@link CheckpointListener}) and whether one is in
 * flight (snapshotted here but not yet complete), and whether the current score continues a batch this subtask has
 * begun to emit. What fired is recorded in {@link #FIRED} (the MiniCluster runs in the test's JVM).
 */
final class FaultInjectingTap extends RichMapFunction<NodeScore, NodeScore>
        implements CheckpointedFunction, CheckpointListener {
    private static final long serialVersionUID = 1L;

    /** Every fault that fired, as "attempt a, subtask s, POINT after n scores (restored: r)". */
    static final Queue<String> FIRED = new ConcurrentLinkedQueue<>();

    private final List<ScheduledFault> schedule;
    private transient ScheduledFault mine;
    private transient int seen;
    private transient long lastBatch;
    private transient long snapshotted;
    private transient long completed;
    private transient boolean restored;

    FaultInjectingTap(List<ScheduledFault> schedule) {
        this.schedule = List.copyOf(schedule);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {
        restored = context.isRestored();
        // a restored attempt starts from a completed checkpoint, with none pending
        completed = context.getRestoredCheckpointId().orElse(-1);
        snapshotted = completed;
    }

    @Override
    public void open(OpenContext openContext) {
        int attempt = getRuntimeContext().getTaskInfo().getAttemptNumber();
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        mine = schedule.stream().filter(f -> f.attempt() == attempt && f.subtask() == subtask).findFirst()
                .orElse(null);
        seen = 0;
        lastBatch = Long.MIN_VALUE;
    }

    @Override
    public NodeScore map(NodeScore score) {
        seen++;
        boolean midBatch = score.batch == lastBatch;
        lastBatch = score.batch;
        if (mine != null && seen >= mine.afterScores() && holds(mine.point(), midBatch)) {
            String what = "attempt " + mine.attempt() + ", subtask " + mine.subtask() + ", " + mine.point()
                    + " at score " + seen + " (batch " + score.batch + ", restored: " + restored
                    + ", last completed checkpoint " + completed + ", last snapshot " + snapshotted + ")";
            FIRED.add(what);
            mine = null;
            throw new InjectedFailure(what);
        }
        return score;
    }

    private boolean holds(FaultPoint point, boolean midBatch) {
        return switch (point) {
            case BEFORE_FIRST_CHECKPOINT -> !restored && completed < 0;
            case BETWEEN_CHECKPOINTS -> completed >= 0 && snapshotted <= completed;
            case CHECKPOINT_IN_FLIGHT -> snapshotted > completed;
            case MID_BATCH_CLOSE -> midBatch;
        };
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
        snapshotted = context.getCheckpointId();
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        completed = Math.max(completed, checkpointId);
    }

    /** The injected failure; never caught by the job. */
    static final class InjectedFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InjectedFailure(String what) {
            super("injected failure: " + what);
        }
    }
}
