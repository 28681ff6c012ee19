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
        /** In processFeedback, while a checkpoint is in flight and records are being logged. */
        WHILE_LOGGING,
        /** In notifyCheckpointComplete of a checkpoint whose in-flight log held records. */
        AFTER_LOGGED_CHECKPOINT
    }

    static volatile Point point = Point.NONE;
    /** Input sequence number at or after which the failure may happen. */
    static volatile long at;
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
    }

    static void reset() {
        point = Point.NONE;
        at = 0;
        ARMED.set(false);
        INPUTS_PROCESSED.set(0);
        REPLAYED.set(0);
        HEADS_OPENED.set(0);
    }

    static boolean fired() {
        return point != Point.NONE && !ARMED.get();
    }

    static void maybeFail(Point here, boolean condition) {
        if (point == here && condition && INPUTS_PROCESSED.get() >= at && ARMED.compareAndSet(true, false)) {
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
