package io.tgstream.connectors;

import io.tgstream.connectors.json.EdgeEventJson;
import io.tgstream.connectors.records.DeadLetter;
import io.tgstream.connectors.records.EmbeddingRecord;
import io.tgstream.connectors.records.ScoreRecord;
import io.tgstream.connectors.records.ScoringResponse;
import io.tgstream.data.EdgeEvent;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.Objects;

/**
 * Writes records of one type to one Kafka topic as (key, JSON value); factories for each record type of the project.
 */
public final class KeyedJsonSerializer<T> implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private final SerializableFunction<T, byte[]> key;
    private final SerializableFunction<T, byte[]> value;

    public KeyedJsonSerializer(String topic, SerializableFunction<T, byte[]> key, SerializableFunction<T, byte[]> value) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.key = Objects.requireNonNull(key, "key");
        this.value = Objects.requireNonNull(value, "value");
    }

    /** Dead letters, keyed by source topic-partition-offset. */
    public static KeyedJsonSerializer<DeadLetter> deadLetters(String topic) {
        return new KeyedJsonSerializer<>(topic, DeadLetter::key, DeadLetter::toJson);
    }

    /** Scores, keyed by event id. */
    public static KeyedJsonSerializer<ScoreRecord> scores(String topic) {
        return new KeyedJsonSerializer<>(topic, ScoreRecord::key, ScoreRecord::toJson);
    }

    /** Scoring responses, keyed by request id. */
    public static KeyedJsonSerializer<ScoringResponse> responses(String topic) {
        return new KeyedJsonSerializer<>(topic, ScoringResponse::key, ScoringResponse::toJson);
    }

    /** Embeddings, keyed by node id (compact the topic to keep each node's latest). */
    public static KeyedJsonSerializer<EmbeddingRecord> embeddings(String topic) {
        return new KeyedJsonSerializer<>(topic, EmbeddingRecord::key, EmbeddingRecord::toJson);
    }

    /** Edge events in the input schema, keyed by source id. */
    public static KeyedJsonSerializer<EdgeEvent> edgeEvents(String topic) {
        return new KeyedJsonSerializer<>(topic, EdgeEventJson::key, EdgeEventJson::write);
    }

    public String topic() {
        return topic;
    }

    /**
     * The record, without a timestamp of ours: the producer stamps it with the time of sending. The job's element
     * timestamps are batch indices, not times; written as Kafka timestamps they date every record to 1970, and the
     * broker's time retention then deletes whole logs, committed outputs included, at its next check.
     */
    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic, null, null, key.apply(element), value.apply(element));
    }
}
