package io.tgstream.connectors.json;

import io.tgstream.data.EdgeEvent;

import java.util.Objects;

/** The outcome of parsing one record: either a valid {@link EdgeEvent} or a {@link Rejection}, never both. */
public sealed interface ParseResult permits ParseResult.Valid, ParseResult.Invalid {

    /** A record that passed every check. */
    record Valid(EdgeEvent event) implements ParseResult {
        public Valid {
            Objects.requireNonNull(event, "event");
        }
    }

    /** A record that was refused, and why. */
    record Invalid(Rejection rejection) implements ParseResult {
        public Invalid {
            Objects.requireNonNull(rejection, "rejection");
        }
    }

    /** Whether the record was accepted. */
    default boolean isValid() {
        return this instanceof Valid;
    }
}
