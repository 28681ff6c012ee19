package io.tgstream.connectors.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tgstream.connectors.KeyedJsonSerializer;
import io.tgstream.connectors.json.EdgeEventParser;
import io.tgstream.connectors.json.ParseResult;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Kafka forms (key and JSON value) of dead letters, scores and embeddings, field by field and back. */
class RecordJsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void deadLetterCarriesRawBytesReasonAndSourcePosition() throws Exception {
        byte[] raw = {(byte) 0xff, '{', 0, '"'};
        ParseResult.Invalid invalid = (ParseResult.Invalid) EdgeEventParser.withDefaults().parse(raw);
        DeadLetter d = DeadLetter.of(invalid.rejection(), raw, "edges", 3, 1234L);

        assertThat(utf8(d.key())).isEqualTo("edges-3-1234");
        JsonNode json = MAPPER.readTree(d.toJson());
        assertThat(json.get("reason").asText()).isEqualTo("malformed_json");
        assertThat(json.get("message").asText()).isEqualTo(invalid.rejection().message());
        assertThat(json.get("topic").asText()).isEqualTo("edges");
        assertThat(json.get("partition").asInt()).isEqualTo(3);
        assertThat(json.get("offset").asLong()).isEqualTo(1234L);
        assertThat(Base64.getDecoder().decode(json.get("raw").asText())).isEqualTo(raw);
        assertThat(DeadLetter.fromJson(d.toJson())).isEqualTo(d);

        DeadLetter tombstone = new DeadLetter(null, "empty_record", "no value", "edges", 0, 0);
        assertThat(MAPPER.readTree(tombstone.toJson()).get("raw").isNull()).isTrue();
        assertThat(DeadLetter.fromJson(tombstone.toJson())).isEqualTo(tombstone);
        assertThatThrownBy(() -> DeadLetter.fromJson("{\"reason\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("raw");
    }

    @Test
    void scoreIsKeyedByEventIdWithTheDocumentedFields() throws Exception {
        ScoreRecord s = new ScoreRecord("edges-0-17", "alice", "42", 1700L, 0.8125f, 9L, "tgn-3f2a");
        ProducerRecord<byte[], byte[]> r = KeyedJsonSerializer.scores("scores").serialize(s, null, 5L);
        assertThat(r.topic()).isEqualTo("scores");
        assertThat(utf8(r.key())).isEqualTo("edges-0-17");
        assertThat(r.timestamp()).as("the batch index is not a time: the producer stamps the record").isNull();
        JsonNode json = MAPPER.readTree(r.value());
        assertThat(json.size()).isEqualTo(6);
        assertThat(json.get("src").asText()).isEqualTo("alice");
        assertThat(json.get("dst").asText()).isEqualTo("42");
        assertThat(json.get("ts").asLong()).isEqualTo(1700L);
        assertThat(json.get("score").asDouble()).isEqualTo(0.8125);
        assertThat(json.get("batch").asLong()).isEqualTo(9L);
        assertThat(json.get("model_version").asText()).isEqualTo("tgn-3f2a");
        assertThat(ScoreRecord.fromKafka(r.key(), r.value())).isEqualTo(s);
    }

    @Test
    void aProbeScoreIsKeyedByTheProbeIdAndSaysItIsAProbe() throws Exception {
        ScoreRecord s = new ScoreRecord("neg-3", "alice", "bob", 1700L, 0.25f, 9L, "m", true);
        ProducerRecord<byte[], byte[]> r = KeyedJsonSerializer.scores("scores").serialize(s, null, 5L);
        assertThat(utf8(r.key())).isEqualTo("neg-3");
        JsonNode json = MAPPER.readTree(r.value());
        assertThat(json.size()).isEqualTo(7);
        assertThat(json.get("probe").asBoolean()).isTrue();
        ScoreRecord back = ScoreRecord.fromKafka(r.key(), r.value());
        assertThat(back).isEqualTo(s);
        assertThat(back.probe()).isTrue();
        assertThat(back).isNotEqualTo(new ScoreRecord("neg-3", "alice", "bob", 1700L, 0.25f, 9L, "m"));
    }

    @Test
    void embeddingIsKeyedByNodeWithTheDocumentedFields() throws Exception {
        float[] v = {0.1f, -3.25f, 1e-20f, Float.MAX_VALUE};
        EmbeddingRecord e = new EmbeddingRecord("node-7", 99L, v, "jodie-1");
        v[0] = 5f; // the record keeps its own copy
        ProducerRecord<byte[], byte[]> r = KeyedJsonSerializer.embeddings("embeddings").serialize(e, null, null);
        assertThat(utf8(r.key())).isEqualTo("node-7");
        assertThat(r.timestamp()).isNull();
        JsonNode json = MAPPER.readTree(r.value());
        assertThat(json.size()).isEqualTo(4);
        assertThat(json.get("node").asText()).isEqualTo("node-7");
        assertThat(json.get("ts").asLong()).isEqualTo(99L);
        assertThat(json.get("vector").size()).isEqualTo(4);
        assertThat(json.get("model_version").asText()).isEqualTo("jodie-1");
        EmbeddingRecord back = EmbeddingRecord.fromJson(r.value());
        assertThat(back).isEqualTo(e);
        assertThat(back.vector()).containsExactly(0.1f, -3.25f, 1e-20f, Float.MAX_VALUE);
    }

    @Test
    void aDeadLetterKeepsTheStartOfAHugeRecordAndItsLengthAndStaysUnderKafkasLimit() {
        byte[] huge = new byte[1_000_000];
        for (int i = 0; i < huge.length; i++) {
            huge[i] = (byte) (i * 31);
        }
        DeadLetter d = new DeadLetter(huge, "too_large", "too big", "edges", 0, 7);
        assertThat(d.rawLength()).isEqualTo(huge.length);
        assertThat(d.rawTruncated()).isTrue();
        assertThat(d.raw()).isEqualTo(java.util.Arrays.copyOf(huge, DeadLetter.MAX_RAW_BYTES));
        byte[] json = d.toJson();
        assertThat(json.length).as("dead letter size").isLessThan(1_048_576);
        DeadLetter back = DeadLetter.fromJson(json);
        assertThat(back).isEqualTo(d);
        assertThat(back.rawLength()).isEqualTo(huge.length);

        DeadLetter small = new DeadLetter(new byte[] {1, 2, 3}, "bad", "m", "edges", 0, 8);
        assertThat(small.rawTruncated()).isFalse();
        assertThat(DeadLetter.fromJson(small.toJson()).raw()).containsExactly(1, 2, 3);
    }
}
