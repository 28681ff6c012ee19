package io.tgstream.operators.feedback;

/**
 * One entry of a feedback queue: a record travelling the loop, a watermark marker, or the barrier
 * sentinel of a checkpoint.
 *
 * <p>FIFO order inside one queue is what the protocol rests on: a marker {@code k} follows every
 * record the tail received before watermark {@code k}; a sentinel {@code id} follows every record
 * the tail received before the barrier of checkpoint {@code id}; an abort {@code id} says that
 * sentinel will never come.
 */
final class FeedbackElement<T> {

    /** What an element is. */
    enum Kind {
        RECORD,
        MARKER,
        SENTINEL,
        /** The tail learned that a checkpoint was aborted: a head waiting for its sentinel stops. */
        ABORT
    }

    private final Kind kind;
    private final T record;
    /** Record timestamp, marker watermark or checkpoint id, depending on the kind. */
    private final long value;

    private FeedbackElement(Kind kind, T record, long value) {
        this.kind = kind;
        this.record = record;
        this.value = value;
    }

    static <T> FeedbackElement<T> record(T record, long timestamp) {
        return new FeedbackElement<>(Kind.RECORD, record, timestamp);
    }

    static <T> FeedbackElement<T> marker(long watermark) {
        return new FeedbackElement<>(Kind.MARKER, null, watermark);
    }

    static <T> FeedbackElement<T> sentinel(long checkpointId) {
        return new FeedbackElement<>(Kind.SENTINEL, null, checkpointId);
    }

    static <T> FeedbackElement<T> abort(long checkpointId) {
        return new FeedbackElement<>(Kind.ABORT, null, checkpointId);
    }

    Kind kind() {
        return kind;
    }

    T record() {
        return record;
    }

    long timestamp() {
        return value;
    }

    long watermark() {
        return value;
    }

    long checkpointId() {
        return value;
    }
}
