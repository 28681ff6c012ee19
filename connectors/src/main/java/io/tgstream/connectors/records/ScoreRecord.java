package io.tgstream.connectors.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One link-prediction score, computed before its edge updates the state, as written to the scores topic.
 *
 * <p>Kafka key: the event id (an edge's sequence number, or a probe's own id). Value JSON:
 * {@code {"src", "dst", "ts", "score", "batch", "model_version"}}, plus {@code "probe": true} for a probe's score.
 */
public final class ScoreRecord implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String eventId;
    private final String src;
    private final String dst;
    private final long ts;
    private final float score;
    private final long batch;
    private final String modelVersion;
    private final boolean probe;

    /** The score of an applied edge. */
    public ScoreRecord(String eventId, String src, String dst, long ts, float score, long batch, String modelVersion) {
        this(eventId, src, dst, ts, score, batch, modelVersion, false);
    }

    public ScoreRecord(String eventId, String src, String dst, long ts, float score, long batch, String modelVersion,
                       boolean probe) {
        this.probe = probe;
        this.eventId = Objects.requireNonNull(eventId, "eventId");
        this.src = Objects.requireNonNull(src, "src");
        this.dst = Objects.requireNonNull(dst, "dst");
        this.ts = ts;
        this.score = score;
        this.batch = batch;
        this.modelVersion = Objects.requireNonNull(modelVersion, "modelVersion");
    }

    public String eventId() { return eventId; }
    public String src() { return src; }
    public String dst() { return dst; }
    public long ts() { return ts; }
    public float score() { return score; }
    public long batch() { return batch; }
    public String modelVersion() { return modelVersion; }
    /** Whether this scores a probe (never applied to state) rather than an edge. */
    public boolean probe() { return probe; }

    /** The Kafka key: the event id, UTF-8. */
    public byte[] key() {
        return eventId.getBytes(StandardCharsets.UTF_8);
    }

    /** The JSON value, UTF-8. */
    public byte[] toJson() {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("src", src);
        o.put("dst", dst);
        o.put("ts", ts);
        o.put("score", score);
        o.put("batch", batch);
        o.put("model_version", modelVersion);
        if (probe) {
            o.put("probe", true);
        }
        try {
            return MAPPER.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a score as JSON", e);
        }
    }

    /** Reads a record back from its key and JSON value; a clear IllegalArgumentException if they are not one. */
    public static ScoreRecord fromKafka(byte[] key, byte[] json) {
        try {
            JsonNode o = MAPPER.readTree(json);
            return new ScoreRecord(new String(key, StandardCharsets.UTF_8),
                    RequiredJsonField.of(o, "src").asText(),
                    RequiredJsonField.of(o, "dst").asText(),
                    RequiredJsonField.of(o, "ts").asLong(),
                    (float) RequiredJsonField.of(o, "score").asDouble(),
                    RequiredJsonField.of(o, "batch").asLong(),
                    RequiredJsonField.of(o, "model_version").asText(),
                    o.path("probe").asBoolean(false));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a score record: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof ScoreRecord)) return false;
        ScoreRecord r = (ScoreRecord) o;
        return ts == r.ts && Float.compare(score, r.score) == 0 && batch == r.batch && probe == r.probe && eventId.equals(r.eventId)
                && src.equals(r.src) && dst.equals(r.dst) && modelVersion.equals(r.modelVersion);
    }

    @Override
    public int hashCode() {
        return Objects.hash(eventId, src, dst, ts, score, batch, modelVersion, probe);
    }

    @Override
    public String toString() {
        return "ScoreRecord{" + eventId + ": " + src + "->" + dst + " @" + ts + " score=" + score + " batch=" + batch
                + " model=" + modelVersion + (probe ? " probe" : "") + '}';
    }
}
