package io.tgstream.operators.feedback;

import org.apache.flink.api.dag.Transformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.runtime.checkpoint.CheckpointType;
import org.apache.flink.runtime.state.AbstractKeyedStateBackend;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.streaming.api.environment.CheckpointConfig;

/**
 * The one place where the feedback loop touches Flink APIs marked {@code @Internal} or
 * {@code @Experimental} (STACK.md trap 5), and the checks that need them. If a Flink upgrade
 * breaks the loop, start here.
 */
final class FlinkInternalApi {

    static final String UNALIGNED_REFUSAL =
            "The feedback loop needs aligned checkpoints: under unaligned checkpoints its in-flight"
                    + " records would be stored twice and replayed as duplicates. Disable them"
                    + " (execution.checkpointing.unaligned.enabled: false).";
    static final String AT_LEAST_ONCE_REFUSAL =
            "The feedback loop needs EXACTLY_ONCE checkpointing (aligned barriers); set"
                    + " execution.checkpointing.mode: EXACTLY_ONCE.";
    static final String CONCURRENT_REFUSAL =
            "The feedback loop takes one checkpoint at a time; set"
                    + " execution.checkpointing.max-concurrent-checkpoints: 1.";
    static final String HEAP_TIMERS_REFUSAL =
            "The feedback head writes its in-flight log to raw keyed state, which conflicts with"
                    + " HEAP timers on RocksDB; keep state.backend.rocksdb.timer-service.factory:"
                    + " ROCKSDB.";

    private FlinkInternalApi() {}

    /** Makes subtask i of {@code head} and subtask i of {@code tail} share a slot. */
    static void coLocate(Transformation<?> head, Transformation<?> tail, String groupKey) {
        head.setCoLocationGroupKey(groupKey);
        tail.setCoLocationGroupKey(groupKey);
    }

    /** The reason the checkpoint settings of a job being built cannot carry a loop, or null. */
    static String refusalFor(CheckpointConfig config) {
        if (config.isUnalignedCheckpointsEnabled() || config.isForceUnalignedCheckpoints()) {
            return UNALIGNED_REFUSAL;
        }
        if (config.isCheckpointingEnabled()
                && config.getCheckpointingConsistencyMode() != CheckpointingMode.EXACTLY_ONCE) {
            return AT_LEAST_ONCE_REFUSAL;
        }
        if (config.getMaxConcurrentCheckpoints() > 1) {
            return CONCURRENT_REFUSAL;
        }
        return null;
    }

    /** The same check on the configuration a running task received, or null. */
    static String refusalFor(Configuration jobConfiguration) {
        if (CheckpointingOptions.isUnalignedCheckpointEnabled(jobConfiguration)) {
            return UNALIGNED_REFUSAL;
        }
        if (jobConfiguration.get(CheckpointingOptions.MAX_CONCURRENT_CHECKPOINTS) > 1) {
            return CONCURRENT_REFUSAL;
        }
        return null;
    }

    /** True if the backend would write timers to raw keyed state (HEAP timers on RocksDB). */
    static boolean snapshotsTimersToRawKeyedState(KeyedStateBackend<?> backend) {
        return backend instanceof AbstractKeyedStateBackend<?> abstractBackend
                && abstractBackend.requiresLegacySynchronousTimerSnapshots(
                        CheckpointType.CHECKPOINT);
    }
}
