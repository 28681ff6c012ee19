package io.tgstream.connectors.records;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads a field that a record's JSON form must have, or fails naming it. */
final class RequiredJsonField {
    private RequiredJsonField() {}

    static JsonNode of(JsonNode object, String name) {
        JsonNode v = object == null ? null : object.get(name);
        if (v == null) {
            throw new IllegalArgumentException("field '" + name + "' is missing");
        }
        return v;
    }
}
