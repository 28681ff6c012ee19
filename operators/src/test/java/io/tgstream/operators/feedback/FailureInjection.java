package io.tgstream.operators.feedback;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the toy head throws once to kill the job, and what the tests observe of it. Static
 * because the job's operators are instantiated from serialized copies in the same JVM.
 */
final class FailureInjection {

    /** The point in the run at which the head throws. */
    enum Point {
        NONE,
        /** At input {@code seq == at}, in processInput. */
        AT_INPUT,
        /**
         * In processFeedback, while applying records that a checkpoint still in flight logged
         * (they were in the queue when its barrier passed the head).
         */
        WHILE_LOGGING,
        /** In notifyCheckpointComplete of a checkpoint whose in-flight log held records. */
        AFTER_LOGGED_CHECKPOINT
    }

    static volatile Point point = Point.NONE;
    /** AT_INPUT: the input sequence number; others: inputs processed before it may happen. */
    static volatile long at;
    /**
     * The head sleeps this long before each checkpoint barrier (0: never), so that feedback
     * records queue up behind it and the checkpoint finds some in flight; set for the points that
     * need a logged record. The head drains its queue before it takes a barrier, so without this
     * a checkpoint logs only the few records the tail enqueues during the head's snapshot.
     */
    static volatile long slowCheckpointMillis;
    static final AtomicBoolean ARMED = new AtomicBoolean();
    static final AtomicLong INPUTS_PROCESSED = new AtomicLong();
    static final AtomicLong REPLAYED = new AtomicLong();
    static final AtomicLong HEADS_OPENED = new AtomicLong();

    private FailureInjection() {}

    static void arm(Point where, long atInput) {
        reset();
        point = where;
        at = atInput;
        ARMED.set(where != Point.NONE);
        boolean needsBacklog = where == Point.WHILE_LOGGING || where == Point.AFTER_LOGGED_CHECKPOINT;
        slowCheckpointMillis = needsBacklog ? 10 : 0;
    }

    static void reset() {
        point = Point.NONE;
        at = 0;
        slowCheckpointMillis = 0;
        ARMED.set(false);
        INPUTS_PROCESSED.set(0);
        REPLAYED.set(0);
        HEADS_OPENED.set(0);
    }

    /** Lets the queue fill up behind a head that is slow to take a barrier. */
    static void maybeSlowDown() throws InterruptedException {
        long millis = slowCheckpointMillis;
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }

    static boolean fired() {
        return point != Point.NONE && !ARMED.get();
    }

    static void maybeFail(Point here, boolean condition) {
        // AT_INPUT names its input exactly; the other points wait for enough progress, counted
        // across subtasks (inputs are not processed in sequence order).
        boolean reached = here == Point.AT_INPUT || INPUTS_PROCESSED.get() >= at;
        if (point == here && condition && reached && ARMED.compareAndSet(true, false)) {
            throw new InjectedFailure(here);
        }
    }

    /** The failure the tests inject; the job's restart strategy recovers from it. */
    static final class InjectedFailure extends RuntimeException {
        InjectedFailure(Point point) {
            super("injected failure " + point);
        }
    }
}
