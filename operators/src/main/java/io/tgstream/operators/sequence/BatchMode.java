package io.tgstream.operators.sequence;

/** How the sequencer groups events into temporal batches (DESIGN.md §2). */
public enum BatchMode {
    /** Batch k = events k*B .. (k+1)*B - 1 in arrival order: for a single-partition replay (and training). */
    COUNT,
    /** Batch k = events with floor(ts / Delta) = k: for partitioned production topics. */
    EVENT_TIME;

    /** Parses the configuration spelling ("count", "event-time"). */
    public static BatchMode parse(String s) {
        for (BatchMode m : values()) {
            if (m.name().equalsIgnoreCase(s) || m.name().replace('_', '-').equalsIgnoreCase(s)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown batch mode '" + s + "': use count or event-time");
    }
}
