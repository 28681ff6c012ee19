package io.tgstream.operators.feedback;

import java.io.Serializable;
import org.apache.flink.api.common.TaskInfo;

/**
 * The parallelism and max parallelism a feedback loop was built with, which its head and tail check when they open:
 * a head and tail at different parallelism would route feedback to subtasks that do not own its keys.
 */
record FeedbackLoopShape(String loopId, int parallelism, int maxParallelism) implements Serializable {

    /** The refusal for a side ("head" or "tail") running as {@code task}, or null when it runs as built. */
    String refusalFor(String side, TaskInfo task) {
        if (task.getNumberOfParallelSubtasks() == parallelism
                && task.getMaxNumberOfParallelSubtasks() == maxParallelism) {
            return null;
        }
        return "Feedback loop '" + loopId + "': its " + side + " runs at parallelism "
                + task.getNumberOfParallelSubtasks() + " (max " + task.getMaxNumberOfParallelSubtasks()
                + ") but the loop was built for " + parallelism + " (max " + maxParallelism + "): head and tail must"
                + " run at the same parallelism and max parallelism, or feedback reaches subtasks that do not own"
                + " its keys. Set them with FeedbackLoop.builder(...).parallelism(p).maxParallelism(m), never on"
                + " the stream build() returns.";
    }
}
