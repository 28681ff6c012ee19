package io.tgstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.tgstream.connectors.broker.EmbeddedKafkaBroker;
import io.tgstream.connectors.broker.KafkaTopicReader;
import io.tgstream.connectors.json.EdgeEventJson;
import io.tgstream.connectors.json.EdgeEventParser;
import io.tgstream.connectors.json.HostileEdgeRecords;
import io.tgstream.connectors.json.HostileEdgeRecords.Hostile;
import io.tgstream.connectors.json.ParseResult;
import io.tgstream.connectors.records.DeadLetter;
import io.tgstream.connectors.records.ScoreRecord;
import io.tgstream.connectors.requests.HostileRequests;
import io.tgstream.connectors.requests.ScoringRequestParser;
import io.tgstream.data.EdgeEvent;
import io.tgstream.data.EdgeStream;
import io.tgstream.jobs.JobConfig;
import io.tgstream.jobs.StreamJob;
import io.tgstream.model.EmbeddingKind;
import io.tgstream.model.MemoryModel;
import io.tgstream.model.MemoryReplay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.sessions.JqwikSession;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hostile input through the whole job (in-process Kafka, MiniCluster, RocksDB, event-time batches): a seeded good edge
 * stream is interleaved with generated garbage ({@link HostileEdgeRecords}: bytes, bad UTF-8, truncated and deeply
 * nested JSON, huge ids and arrays, wrong types, NaN/Inf, missing and duplicate fields, empty records), with late
 * events (re-sent duplicates of earlier edges and out-of-order new edges, both behind the open batch), and with
 * garbage on the request topic ({@link HostileRequests}). Then:
 * <ol>
 *   <li>every bad record is on the dead-letter topic exactly once, with the reason the parser gives it offline (late
 *       ones with {@code late}), its raw bytes and its source offset, and nothing else is;</li>
 *   <li>every good edge is scored exactly once (read_committed), in its batch, with the score of the offline replay of
 *       the good stream alone: the garbage and the late events touched no state;</li>
 *   <li>the job finishes without a failure: it runs with restarts switched off, so one failure would fail it.</li>
 * </ol>
 * The default size runs in well under a minute; the {@code heavy} size sends more than 10,000 bad records. Two
 * disabled tests reproduce open bugs of the job (a wrong feature count is accepted; the dead letter of a large record
 * is too large for Kafka); they say what to fix.
 */
class HostileInputTest {
    private static final Logger LOG = LoggerFactory.getLogger(HostileInputTest.class);
    /** Largest generated bad record: the huge kinds stay well inside Kafka's 1 MB message limit. */
    static final int MAX_GARBAGE_BYTES = 64 << 10;
    /** Timestamp units per event-time batch: ~40 synthetic events (their mean gap is ~17). */
    static final long BATCH_WIDTH = 700;
    static final int NODES = 80;
    /** Good edges around a single hostile record. */
    static final int SINGLE_RECORD_EDGES = 300;

    @TempDir
    Path dir;

    /** How much of everything one run sends. */
    record Size(int goodEdges, int badEdges, int lateEdges, int badRequests, long seed) {}

    @Test
    void garbageIsDeadLetteredAndGoodEdgesScoreAsWithoutIt() throws Exception {
        run(new Size(1_500, 700, 40, 150, 5));
    }

    @Test
    @Tag("heavy")
    void tenThousandBadRecordsChangeNoGoodScore() throws Exception {
        run(new Size(4_000, 10_000, 400, 2_000, 6));
    }

    /**
     * A record the parser would accept but the model cannot take: an edge with 3 features for a model trained on 2.
     * The job parses with the model's feature count, so it is a dead letter and never reaches the node operator.
     */
    @Test
    void anEdgeWithTheWrongFeatureCountIsADeadLetter() throws Exception {
        EdgeStream stream = ParityFixture.syntheticStream(SINGLE_RECORD_EDGES, 20, 3);
        int middle = SINGLE_RECORD_EDGES / 2;
        EdgeEvent wrong = new EdgeEvent(stream.nodeId(stream.src(middle)), stream.nodeId(stream.dst(middle)),
                stream.timestamp(middle), new float[] {1f, 2f, 3f}, 0, 1); // in the open batch: not late
        assertSingleRecordIsDeadLettered(stream, EdgeEventJson.write(wrong), "wrong_feature_count");
    }

    /**
     * A bad record of 800 KB: within Kafka's default message size, but a dead letter with all of it in base64 (4/3 the
     * size) would not be, and the dead-letter sink would fail the job. The dead letter keeps the record's start.
     */
    @Test
    void aBadRecordNearKafkasSizeLimitIsADeadLetter() throws Exception {
        byte[] big = ("{\"src\":\"a\",\"dst\":\"b\",\"ts\":1,\"features\":[" + "1,".repeat(400_000) + "1]}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertSingleRecordIsDeadLettered(ParityFixture.syntheticStream(SINGLE_RECORD_EDGES, 20, 3), big,
                "too_many_features");
    }

    /** Sends {@code stream} with {@code record} before its middle edge; the record must be the one dead letter. */
    private void assertSingleRecordIsDeadLettered(EdgeStream stream, byte[] record, String reason) throws Exception {
        Path modelFile = dir.resolve("model.tgm");
        ParityFixture.trainAndSave(stream, EmbeddingKind.RECENT_PARTNERS, false, modelFile);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"))) {
            String servers = broker.bootstrapServers();
            for (String t : List.of("edges", "requests", "scores", "responses", "dead")) {
                broker.createTopic(t, 1);
            }
            List<Outgoing> records = new ArrayList<>();
            for (int e = 0; e < stream.size(); e++) {
                if (e == SINGLE_RECORD_EDGES / 2) {
                    records.add(Outgoing.bad(new Hostile("single", record, java.util.Set.of(reason))));
                }
                records.add(Outgoing.good(stream.event(e)));
            }
            send(servers, "edges", records);
            JobConfig config = config(servers, modelFile);
            Configuration flink = StreamJob.flinkConfiguration(config);
            flink.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            JobClient job = StreamJob.start(StreamExecutionEnvironment.createLocalEnvironment(flink), config);
            job.getJobExecutionResult().get(5, TimeUnit.MINUTES);
            assertThat(ParityFixture.committedScores(servers, "scores").size()).as("good edges scored")
                    .isEqualTo(stream.size());
            List<DeadLetter> dead = new KafkaTopicReader(servers).readCommitted("dead").stream()
                    .map(r -> DeadLetter.fromJson(r.value())).toList();
            assertThat(dead).extracting(DeadLetter::reason).containsExactly(reason);
        }
    }

    private void run(Size size) throws Exception {
        EdgeStream stream = ParityFixture.syntheticStream(size.goodEdges(), NODES, size.seed());
        Path modelFile = dir.resolve("model.tgm");
        MemoryModel model = ParityFixture.trainAndSave(stream, EmbeddingKind.RECENT_PARTNERS, true, modelFile);
        float[] expected = eventTimeReference(model, stream, BATCH_WIDTH);
        Plan plan;
        JqwikSession.start(); // the generators need jqwik's context outside a property; the Random below seeds them
        try {
            plan = plan(stream, size);
        } finally {
            JqwikSession.finish();
        }

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"))) {
            String servers = broker.bootstrapServers();
            for (String t : List.of("edges", "requests", "scores", "responses", "dead")) {
                broker.createTopic(t, 1);
            }
            Map<Long, Hostile> badEdges = send(servers, "edges", plan.edges);
            Map<Long, Hostile> badRequests = send(servers, "requests", plan.requests);

            JobConfig config = config(servers, modelFile);
            Configuration flink = StreamJob.flinkConfiguration(config);
            flink.set(RestartStrategyOptions.RESTART_STRATEGY, "none"); // a single failure fails the run
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(flink);
            long t0 = System.nanoTime();
            JobClient job = StreamJob.start(env, config);
            // (3) with restarts off, the result only arrives if the job finished without a single failure
            JobExecutionResult result = job.getJobExecutionResult().get(10, TimeUnit.MINUTES);
            assertThat(result.getJobID()).isEqualTo(job.getJobID());
            double seconds = (System.nanoTime() - t0) / 1e9;

            // (2) every good edge exactly once, in its batch, with the score of the replay without garbage
            Map<Long, ScoreRecord> scores = ParityFixture.committedScores(servers, "scores");
            assertThat(scores.size()).as("good edges scored").isEqualTo(stream.size());
            float maxDiff = 0;
            for (int e = 0; e < stream.size(); e++) {
                ScoreRecord s = scores.get((long) e);
                assertThat(s).as("score of good edge %d", e).isNotNull();
                assertThat(s.src()).isEqualTo(stream.nodeId(stream.src(e)));
                assertThat(s.dst()).isEqualTo(stream.nodeId(stream.dst(e)));
                assertThat(s.ts()).isEqualTo(stream.timestamp(e));
                assertThat(s.batch()).isEqualTo(Math.floorDiv(stream.timestamp(e), BATCH_WIDTH));
                maxDiff = Math.max(maxDiff, Math.abs(s.score() - expected[e]));
            }
            assertThat(maxDiff).as("max |stream - offline replay without garbage|")
                    .isLessThanOrEqualTo(StreamParityTest.TOLERANCE);
            assertThat(new KafkaTopicReader(servers).readCommitted("responses")).as("no request was valid").isEmpty();

            // (1) every bad record is a dead letter, once, with its reason; nothing else is
            List<DeadLetter> dead = new KafkaTopicReader(servers).readCommitted("dead").stream()
                    .map(r -> DeadLetter.fromJson(r.value())).toList();
            Map<String, Long> byReason = dead.stream()
                    .collect(Collectors.groupingBy(DeadLetter::reason, TreeMap::new, Collectors.counting()));
            assertDeadLettered(dead, "edges", badEdges, EdgeEventParser.withDefaults()::parse);
            ScoringRequestParser requestParser = new ScoringRequestParser();
            assertDeadLettered(dead, "requests", badRequests, v -> requestParser.parse(v).isLeft()
                    ? new ParseResult.Valid(EdgeEvent.of("accepted", "request", 0))
                    : new ParseResult.Invalid(requestParser.parse(v).right()));
            List<String> lateSeen = dead.stream().filter(d -> d.reason().equals("late"))
                    .map(d -> describe(((ParseResult.Valid) EdgeEventParser.withDefaults().parse(d.raw())).event()))
                    .sorted().toList();
            assertThat(lateSeen).as("late events, dead-lettered once each")
                    .containsExactlyElementsOf(plan.late.stream().map(HostileInputTest::describe).sorted().toList());
            assertThat(dead.stream().map(d -> new String(d.key(), java.nio.charset.StandardCharsets.UTF_8)))
                    .as("dead-letter keys (the topic is compacted)").doesNotHaveDuplicates();
            assertThat(dead).as("dead letters: the bad edges, the late edges, the bad requests, nothing else")
                    .hasSize(badEdges.size() + plan.late.size() + badRequests.size());

            LOG.info("hostile input: {} good edges (+{} late) and {} bad edge records, {} bad requests generated;"
                            + " {} dead letters by reason {}; {} good scores compared, max |diff| {}; job FINISHED"
                            + " with restarts off in {} s",
                    stream.size(), plan.late.size(), badEdges.size(), badRequests.size(), dead.size(), byReason,
                    scores.size(), maxDiff, String.format("%.1f", seconds));
        }
    }

    /** One record to send: its value, and what is wrong with it (null for a good edge or a late one). */
    private record Outgoing(byte[] value, Hostile bad) {
        static Outgoing good(EdgeEvent e) {
            return new Outgoing(EdgeEventJson.write(e), null);
        }

        static Outgoing bad(Hostile h) {
            return new Outgoing(h.value(), h);
        }
    }

    /** What one run sends: each topic's records in order, and the late edges among them. */
    private static final class Plan {
        final List<Outgoing> edges = new ArrayList<>();
        final List<Outgoing> requests = new ArrayList<>();
        final List<EdgeEvent> late = new ArrayList<>();
    }

    /** Good edges in order, with garbage and late edges between them at seeded random places. */
    private static Plan plan(EdgeStream stream, Size size) {
        SplittableRandom r = new SplittableRandom(size.seed());
        Random garbageRandom = new Random(size.seed());
        RandomGenerator<Hostile> edgeGarbage = HostileEdgeRecords.any(MAX_GARBAGE_BYTES).generator(1000);
        RandomGenerator<Hostile> requestGarbage = HostileRequests.any(MAX_GARBAGE_BYTES).generator(1000);
        Plan plan = new Plan();
        double badPerGood = (double) size.badEdges() / stream.size();
        double latePerGood = (double) size.lateEdges() / stream.size();
        int firstOfBatch = 0; // the first event of the batch of event e
        int bad = 0;
        for (int e = 0; e < stream.size(); e++) {
            if (batch(stream, e) != batch(stream, firstOfBatch)) {
                firstOfBatch = e;
            }
            // garbage before the edge: a Poisson-like count with the planned mean, all of it before the last edge
            int n = e == stream.size() - 1 ? size.badEdges() - bad
                    : Math.min(size.badEdges() - bad, (int) (badPerGood * 2 * r.nextDouble() + r.nextDouble()));
            for (int i = 0; i < n; i++, bad++) {
                Hostile h = r.nextInt(50) == 0 ? new Hostile("tombstone", null, java.util.Set.of("empty_record"))
                        : edgeGarbage.next(garbageRandom).value();
                plan.edges.add(Outgoing.bad(h));
            }
            plan.edges.add(Outgoing.good(stream.event(e)));
            // a late edge after it: its batch is behind the open one (that of edge e), so it must not be applied
            if (firstOfBatch > 0 && plan.late.size() < size.lateEdges() && r.nextDouble() < latePerGood * 1.5) {
                int earlier = r.nextInt(firstOfBatch);
                EdgeEvent late = r.nextBoolean() ? stream.event(earlier) // a duplicate, re-sent too late
                        : new EdgeEvent(stream.nodeId(stream.src(e)), stream.nodeId(stream.dst(earlier)),
                        stream.timestamp(earlier), new float[] {0.5f, -1f}, 0, 1); // a new edge out of order
                plan.late.add(late);
                plan.edges.add(Outgoing.good(late));
            }
        }
        for (int i = 0; i < size.badRequests(); i++) {
            Hostile h = requestGarbage.next(garbageRandom).value();
            plan.requests.add(Outgoing.bad(h));
        }
        return plan;
    }

    private static long batch(EdgeStream stream, int e) {
        return Math.floorDiv(stream.timestamp(e), BATCH_WIDTH);
    }

    /** Sends the records in order to one partition; returns the bad ones by offset. */
    private static Map<Long, Hostile> send(String servers, String topic, List<Outgoing> records) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"); // keeps the order under retries
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Outgoing rec : records) {
                sent.add(producer.send(new ProducerRecord<>(topic, 0, null, rec.value())));
            }
        }
        Map<Long, Hostile> bad = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            long offset = sent.get(i).get().offset();
            if (records.get(i).bad() != null) {
                bad.put(offset, records.get(i).bad());
            }
        }
        return bad;
    }

    /**
     * Each bad record of {@code topic} has exactly one dead letter: at its offset, with its raw bytes, and with the
     * reason the parser gives it offline (which its generator admits).
     */
    private static void assertDeadLettered(List<DeadLetter> dead, String topic, Map<Long, Hostile> bad,
                                           java.util.function.Function<byte[], ParseResult> parser) {
        Map<Long, DeadLetter> byOffset = new HashMap<>();
        for (DeadLetter d : dead) {
            if (d.topic().equals(topic) && d.partition() == 0) {
                assertThat(byOffset.put(d.offset(), d)).as("dead letters of %s offset %d", topic, d.offset()).isNull();
            }
        }
        assertThat(byOffset.keySet()).as("offsets of the dead letters of %s", topic)
                .containsExactlyInAnyOrderElementsOf(bad.keySet());
        for (Map.Entry<Long, Hostile> b : bad.entrySet()) {
            Hostile h = b.getValue();
            DeadLetter d = byOffset.get(b.getKey());
            ParseResult offline = parser.apply(h.value());
            assertThat(offline).as("%s is refused offline", h).isInstanceOf(ParseResult.Invalid.class);
            String code = ((ParseResult.Invalid) offline).rejection().code();
            assertThat(h.admits(code)).as("%s refused as %s", h, code).isTrue();
            assertThat(d.reason()).as("reason of %s", h).isEqualTo(code);
            assertThat(d.raw()).as("raw bytes of %s", h).isEqualTo(h.value() == null ? null
                    : java.util.Arrays.copyOf(h.value(), Math.min(h.value().length, DeadLetter.MAX_RAW_BYTES)));
            assertThat(d.rawLength()).as("raw length of %s", h).isEqualTo(h.value() == null ? 0 : h.value().length);
        }
    }

    /** The offline reference: per event-time batch of width Delta, score every edge from the pre-batch state, apply. */
    static float[] eventTimeReference(MemoryModel model, EdgeStream stream, long width) {
        MemoryReplay replay = new MemoryReplay(model, stream);
        float[] scores = new float[stream.size()];
        int start = 0;
        while (start < stream.size()) {
            int end = start;
            while (end < stream.size() && batch(stream, end) == batch(stream, start)) {
                end++;
            }
            ParityFixture.scoreThenApply(replay, stream, start, end, scores, start);
            start = end;
        }
        return scores;
    }

    private JobConfig config(String servers, Path modelFile) throws Exception {
        Path yaml = dir.resolve("job.yaml");
        Files.writeString(yaml, String.join("\n",
                "bootstrap-servers: " + servers,
                "input-topic: edges",
                "scores-topic: scores",
                "dead-letter-topic: dead",
                "requests-topic: requests",
                "responses-topic: responses",
                "model: " + modelFile,
                "batch-mode: event-time",
                "batch-width: " + BATCH_WIDTH,
                "parallelism: 2",
                "checkpoint-interval-ms: 300",
                "bounded: true",
                "transactional-id-prefix: hostile-" + System.nanoTime(),
                ""));
        return JobConfig.load(yaml);
    }

    private static String describe(EdgeEvent e) {
        return e.srcId() + ">" + e.dstId() + "@" + e.timestamp();
    }
}
