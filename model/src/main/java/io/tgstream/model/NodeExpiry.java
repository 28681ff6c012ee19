package io.tgstream.model;

import java.io.Serializable;

/**
 * The per-node time-to-live in event time: the one rule, shared by the streaming job and the offline replay, that
 * evicts nodes that have gone quiet (DESIGN.md §4, issue 7 "bounded state").
 *
 * <p>Let u_x be the time of node x's last edge (its state's last update) and tau_k the <em>stream time</em> of batch
 * k, the largest timestamp among the edges of all batches before k (none before the first edge; probes do not count,
 * they change no state). Then
 * <pre>
 *   at the start of batch k:   every node with  u_x &lt; tau_k - ttl   is evicted
 * </pre>
 * (all its state is dropped: memory, last update, PRES statistics, recent partners), before any read of batch k. A
 * node that comes back after that is a new node, with the state of a node never seen (the inductive path). Only event
 * times enter the rule, never the wall clock, so a replay evicts the same nodes at the same batches, whatever the
 * parallelism, timing or restarts. Equivalently x is evicted at the first batch whose stream time exceeds its
 * {@link #deadline} u_x + ttl.
 *
 * @param ttl the time to live in the data's time units, at least 1; {@link #NEVER} keeps every node forever
 */
public record NodeExpiry(long ttl) implements Serializable {
    /** No expiry: nodes are never evicted (the default). */
    public static final NodeExpiry NEVER = new NodeExpiry(Long.MAX_VALUE);
    /** The stream time before the first edge: nothing can have expired yet. */
    public static final long NO_STREAM_TIME = Long.MIN_VALUE;

    public NodeExpiry {
        if (ttl < 1) {
            throw new IllegalArgumentException("the node TTL must be at least 1 time unit, got " + ttl
                    + " (leave it unset to keep nodes forever)");
        }
    }

    /** A TTL of {@code ttl} time units. */
    public static NodeExpiry after(long ttl) {
        return new NodeExpiry(ttl);
    }

    /** Whether nodes ever expire. */
    public boolean enabled() {
        return ttl != Long.MAX_VALUE;
    }

    /** u + ttl, saturated at {@link Long#MAX_VALUE} (never): the node expires once the stream time is past it. */
    public long deadline(long lastUpdate) {
        if (!enabled()) {
            return Long.MAX_VALUE;
        }
        long d = lastUpdate + ttl;
        return ((lastUpdate ^ d) & (ttl ^ d)) < 0 ? Long.MAX_VALUE : d;
    }

    /** Whether a node last updated at {@code lastUpdate} is evicted at a batch of stream time {@code streamTime}. */
    public boolean expired(long lastUpdate, long streamTime) {
        return streamTime != NO_STREAM_TIME && deadline(lastUpdate) < streamTime;
    }
}
