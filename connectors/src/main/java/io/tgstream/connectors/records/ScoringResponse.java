package io.tgstream.connectors.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The answer to a scoring request, as written to the responses topic.
 *
 * <p>Kafka key: the request id. Value JSON: {@code {"request_id", "src", "ts", "batch", "model_version", "considered",
 * "scores": [{"dst", "score"}, ...]}}, plus {@code "top_k"} for a top-K request; scores in the candidates' order, or
 * the top K in descending order of score.
 */
public final class ScoringResponse implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One scored destination. */
    public record Scored(String dst, float score) implements Serializable {}

    private final String requestId;
    private final String src;
    private final long ts;
    private final long batch;
    private final String modelVersion;
    private final int topK;
    private final int considered;
    private final List<Scored> scores;

    public ScoringResponse(String requestId, String src, long ts, long batch, String modelVersion, int topK,
                           int considered, List<Scored> scores) {
        this.requestId = Objects.requireNonNull(requestId, "requestId");
        this.src = Objects.requireNonNull(src, "src");
        this.ts = ts;
        this.batch = batch;
        this.modelVersion = Objects.requireNonNull(modelVersion, "modelVersion");
        this.topK = topK;
        this.considered = considered;
        this.scores = List.copyOf(scores);
    }

    public String requestId() { return requestId; }
    public String src() { return src; }
    public long ts() { return ts; }
    public long batch() { return batch; }
    public String modelVersion() { return modelVersion; }
    /** K of a top-K request, 0 for a candidates request. */
    public int topK() { return topK; }
    /** How many candidates were scored (for top-K: the recent destinations). */
    public int considered() { return considered; }
    public List<Scored> scores() { return scores; }

    public byte[] key() {
        return requestId.getBytes(StandardCharsets.UTF_8);
    }

    public byte[] toJson() {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("request_id", requestId);
        o.put("src", src);
        o.put("ts", ts);
        o.put("batch", batch);
        o.put("model_version", modelVersion);
        if (topK > 0) o.put("top_k", topK);
        o.put("considered", considered);
        ArrayNode a = o.putArray("scores");
        for (Scored s : scores) {
            a.addObject().put("dst", s.dst()).put("score", s.score());
        }
        try {
            return MAPPER.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a response as JSON", e);
        }
    }

    /** Reads a response back from its JSON value; a clear IllegalArgumentException if it is not one. */
    public static ScoringResponse fromJson(byte[] json) {
        try {
            JsonNode o = MAPPER.readTree(json);
            List<Scored> scores = new ArrayList<>();
            for (JsonNode s : RequiredJsonField.of(o, "scores")) {
                scores.add(new Scored(RequiredJsonField.of(s, "dst").asText(),
                        (float) RequiredJsonField.of(s, "score").asDouble()));
            }
            return new ScoringResponse(RequiredJsonField.of(o, "request_id").asText(),
                    RequiredJsonField.of(o, "src").asText(), RequiredJsonField.of(o, "ts").asLong(),
                    RequiredJsonField.of(o, "batch").asLong(), RequiredJsonField.of(o, "model_version").asText(),
                    o.path("top_k").asInt(0), RequiredJsonField.of(o, "considered").asInt(), scores);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a scoring response: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof ScoringResponse)) return false;
        ScoringResponse r = (ScoringResponse) o;
        return ts == r.ts && batch == r.batch && topK == r.topK && considered == r.considered
                && requestId.equals(r.requestId) && src.equals(r.src) && modelVersion.equals(r.modelVersion)
                && scores.equals(r.scores);
    }

    @Override
    public int hashCode() {
        return Objects.hash(requestId, src, ts, batch, modelVersion, topK, considered, scores);
    }

    @Override
    public String toString() {
        return "ScoringResponse{" + requestId + ": " + src + " @" + ts + " batch " + batch + " " + scores + '}';
    }
}
