package io.tgstream.train;

/** Receives a trainer's progress: after every batch and after every epoch (the CLI draws a progress bar from it). */
public interface TrainingListener {
    /** After a training batch: events of this epoch done so far, of total, and the running mean loss. */
    default void onBatch(int epoch, int eventsDone, int eventsTotal, double meanLoss) {}

    /** Before validating an epoch's model. */
    default void onValidation(int epoch) {}

    /** After an epoch and its validation. */
    default void onEpoch(EpochReport report) {}

    /** A listener that ignores everything. */
    TrainingListener NONE = new TrainingListener() {};
}
