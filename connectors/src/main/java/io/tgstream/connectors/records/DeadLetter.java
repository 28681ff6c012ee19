package io.tgstream.connectors.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tgstream.connectors.json.Rejection;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * An input record that was refused: its raw bytes, the reason code and message, and where it came from.
 *
 * <p>On the dead-letter topic the key is {@code topic-partition-offset} of the source record (unique, so the topic can
 * be compacted and a replay overwrites rather than duplicates) and the value is JSON:
 * {@code {"reason": code, "message": text, "topic": t, "partition": p, "offset": o, "raw": base64}}. Raw bytes are
 * base64 because they may be anything, including invalid UTF-8; a null record value is written as {@code "raw": null}.
 */
public final class DeadLetter implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final byte[] raw;
    private final String reason;
    private final String message;
    private final String topic;
    private final int partition;
    private final long offset;

    /**
     * @param raw       the record value as received (null for a record without a value); copied
     * @param reason    a reason code from {@link io.tgstream.connectors.json.RejectReason}, e.g. {@code bad_type:ts}
     * @param message   the explanation for people
     * @param topic     source topic
     * @param partition source partition
     * @param offset    source offset
     */
    public DeadLetter(byte[] raw, String reason, String message, String topic, int partition, long offset) {
        this.raw = raw == null ? null : raw.clone();
        this.reason = Objects.requireNonNull(reason, "reason");
        this.message = Objects.requireNonNull(message, "message");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.partition = partition;
        this.offset = offset;
    }

    /** The dead letter of a record the parser refused. */
    public static DeadLetter of(Rejection rejection, byte[] raw, String topic, int partition, long offset) {
        return new DeadLetter(raw, rejection.code(), rejection.message(), topic, partition, offset);
    }

    /** A copy of the raw record value, or null when the record had none. */
    public byte[] raw() { return raw == null ? null : raw.clone(); }
    public String reason() { return reason; }
    public String message() { return message; }
    public String topic() { return topic; }
    public int partition() { return partition; }
    public long offset() { return offset; }

    /** The Kafka key: {@code topic-partition-offset}, UTF-8. */
    public byte[] key() {
        return (topic + '-' + partition + '-' + offset).getBytes(StandardCharsets.UTF_8);
    }

    /** The JSON value for the dead-letter topic, UTF-8. */
    public byte[] toJson() {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("reason", reason);
        o.put("message", message);
        o.put("topic", topic);
        o.put("partition", partition);
        o.put("offset", offset);
        if (raw == null) {
            o.putNull("raw");
        } else {
            o.put("raw", Base64.getEncoder().encodeToString(raw));
        }
        try {
            return MAPPER.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a dead letter as JSON", e); // a tree of plain values always writes
        }
    }

    /** Reads the JSON value written by {@link #toJson()}; a clear IllegalArgumentException if it is not one. */
    public static DeadLetter fromJson(byte[] json) {
        try {
            JsonNode o = MAPPER.readTree(json);
            JsonNode raw = require(o, "raw");
            return new DeadLetter(raw.isNull() ? null : Base64.getDecoder().decode(raw.asText()),
                    require(o, "reason").asText(), require(o, "message").asText(), require(o, "topic").asText(),
                    require(o, "partition").asInt(), require(o, "offset").asLong());
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a dead-letter record: " + e.getMessage(), e);
        }
    }

    private static JsonNode require(JsonNode o, String field) {
        JsonNode v = o == null ? null : o.get(field);
        if (v == null) {
            throw new IllegalArgumentException("field '" + field + "' is missing");
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof DeadLetter)) return false;
        DeadLetter d = (DeadLetter) o;
        return partition == d.partition && offset == d.offset && Arrays.equals(raw, d.raw) && reason.equals(d.reason)
                && message.equals(d.message) && topic.equals(d.topic);
    }

    @Override
    public int hashCode() {
        return Objects.hash(reason, message, topic, partition, offset) * 31 + Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return "DeadLetter{" + topic + '-' + partition + '-' + offset + " " + reason + ": " + message
                + " (" + (raw == null ? "no value" : raw.length + " bytes") + ")}";
    }
}
