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
 * {@code {"reason": code, "message": text, "topic": t, "partition": p, "offset": o, "raw": base64, "raw_length": n}}.
 * Raw bytes are base64 because they may be anything, including invalid UTF-8; a null record value is written as
 * {@code "raw": null}. Only the first {@value #MAX_RAW_BYTES} bytes are kept ({@code raw_length} is the original
 * length): a bad record near Kafka's message size limit would otherwise give a dead letter over it (base64 adds a
 * third), which the dead-letter sink cannot write.
 */
public final class DeadLetter implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Raw bytes kept in a dead letter: base64 of this, with the rest, stays well under Kafka's 1 MB default. */
    public static final int MAX_RAW_BYTES = 256 * 1024;

    private final byte[] raw;
    private final int rawLength;
    private final String reason;
    private final String message;
    private final String topic;
    private final int partition;
    private final long offset;

    /**
     * @param raw       the record value as received (null for a record without a value); its first
     *                  {@value #MAX_RAW_BYTES} bytes are copied
     * @param reason    a reason code from {@link io.tgstream.connectors.json.RejectReason}, e.g. {@code bad_type:ts}
     * @param message   the explanation for people
     * @param topic     source topic
     * @param partition source partition
     * @param offset    source offset
     */
    public DeadLetter(byte[] raw, String reason, String message, String topic, int partition, long offset) {
        this(raw == null ? null : Arrays.copyOf(raw, Math.min(raw.length, MAX_RAW_BYTES)),
                raw == null ? 0 : raw.length, reason, message, topic, partition, offset);
    }

    private DeadLetter(byte[] kept, int rawLength, String reason, String message, String topic, int partition,
                       long offset) {
        if (kept != null && (kept.length > MAX_RAW_BYTES || kept.length > rawLength)) {
            throw new IllegalArgumentException("kept " + kept.length + " raw bytes of " + rawLength);
        }
        this.raw = kept;
        this.rawLength = rawLength;
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

    /** A copy of the raw record value (its first {@value #MAX_RAW_BYTES} bytes), or null when the record had none. */
    public byte[] raw() { return raw == null ? null : raw.clone(); }
    /** The length of the record value as received (0 when it had none). */
    public int rawLength() { return rawLength; }
    /** True when {@link #raw()} holds only the start of the record value. */
    public boolean rawTruncated() { return raw != null && raw.length < rawLength; }
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
        o.put("raw_length", rawLength);
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
            byte[] kept = raw.isNull() ? null : Base64.getDecoder().decode(raw.asText());
            JsonNode length = o.get("raw_length"); // absent in dead letters written before it existed
            int rawLength = length != null ? length.asInt() : kept == null ? 0 : kept.length;
            return new DeadLetter(kept, rawLength, require(o, "reason").asText(), require(o, "message").asText(), require(o, "topic").asText(),
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
        return partition == d.partition && offset == d.offset && rawLength == d.rawLength && Arrays.equals(raw, d.raw)
                && reason.equals(d.reason)
                && message.equals(d.message) && topic.equals(d.topic);
    }

    @Override
    public int hashCode() {
        return Objects.hash(reason, message, topic, partition, offset, rawLength) * 31 + Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return "DeadLetter{" + topic + '-' + partition + '-' + offset + " " + reason + ": " + message
                + " (" + (raw == null ? "no value" : rawLength + " bytes") + ")}";
    }
}
