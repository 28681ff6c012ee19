package io.tgstream.bench.e2e;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic from the start with read_committed until it has {@code expected} records or stays empty for the idle
 * timeout; counts them and keeps the first and last record timestamps (append times) without holding the records.
 */
final class TopicScan {
    /** How long an empty poll may last before the scan gives up. */
    static final Duration IDLE = Duration.ofSeconds(20);

    long count;
    long firstTimestamp = Long.MAX_VALUE;
    long lastTimestamp = Long.MIN_VALUE;

    static Properties consumerProperties(String servers, String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        return p;
    }

    static TopicScan scan(String servers, String topic, long expected, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        TopicScan s = new TopicScan();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProperties(servers, "scan-" + topic),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            long idleSince = System.nanoTime();
            while (s.count < expected && System.nanoTime() - idleSince < IDLE.toNanos()) {
                boolean any = false;
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    any = true;
                    s.count++;
                    s.firstTimestamp = Math.min(s.firstTimestamp, r.timestamp());
                    s.lastTimestamp = Math.max(s.lastTimestamp, r.timestamp());
                    if (each != null) each.accept(r);
                }
                if (any) idleSince = System.nanoTime();
            }
        }
        return s;
    }

    /** Records per second between the first and the last append time (0 when fewer than two records). */
    double appendRate() {
        return count < 2 || lastTimestamp <= firstTimestamp ? 0 : (count - 1) * 1000.0 / (lastTimestamp - firstTimestamp);
    }
}
