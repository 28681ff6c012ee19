package io.tgstream.connectors.json;

import java.util.Objects;

/**
 * Why one input record was refused: a reason, the field it concerns (or null), and a message for people.
 *
 * @param reason  what is wrong, from the one list in {@link RejectReason}
 * @param field   the offending top-level field for per-field reasons, else null
 * @param message what is wrong and what to do about it, in words
 */
public record Rejection(RejectReason reason, String field, String message) {
    public Rejection {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
        reason.code(field); // validates that per-field reasons name their field
    }

    /** The machine-readable code, e.g. {@code missing_field:src} or {@code negative_ts}. */
    public String code() {
        return reason.code(field);
    }
}
