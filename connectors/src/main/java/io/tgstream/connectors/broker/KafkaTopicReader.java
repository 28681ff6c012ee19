package io.tgstream.connectors.broker;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Reads a whole topic, from the beginning to the end as of the call, without a consumer group (for tests and tools).
 *
 * <p>Under {@code read_committed} (the default) "the end" is the last stable offset: records of open or aborted
 * transactions are not returned. Records come partition by partition, in offset order within a partition.
 */
public final class KafkaTopicReader {
    /** How long a read may take before it gives up. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(100);

    private final String bootstrapServers;

    public KafkaTopicReader(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** All committed records of {@code topic}. */
    public List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic) {
        return read(topic, IsolationLevel.READ_COMMITTED, DEFAULT_TIMEOUT);
    }

    /** All records of {@code topic} including those of open transactions (to observe what is not yet committed). */
    public List<ConsumerRecord<byte[], byte[]>> readUncommitted(String topic) {
        return read(topic, IsolationLevel.READ_UNCOMMITTED, DEFAULT_TIMEOUT);
    }

    /**
     * Reads {@code topic} to its current end under the given isolation level.
     *
     * @throws IllegalArgumentException if the topic does not exist
     * @throws IllegalStateException    if the end is not reached within {@code timeout}
     */
    public List<ConsumerRecord<byte[], byte[]>> read(String topic, IsolationLevel isolation, Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString().toLowerCase(Locale.ROOT));
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalArgumentException("topic '" + topic + "' does not exist at " + bootstrapServers);
            }
            List<TopicPartition> partitions = new ArrayList<>();
            infos.forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reachedEnd(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read topic '" + topic + "' to its end " + end
                            + " within " + timeout);
                }
                consumer.poll(POLL).forEach(r -> {
                    if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                        records.add(r);
                    }
                });
            }
            records.sort((a, b) -> a.partition() != b.partition() ? Integer.compare(a.partition(), b.partition())
                    : Long.compare(a.offset(), b.offset()));
            return records;
        }
    }

    private static boolean reachedEnd(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
