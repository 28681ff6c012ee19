package io.tgstream.connectors.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A node's embedding at a point in event time, as written to the (compacted) embeddings topic.
 *
 * <p>Kafka key: the node id, so that compaction keeps each node's latest embedding. Value JSON:
 * {@code {"node", "ts", "vector", "model_version"}}.
 */
public final class EmbeddingRecord implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String node;
    private final long ts;
    private final float[] vector;
    private final String modelVersion;

    /** The vector is copied. */
    public EmbeddingRecord(String node, long ts, float[] vector, String modelVersion) {
        this.node = Objects.requireNonNull(node, "node");
        this.ts = ts;
        this.vector = Objects.requireNonNull(vector, "vector").clone();
        this.modelVersion = Objects.requireNonNull(modelVersion, "modelVersion");
    }

    public String node() { return node; }
    public long ts() { return ts; }
    /** A copy of the vector. */
    public float[] vector() { return vector.clone(); }
    public String modelVersion() { return modelVersion; }

    /** The Kafka key: the node id, UTF-8. */
    public byte[] key() {
        return node.getBytes(StandardCharsets.UTF_8);
    }

    /** The JSON value, UTF-8. */
    public byte[] toJson() {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("node", node);
        o.put("ts", ts);
        ArrayNode v = o.putArray("vector");
        for (float x : vector) {
            v.add(x);
        }
        o.put("model_version", modelVersion);
        try {
            return MAPPER.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write an embedding as JSON", e);
        }
    }

    /** Reads a record back from its JSON value; a clear IllegalArgumentException if it is not one. */
    public static EmbeddingRecord fromJson(byte[] json) {
        try {
            JsonNode o = MAPPER.readTree(json);
            JsonNode v = RequiredJsonField.of(o, "vector");
            if (!v.isArray()) {
                throw new IllegalArgumentException("field 'vector' is not an array");
            }
            float[] vector = new float[v.size()];
            for (int i = 0; i < vector.length; i++) {
                vector[i] = v.get(i).floatValue();
            }
            return new EmbeddingRecord(RequiredJsonField.of(o, "node").asText(), RequiredJsonField.of(o, "ts").asLong(), vector,
                    RequiredJsonField.of(o, "model_version").asText());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not an embedding record: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof EmbeddingRecord)) return false;
        EmbeddingRecord r = (EmbeddingRecord) o;
        return ts == r.ts && node.equals(r.node) && Arrays.equals(vector, r.vector) && modelVersion.equals(r.modelVersion);
    }

    @Override
    public int hashCode() {
        return Objects.hash(node, ts, modelVersion) * 31 + Arrays.hashCode(vector);
    }

    @Override
    public String toString() {
        return "EmbeddingRecord{" + node + " @" + ts + " dim=" + vector.length + " model=" + modelVersion + '}';
    }
}
