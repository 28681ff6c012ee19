package io.tgstream.model.nat;

import java.util.Arrays;

/**
 * The value refreshes that one batch's events ask for, one row per (owner, neighbour) side of an event: the owner's
 * hop-1 value for the neighbour is to become GRU([s_neighbour || e || phi(dt)], old value).
 *
 * <p>Everything here is read before the batch touches the dictionaries (the batch contract): the old value is the
 * owner's stored value for the neighbour at the start of the batch (zeros if it had none), and dt = t - the time
 * stored with it (0 if it had none). Row 2i is event i's source side, 2i + 1 its destination side (a self-loop has
 * one row only, so rows follow event order but are not always 2i and 2i + 1).
 */
public final class RefreshRequests {
    private final int valueDim;
    private final int[] owners;
    private final int[] neighbours;
    private final int[] events;
    private final float[] timeDeltas;
    private final float[] oldValues;

    RefreshRequests(int valueDim, int[] owners, int[] neighbours, int[] events, float[] timeDeltas,
                    float[] oldValues) {
        this.valueDim = valueDim;
        this.owners = owners;
        this.neighbours = neighbours;
        this.events = events;
        this.timeDeltas = timeDeltas;
        this.oldValues = oldValues;
    }

    /** Number of rows. */
    public int size() { return owners.length; }

    public int valueDim() { return valueDim; }

    /** The node whose hop-1 value is refreshed. */
    public int owner(int row) { return owners[row]; }

    /** The neighbour the value is about; its memory row (as read in the batch) is the GRU's self representation. */
    public int neighbour(int row) { return neighbours[row]; }

    /** The stream index of the event (for its features). */
    public int event(int row) { return events[row]; }

    /** The neighbours of every row, in row order (a copy): the rows of memory the caller passes to the refresh. */
    public int[] neighbours() { return neighbours.clone(); }

    /** The events of every row (a copy). */
    public int[] events() { return events.clone(); }

    /** dt of every row, [size] (a copy). */
    public float[] timeDeltas() { return timeDeltas.clone(); }

    /** The old values, row-major [size * valueDim] (a copy). */
    public float[] oldValues() { return oldValues.clone(); }

    @Override
    public String toString() {
        return "RefreshRequests{" + size() + " rows, owners " + Arrays.toString(Arrays.copyOf(owners,
                Math.min(8, owners.length))) + "...}";
    }
}
