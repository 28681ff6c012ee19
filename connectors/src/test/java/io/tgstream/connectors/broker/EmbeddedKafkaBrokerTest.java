package io.tgstream.connectors.broker;

import io.tgstream.connectors.ExactlyOnceKafkaSink;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/** The in-process broker: round trip, compaction, transactions, and the sink's timeout against the broker's maximum. */
class EmbeddedKafkaBrokerTest {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBrokerTest.class);
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void start() {
        long t0 = System.nanoTime();
        broker = EmbeddedKafkaBroker.start(Paths.get(System.getProperty("java.io.tmpdir"), "broker-test"));
        LOG.info("broker start took {} ms", (System.nanoTime() - t0) / 1_000_000);
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            Path data = broker.dataDir();
            broker.close();
            assertThat(Files.exists(data)).as("data directory deleted on close").isFalse();
        }
    }

    private KafkaProducer<byte[], byte[]> producer(Properties extra) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.putAll(extra);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void dataLivesUnderTheGivenFolder() {
        assertThat(broker.dataDir()).startsWith(Paths.get(System.getProperty("java.io.tmpdir"), "broker-test"));
        assertThat(broker.bootstrapServers()).matches("localhost:\\d+");
    }

    @Test
    void producedRecordsAreConsumedInOrderPerPartition() throws Exception {
        broker.createTopic("round-trip", 3);
        int n = 20_000;
        // a failed send would otherwise show up only as a shorter topic (CI once read 169 records short of one
        // partition's 6,666); the callback keeps the producer's reason for the assertion message
        AtomicInteger failedSends = new AtomicInteger();
        AtomicReference<Exception> firstFailure = new AtomicReference<>();
        Callback onAck = (metadata, e) -> {
            if (e != null) {
                failedSends.incrementAndGet();
                firstFailure.compareAndSet(null, e);
            }
        };
        long t0 = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = producer(new Properties())) {
            for (int i = 0; i < n; i++) {
                producer.send(new ProducerRecord<>("round-trip", i % 3, utf8("k" + i), utf8("v" + i)), onAck);
            }
            producer.flush();
        }
        assertThat(firstFailure.get()).as("%d of %d sends failed; the first failure", failedSends.get(), n).isNull();
        long t1 = System.nanoTime();
        List<ConsumerRecord<byte[], byte[]>> read = new KafkaTopicReader(broker.bootstrapServers()).readCommitted("round-trip");
        long t2 = System.nanoTime();
        LOG.info("produced {} records in {} ms ({} /s), read them in {} ms ({} /s)", n, (t1 - t0) / 1_000_000,
                (long) (n / ((t1 - t0) / 1e9)), (t2 - t1) / 1_000_000, (long) (n / ((t2 - t1) / 1e9)));
        // counts per partition rather than hasSize(n), whose failure message prints a thousand records
        Map<Integer, Long> perPartition = new TreeMap<>();
        read.forEach(r -> perPartition.merge(r.partition(), 1L, Long::sum));
        assertThat(perPartition).as("records read per partition").containsExactly(
                entry(0, (long) (n + 2) / 3), entry(1, (long) (n + 1) / 3), entry(2, (long) n / 3));
        List<String> partition1 = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : read) {
            String v = new String(r.value(), StandardCharsets.UTF_8);
            int i = Integer.parseInt(v.substring(1));
            assertThat(r.partition()).isEqualTo(i % 3);
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("k" + i);
            if (r.partition() == 1) {
                partition1.add(v);
            }
        }
        List<String> expected = new ArrayList<>();
        for (int i = 1; i < n; i += 3) {
            expected.add("v" + i);
        }
        assertThat(partition1).containsExactlyElementsOf(expected);
    }

    @Test
    void compactedTopicsAreCreatedWithTheCompactPolicy() throws Exception {
        broker.createCompactedTopic("compacted", 2);
        broker.createTopic("plain", 1);
        try (Admin admin = broker.admin()) {
            Config compacted = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, "compacted")))
                    .all().get().values().iterator().next();
            Config plain = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, "plain")))
                    .all().get().values().iterator().next();
            assertThat(compacted.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("compact");
            assertThat(plain.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("delete");
            assertThat(admin.describeTopics(List.of("compacted")).allTopicNames().get().get("compacted").partitions())
                    .hasSize(2);
        }
    }

    @Test
    void topicsAreNotCreatedImplicitly() {
        assertThatThrownBy(() -> new KafkaTopicReader(broker.bootstrapServers()).readCommitted("no-such-topic"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not exist");
    }

    @Test
    void readCommittedHidesOpenAndAbortedTransactions() {
        broker.createTopic("tx", 1);
        Properties tx = new Properties();
        tx.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-test");
        KafkaTopicReader reader = new KafkaTopicReader(broker.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = producer(tx)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx", utf8("a"), utf8("aborted")));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx", utf8("c"), utf8("committed")));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tx", utf8("o"), utf8("open")));
            producer.flush();
            assertThat(reader.readCommitted("tx")).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                    .containsExactly("committed");
            assertThat(reader.readUncommitted("tx")).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                    .containsExactly("aborted", "committed", "open");
            producer.commitTransaction();
        }
        assertThat(reader.readCommitted("tx")).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactly("committed", "open");
    }

    /** STACK.md trap 1: a sink timeout above the broker's maximum makes every exactly-once producer fail to start. */
    @Test
    void sinkTransactionTimeoutIsAcceptedByTheBroker() throws Exception {
        long brokerMax;
        try (Admin admin = broker.admin()) {
            String brokerId = admin.describeCluster().nodes().get().iterator().next().idString();
            Config config = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.BROKER, brokerId)))
                    .all().get().values().iterator().next();
            brokerMax = Long.parseLong(config.get("transaction.max.timeout.ms").value());
        }
        assertThat(ExactlyOnceKafkaSink.TRANSACTION_TIMEOUT_MS).isLessThanOrEqualTo(brokerMax);

        // the producer the sink configures starts against this broker ...
        assertThat(initTransactions(ExactlyOnceKafkaSink.TRANSACTION_TIMEOUT_MS)).isNull();
        // ... and one just past the broker's maximum does not: the check above guards a real failure
        // (the client wraps InvalidTxnTimeoutException in a KafkaException that keeps its message)
        assertThat(initTransactions(brokerMax + 1)).hasMessageContaining("transaction.max.timeout.ms");
    }

    /** Null if a transactional producer with this timeout initialises, else the error. */
    private KafkaException initTransactions(long timeoutMs) {
        Properties tx = new Properties();
        tx.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "timeout-" + timeoutMs);
        tx.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Long.toString(timeoutMs));
        tx.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "60000");
        try (KafkaProducer<byte[], byte[]> producer = producer(tx)) {
            producer.initTransactions();
            return null;
        } catch (KafkaException e) {
            return e;
        }
    }
}
