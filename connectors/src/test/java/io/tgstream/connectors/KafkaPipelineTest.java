package io.tgstream.connectors;

import io.tgstream.connectors.broker.EmbeddedKafkaBroker;
import io.tgstream.connectors.broker.KafkaTopicReader;
import io.tgstream.connectors.json.EdgeEventJson;
import io.tgstream.connectors.json.EdgeEventParser;
import io.tgstream.connectors.json.ParseResult;
import io.tgstream.connectors.json.ParserSettings;
import io.tgstream.connectors.records.DeadLetter;
import io.tgstream.data.EdgeEvent;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka in, Flink MiniCluster with checkpoints, Kafka out (exactly-once): valid events pass unchanged, every invalid
 * record becomes a dead letter with its reason and offset, the counts are metered, and output becomes visible to
 * read_committed consumers only when a checkpoint completes.
 */
class KafkaPipelineTest {
    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .setConfiguration(REPORTER.addToConfiguration(new Configuration()))
            .build());

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start(Paths.get(System.getProperty("java.io.tmpdir"), "pipeline-test"));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    /** Bad records with the reason each must earn. */
    private static final Map<String, byte[]> BAD = new java.util.LinkedHashMap<>();

    static {
        BAD.put("empty_record", null);
        BAD.put("malformed_json", "not json at all".getBytes(StandardCharsets.UTF_8));
        BAD.put("not_an_object", "[1, 2, 3]".getBytes(StandardCharsets.UTF_8));
        BAD.put("missing_field:ts", json("{\"src\":\"a\",\"dst\":\"b\"}"));
        BAD.put("negative_ts", json("{\"src\":\"a\",\"dst\":\"b\",\"ts\":-5}"));
        BAD.put("bad_type:ts", json("{\"src\":\"a\",\"dst\":\"b\",\"ts\":\"yesterday\"}"));
        BAD.put("non_finite_feature", json("{\"src\":\"a\",\"dst\":\"b\",\"ts\":1,\"features\":[1.0,NaN]}"));
        BAD.put("bad_sign", json("{\"src\":\"a\",\"dst\":\"b\",\"ts\":1,\"sign\":0}"));
        BAD.put("duplicate_field", json("{\"src\":\"a\",\"dst\":\"b\",\"ts\":1,\"ts\":2}"));
        BAD.put("too_many_features", json("{\"src\":\"a\",\"dst\":\"b\",\"ts\":1,\"features\":["
                + "0,".repeat(ParserSettings.DEFAULT_MAX_FEATURES) + "0]}"));
        BAD.put("malformed_json/binary", new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, (byte) 0x80});
    }

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** One input record as produced: where it landed, and what must come out of it. */
    private record Sent(int partition, long offset, byte[] value, EdgeEvent event, String reason) {}

    /** Produces a seeded mix of valid events and bad records (about one in five) and returns what was sent where. */
    private static List<Sent> produceMix(String topic, int goodCount, long seed) throws Exception {
        Random rnd = new Random(seed);
        List<String> reasons = new ArrayList<>(BAD.keySet());
        List<Sent> sent = new ArrayList<>();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            long ts = 1_700_000_000_000L;
            int good = 0;
            int badIndex = 0;
            while (good < goodCount) {
                boolean bad = rnd.nextInt(5) == 0 || badIndex < reasons.size() && good > goodCount - reasons.size();
                byte[] value;
                EdgeEvent event = null;
                String reason = null;
                if (bad) {
                    reason = reasons.get(badIndex++ % reasons.size());
                    value = BAD.get(reason);
                    reason = reason.replace("/binary", "");
                } else {
                    ts += rnd.nextInt(1000);
                    float[] features = new float[4];
                    for (int i = 0; i < features.length; i++) {
                        features[i] = (float) rnd.nextGaussian();
                    }
                    event = new EdgeEvent("n" + rnd.nextInt(50), Integer.toString(rnd.nextInt(50)), ts, features,
                            rnd.nextInt(2), rnd.nextInt(10) == 0 ? -1 : 1);
                    value = EdgeEventJson.write(event);
                    good++;
                }
                RecordMetadata m = producer.send(new ProducerRecord<>(topic, rnd.nextInt(2), null, value)).get();
                sent.add(new Sent(m.partition(), m.offset(), value, event, reason));
            }
        }
        return sent;
    }

    private static StreamExecutionEnvironment environment() {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none"); // fail the test, never restart forever
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        return env;
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void validEventsPassUnchangedAndEveryBadRecordIsDeadLettered() throws Exception {
        broker.createTopic("mix-in", 2);
        broker.createTopic("mix-out", 2);
        broker.createTopic("mix-dead", 1);
        List<Sent> sent = produceMix("mix-in", 400, 42);

        StreamExecutionEnvironment env = environment();
        env.enableCheckpointing(300);
        ValidatedEdgeEvents parsed = ValidatedEdgeEvents.split(env.fromSource(
                EdgeEventSource.builder(broker.bootstrapServers(), "mix-in", ParserSettings.defaults())
                        .setBounded(OffsetsInitializer.latest()).build(),
                WatermarkStrategy.noWatermarks(), "edge events"));
        parsed.events().sinkTo(ExactlyOnceKafkaSink.create(broker.bootstrapServers(), "mix-events",
                KeyedJsonSerializer.edgeEvents("mix-out"))).name("events to Kafka").uid("events-sink");
        parsed.deadLetters().sinkTo(ExactlyOnceKafkaSink.create(broker.bootstrapServers(), "mix-dead",
                KeyedJsonSerializer.deadLetters("mix-dead"))).name("dead letters to Kafka").uid("dead-letter-sink");
        JobExecutionResult result = env.execute("mixed input");

        KafkaTopicReader reader = new KafkaTopicReader(broker.bootstrapServers());
        EdgeEventParser parser = EdgeEventParser.withDefaults();

        // valid events: the same multiset, each unchanged, keyed by source id
        List<EdgeEvent> expectedEvents = new ArrayList<>();
        sent.stream().filter(s -> s.event() != null).forEach(s -> expectedEvents.add(s.event()));
        List<EdgeEvent> outEvents = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : reader.readCommitted("mix-out")) {
            ParseResult pr = parser.parse(r.value());
            assertThat(pr.isValid()).as("output record parses").isTrue();
            EdgeEvent e = ((ParseResult.Valid) pr).event();
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(e.srcId());
            outEvents.add(e);
        }
        Comparator<EdgeEvent> order = Comparator.comparingLong(EdgeEvent::timestamp).thenComparing(EdgeEvent::toString);
        outEvents.sort(order);
        expectedEvents.sort(order);
        assertThat(outEvents).containsExactlyElementsOf(expectedEvents);

        // dead letters: exactly one per bad record, with its reason, raw bytes and source position
        Map<String, Sent> badByPosition = new HashMap<>();
        sent.stream().filter(s -> s.event() == null).forEach(s -> badByPosition.put("mix-in-" + s.partition() + "-" + s.offset(), s));
        List<ConsumerRecord<byte[], byte[]>> dead = reader.readCommitted("mix-dead");
        assertThat(dead).hasSize(badByPosition.size());
        Map<String, Integer> seen = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : dead) {
            DeadLetter d = DeadLetter.fromJson(r.value());
            String key = new String(r.key(), StandardCharsets.UTF_8);
            Sent s = badByPosition.get(key);
            assertThat(s).as("dead letter %s matches a bad input record", key).isNotNull();
            assertThat(key).isEqualTo(d.topic() + "-" + d.partition() + "-" + d.offset());
            assertThat(d.reason()).isEqualTo(s.reason());
            assertThat(d.raw()).isEqualTo(s.value());
            assertThat(d.message()).isNotBlank();
            seen.merge(key, 1, Integer::sum);
        }
        assertThat(seen).hasSize(badByPosition.size()).allSatisfy((k, n) -> assertThat(n).isEqualTo(1));
        assertThat(badByPosition.values()).extracting(Sent::reason).containsAll(
                BAD.keySet().stream().map(k -> k.replace("/binary", "")).toList());

        // metrics
        assertThat(counterSum(result.getJobID(), EdgeEventDeserializer.EVENTS_IN)).isEqualTo(expectedEvents.size());
        assertThat(counterSum(result.getJobID(), EdgeEventDeserializer.DEAD_LETTERED)).isEqualTo(badByPosition.size());
    }

    private static long counterSum(JobID job, String name) {
        long sum = 0;
        int found = 0;
        for (Map.Entry<MetricGroup, Map<String, Metric>> g : REPORTER.getMetricsByGroup().entrySet()) {
            if (job.toString().equals(g.getKey().getAllVariables().get("<job_id>"))
                    && g.getValue().get(name) instanceof Counter c) {
                sum += c.getCount();
                found++;
            }
        }
        assertThat(found).as("subtasks reporting metric %s", name).isEqualTo(2);
        return sum;
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void outputIsCommittedOnlyWhenACheckpointCompletes(@InjectMiniCluster MiniCluster miniCluster) throws Exception {
        broker.createTopic("ckpt-in", 2);
        broker.createTopic("ckpt-out", 2);
        broker.createTopic("ckpt-dead", 1);

        StreamExecutionEnvironment env = environment();
        // checkpointing on, but no periodic checkpoint within the test: the first comes only when triggered
        env.enableCheckpointing(Duration.ofHours(1).toMillis());
        env.getCheckpointConfig().setMinPauseBetweenCheckpoints(Duration.ofMinutes(50).toMillis());
        ValidatedEdgeEvents parsed = ValidatedEdgeEvents.split(env.fromSource(
                EdgeEventSource.builder(broker.bootstrapServers(), "ckpt-in", ParserSettings.defaults()).build(),
                WatermarkStrategy.noWatermarks(), "edge events"));
        parsed.events().sinkTo(ExactlyOnceKafkaSink.create(broker.bootstrapServers(), "ckpt-events",
                KeyedJsonSerializer.edgeEvents("ckpt-out")));
        parsed.deadLetters().sinkTo(ExactlyOnceKafkaSink.create(broker.bootstrapServers(), "ckpt-dead",
                KeyedJsonSerializer.deadLetters("ckpt-dead")));
        JobClient job = env.executeAsync("commit on checkpoint");
        try {
            List<Sent> sent = produceMix("ckpt-in", 100, 7);
            long good = sent.stream().filter(s -> s.event() != null).count();
            long bad = sent.size() - good;
            KafkaTopicReader reader = new KafkaTopicReader(broker.bootstrapServers());

            // the job has written everything, inside open transactions ...
            await(() -> reader.readUncommitted("ckpt-out").size() == good
                    && reader.readUncommitted("ckpt-dead").size() == bad);
            // ... which read_committed consumers do not see
            assertThat(reader.readCommitted("ckpt-out")).isEmpty();
            assertThat(reader.readCommitted("ckpt-dead")).isEmpty();

            miniCluster.triggerCheckpoint(job.getJobID()).get(60, TimeUnit.SECONDS);
            await(() -> reader.readCommitted("ckpt-out").size() == good
                    && reader.readCommitted("ckpt-dead").size() == bad);
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    private static void await(Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.get()) {
            assertThat(System.nanoTime()).as("condition reached within 60 s").isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
