package io.tgstream.data;

import java.util.List;
import java.util.Objects;

/**
 * An on-demand scoring request: score the links from {@code src} to the given candidates, or find the top K among the
 * destinations seen recently, from the current state and without changing it.
 *
 * <p>Exactly one of {@code candidates} (non-empty) and {@code topK} (&gt; 0) is given. {@code ts} is the time the
 * links are scored at, or {@link #NOW} for the stream's current time (the latest edge timestamp sequenced).
 */
public record ScoringRequest(String requestId, String srcId, List<String> candidates, int topK, long ts) {
    /** The {@code ts} that asks for the stream's current time. */
    public static final long NOW = -1;

    public ScoringRequest {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(srcId, "srcId");
        candidates = candidates == null ? List.of() : List.copyOf(candidates);
        if (candidates.isEmpty() == (topK <= 0)) {
            throw new IllegalArgumentException("give either candidates or top_k > 0, not both and not neither");
        }
        if (ts < NOW) {
            throw new IllegalArgumentException("ts must be >= 0 (or NOW), got " + ts);
        }
    }

    /** Whether this asks for the top K of the recent destinations rather than for given candidates. */
    public boolean isTopK() {
        return topK > 0;
    }
}
