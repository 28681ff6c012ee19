package io.tgstream.connectors.json;

/**
 * The unit of the {@code ts} field of incoming edge events: epoch seconds or epoch milliseconds.
 *
 * <p>The parser does not convert: an event's timestamp keeps the unit it arrived in, which is the unit the model was
 * trained in (time deltas feed the time encoding, so converting would change every score). The unit says how to
 * map event time to wall-clock time, {@code millis = ts * millisPerUnit}, and bounds the largest accepted value so
 * that this product never overflows a long.
 */
public enum TimestampUnit {
    SECONDS(1000L),
    MILLISECONDS(1L);

    private final long millisPerUnit;

    TimestampUnit(long millisPerUnit) {
        this.millisPerUnit = millisPerUnit;
    }

    /** Epoch milliseconds of a timestamp in this unit; the value must be at most {@link #maxTimestamp()}. */
    public long toMillis(long timestamp) {
        return Math.multiplyExact(timestamp, millisPerUnit);
    }

    /** The largest timestamp in this unit whose value in milliseconds still fits a long. */
    public long maxTimestamp() {
        return Long.MAX_VALUE / millisPerUnit;
    }
}
