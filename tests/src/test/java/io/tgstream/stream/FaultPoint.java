package io.tgstream.stream;

/** Where, relative to checkpoints and batches, an injected task failure lands. */
enum FaultPoint {
    /** No checkpoint has completed yet: the restart begins from nothing but the input topic. */
    BEFORE_FIRST_CHECKPOINT,
    /** A checkpoint has completed and none is pending. */
    BETWEEN_CHECKPOINTS,
    /**
     * The task has snapshotted a checkpoint that has not completed: its feedback log holds records the head logged and
     * applies only after the snapshot, and the sink's transaction for it is not committed.
     */
    CHECKPOINT_IN_FLIGHT,
    /** Inside a batch close, after some but not all of the subtask's scores of that batch were emitted. */
    MID_BATCH_CLOSE
}
