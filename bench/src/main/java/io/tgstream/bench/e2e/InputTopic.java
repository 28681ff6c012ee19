package io.tgstream.bench.e2e;

import io.tgstream.connectors.broker.EmbeddedKafkaBroker;
import io.tgstream.connectors.json.EdgeEventJson;
import io.tgstream.data.EdgeStream;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A stream's events encoded once as the job's input records (key = source id, value = edge-event JSON), and the
 * producer that writes them to a one-partition topic stamped with the broker's append time, with the producer
 * settings of {@link io.tgstream.connectors.EdgeEventPublisher}, at full speed or at a fixed rate. The append time of
 * every offset is kept (the start of each event's latency).
 */
final class InputTopic {
    static final int BATCH_BYTES = 256 * 1024;
    static final int LINGER_MS = 20;

    final byte[][] keys;
    final byte[][] values;

    InputTopic(EdgeStream stream, int n) {
        keys = new byte[n][];
        values = new byte[n][];
        for (int e = 0; e < n; e++) {
            keys[e] = EdgeEventJson.key(stream.event(e));
            values[e] = EdgeEventJson.write(stream.event(e));
        }
    }

    int size() {
        return keys.length;
    }

    long bytes() {
        long b = 0;
        for (int i = 0; i < keys.length; i++) b += keys[i].length + values[i].length;
        return b;
    }

    /** Creates topics of one partition whose record timestamps are the broker's append time. */
    static void create(EmbeddedKafkaBroker broker, String... names) {
        broker.createTopics(java.util.Arrays.stream(names).map(n -> new NewTopic(n, 1, (short) 1).configs(
                Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime"))).toList());
    }

    static Properties producerProperties(String servers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(BATCH_BYTES));
        p.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(LINGER_MS));
        return p;
    }

    /**
     * Writes records [0, count) (count may exceed {@link #size()}: records repeat) to {@code topic}, at
     * {@code ratePerSecond} (0 = as fast as possible), storing each offset's append time into {@code appendTimes}
     * (when not null); returns the seconds from the first send to the last acknowledgement.
     */
    double produce(String servers, String topic, int count, double ratePerSecond, long[] appendTimes) {
        AtomicReference<Exception> failure = new AtomicReference<>();
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(servers),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                if (ratePerSecond > 0) {
                    long due = start + (long) (i * 1e9 / ratePerSecond);
                    long wait;
                    while ((wait = due - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                }
                int r = i % keys.length;
                producer.send(new ProducerRecord<>(topic, keys[r], values[r]), (meta, ex) -> {
                    if (ex != null) {
                        failure.compareAndSet(null, ex);
                    } else if (appendTimes != null && meta.offset() < appendTimes.length) {
                        appendTimes[(int) meta.offset()] = meta.timestamp();
                    }
                });
                if (failure.get() != null) break;
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("producing to " + topic + " failed: " + failure.get(), failure.get());
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** The topics this class creates for one run, by role. */
    static List<String> names(String prefix, String... roles) {
        return java.util.Arrays.stream(roles).map(r -> prefix + "-" + r).toList();
    }
}
