package io.tgstream.connectors.broker;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

/**
 * A single Kafka broker (KRaft, broker and controller in one node) inside this JVM, for the demo command and tests.
 *
 * <p>Configured for exactly-once with one node: internal topics with replication 1 and min ISR 1, and
 * {@code transaction.max.timeout.ms} = {@value #TRANSACTION_MAX_TIMEOUT_MS}, the value of a stock broker, so that
 * what works here works against a default cluster. Data lives in a fresh directory under the folder given to
 * {@link #start(Path)}, deleted on {@link #close()}. Starts in about two seconds.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    /** The broker's {@code transaction.max.timeout.ms}: 15 minutes, Kafka's default. */
    public static final long TRANSACTION_MAX_TIMEOUT_MS = 900_000L;
    /** Partitions of the internal transaction-state and consumer-offsets topics (Kafka's 50 are slow to create). */
    static final int INTERNAL_TOPIC_PARTITIONS = 4;
    /** How long {@link #createTopics} waits for the broker to serve new topics. */
    static final Duration TOPIC_READY_TIMEOUT = Duration.ofSeconds(30);
    /** How long one readiness probe of {@link #createTopics} may wait for the broker before it is asked again. */
    private static final int POLL_TIMEOUT_MS = 2_000;

    private final KafkaClusterTestKit cluster;
    private final Path dataDir;

    private EmbeddedKafkaBroker(KafkaClusterTestKit cluster, Path dataDir) {
        this.cluster = cluster;
        this.dataDir = dataDir;
    }

    /** Starts a broker whose data directory is a new folder under {@code parentDir} (created if needed). */
    public static EmbeddedKafkaBroker start(Path parentDir) {
        return start(parentDir, Map.of());
    }

    /**
     * Starts a broker with extra broker settings ({@code overrides} win over this class's settings).
     *
     * @throws IllegalStateException if the broker cannot start (the message says why)
     */
    public static EmbeddedKafkaBroker start(Path parentDir, Map<String, String> overrides) {
        long t0 = System.nanoTime();
        Path dataDir;
        try {
            Files.createDirectories(parentDir);
            dataDir = Files.createTempDirectory(parentDir, "kafka-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the Kafka data directory under " + parentDir
                    + ": " + e.getMessage() + "; choose a writable folder", e);
        }
        KafkaClusterTestKit cluster = null;
        try {
            TestKitNodes nodes = new TestKitNodes.Builder(BootstrapMetadata.fromVersion(MetadataVersion.latestProduction(),
                    "tgstream"))
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setBaseDirectory(dataDir)
                    .build();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes).setDeleteOnClose(true);
            brokerConfig().forEach(builder::setConfigProp);
            overrides.forEach(builder::setConfigProp);
            cluster = builder.build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            if (cluster != null) {
                try {
                    cluster.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("the embedded Kafka broker did not start: " + e, e);
        }
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(cluster, dataDir);
        LOG.info("Embedded Kafka broker at {} started in {} ms, data in {}", broker.bootstrapServers(),
                (System.nanoTime() - t0) / 1_000_000, dataDir);
        return broker;
    }

    /**
     * The single-node settings this class gives the broker (replication 1, transactions up to 15 minutes, explicit
     * topics); the local cluster's broker process ({@code io.tgstream.cluster}) takes the same.
     */
    public static Map<String, String> brokerConfig() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("transaction.max.timeout.ms", Long.toString(TRANSACTION_MAX_TIMEOUT_MS));
        c.put("transaction.state.log.replication.factor", "1");
        c.put("transaction.state.log.min.isr", "1");
        c.put("transaction.state.log.num.partitions", Integer.toString(INTERNAL_TOPIC_PARTITIONS));
        c.put("offsets.topic.replication.factor", "1");
        c.put("offsets.topic.num.partitions", Integer.toString(INTERNAL_TOPIC_PARTITIONS));
        c.put("share.coordinator.state.topic.replication.factor", "1");
        c.put("share.coordinator.state.topic.min.isr", "1");
        c.put("default.replication.factor", "1");
        c.put("min.insync.replicas", "1");
        c.put("group.initial.rebalance.delay.ms", "0");
        // time retention checked every 10 s instead of 5 min: a record stamped with a bogus (1970) timestamp vanishes
        // within seconds in every test instead of at random in long runs
        c.put("log.retention.check.interval.ms", "10000");
        // topics are created explicitly, so that a typo in a topic name is an error rather than a new empty topic
        c.put("auto.create.topics.enable", "false");
        return c;
    }

    /** {@code host:port} for clients. */
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** The folder holding this broker's data (deleted on close). */
    public Path dataDir() {
        return dataDir;
    }

    /** Creates a topic with delete retention. */
    public void createTopic(String name, int partitions) {
        createTopics(List.of(new NewTopic(name, partitions, (short) 1)));
    }

    /** Creates a compacted topic (latest record per key kept), e.g. for embeddings keyed by node. */
    public void createCompactedTopic(String name, int partitions) {
        createTopics(List.of(new NewTopic(name, partitions, (short) 1)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))));
    }

    /**
     * Creates topics and waits until the broker serves them: every partition has a leader in the broker's metadata
     * and answers a request for its end offset. The controller acknowledges creation before the broker's metadata
     * catches up, and the metadata can name a leader before that leader's log accepts requests; without the second
     * check, the first produce requests can race the partition's creation.
     */
    public void createTopics(List<NewTopic> topics) {
        try (Admin admin = admin()) {
            admin.createTopics(topics).all().get();
            List<String> names = topics.stream().map(NewTopic::name).toList();
            long deadline = System.nanoTime() + TOPIC_READY_TIMEOUT.toNanos();
            while (!served(admin, names)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topics " + names + " were created but not served within "
                            + TOPIC_READY_TIMEOUT);
                }
                Thread.sleep(20);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create topics " + topics + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics " + topics, e);
        }
    }

    private static boolean served(Admin admin, List<String> names) throws InterruptedException {
        Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        try {
            Map<String, TopicDescription> d = admin.describeTopics(names).allTopicNames().get();
            for (TopicDescription t : d.values()) {
                for (TopicPartitionInfo p : t.partitions()) {
                    if (p.leader() == null) {
                        return false;
                    }
                    partitions.put(new TopicPartition(t.name(), p.partition()), OffsetSpec.latest());
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false;
            }
            throw new IllegalStateException("cannot describe topics " + names + ": " + e.getCause().getMessage(), e.getCause());
        }
        try {
            // answered by the partition's leader from its log, so it succeeds only once that log exists
            admin.listOffsets(partitions, new ListOffsetsOptions().timeoutMs(POLL_TIMEOUT_MS)).all().get();
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RetriableException) {
                return false;
            }
            throw new IllegalStateException("cannot list offsets of topics " + names + ": " + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    /** A new admin client for this broker; the caller closes it. */
    public Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Admin.create(p);
    }

    /** Stops the broker and deletes its data. */
    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warn("Embedded Kafka broker did not shut down cleanly: {}", e.toString());
        }
    }
}
