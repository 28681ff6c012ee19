package io.tgstream.connectors;

import io.tgstream.connectors.json.ParserSettings;
import io.tgstream.connectors.records.DeadLetter;
import io.tgstream.data.EdgeEvent;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.types.Either;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The Kafka source of edge events: a {@link KafkaSource} builder preset with {@link EdgeEventDeserializer}, reading
 * only committed records (so that an exactly-once upstream producer's aborted data never enters the job).
 *
 * <p>Use: {@code ValidatedEdgeEvents.split(env.fromSource(EdgeEventSource.builder(servers, topic, settings).build(),
 * WatermarkStrategy.noWatermarks(), "edge events"))}; set offsets, bounds and group on the returned builder.
 */
public final class EdgeEventSource {
    /** Consumer group unless the caller sets one (offsets are kept in Flink's checkpoints, the group is for monitoring). */
    public static final String DEFAULT_GROUP_ID = "tgstream";

    private EdgeEventSource() {}

    /** A source builder for {@code topic}, from the earliest offset, unbounded, group {@value #DEFAULT_GROUP_ID}. */
    public static KafkaSourceBuilder<Either<EdgeEvent, DeadLetter>> builder(String bootstrapServers, String topic,
                                                                             ParserSettings settings) {
        return KafkaSource.<Either<EdgeEvent, DeadLetter>>builder()
                .setBootstrapServers(bootstrapServers)
                .setTopics(topic)
                .setGroupId(DEFAULT_GROUP_ID)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new EdgeEventDeserializer(settings))
                .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    }
}
