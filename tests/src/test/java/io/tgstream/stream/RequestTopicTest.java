package io.tgstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.tgstream.connectors.EdgeEventPublisher;
import io.tgstream.connectors.broker.EmbeddedKafkaBroker;
import io.tgstream.connectors.broker.KafkaTopicReader;
import io.tgstream.connectors.records.DeadLetter;
import io.tgstream.connectors.records.ScoringResponse;
import io.tgstream.data.EdgeStream;
import io.tgstream.jobs.JobConfig;
import io.tgstream.jobs.StreamJob;
import io.tgstream.model.EmbeddingKind;
import io.tgstream.model.MemoryModel;
import io.tgstream.model.MemoryReplay;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On-demand scoring through the request topic, on real parts (in-process Kafka, MiniCluster, RocksDB): a candidates
 * request and a top-K request sent mid-stream are answered on the responses topic with the offline model's scores for
 * the state before the batch the answer names; the top K are the best of the recent destinations; a malformed request
 * is a dead letter; and the edges' own scores are unaffected.
 */
class RequestTopicTest {
    static final int EVENTS = 600;
    static final int NODES = 25;
    static final int BATCH = 50;

    @TempDir
    Path dir;

    @Test
    void candidateAndTopKRequestsAreAnsweredFromTheStateWithoutChangingIt() throws Exception {
        EdgeStream stream = ParityFixture.syntheticStream(EVENTS, NODES, 31);
        Path modelFile = dir.resolve("model.tgm");
        MemoryModel model = ParityFixture.trainAndSave(stream, EmbeddingKind.RECENT_PARTNERS, true, modelFile);
        float[] edgeExpected = ParityFixture.referenceScores(model, stream, BATCH);
        String src = stream.nodeId(stream.src(EVENTS / 2));
        long at = stream.timestamp(EVENTS / 2);
        List<String> candidates = List.of(stream.nodeId(stream.dst(3)), stream.nodeId(stream.dst(EVENTS / 2)),
                stream.nodeId(stream.src(1)));

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"))) {
            String servers = broker.bootstrapServers();
            for (String t : List.of("edges", "scores", "requests", "responses", "dead")) {
                broker.createTopic(t, 1);
            }
            JobConfig c = JobConfig.of(servers, "edges", "scores", modelFile.toString()).withBatchSize(BATCH)
                    .withParallelism(2).withTopics(null, "dead").withRequests("requests", "responses")
                    .withCheckpoints(300, null);
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.createLocalEnvironment(StreamJob.flinkConfiguration(c));
            JobClient job = StreamJob.start(env, c);
            try {
                ParityFixture.publish(servers, "edges", stream, 0, EVENTS / 2);
                // the last batch of the first half stays open until the second half's first edge arrives
                assertThat(ParityFixture.awaitScores(servers, "scores", EVENTS / 2 - BATCH, Duration.ofMinutes(3)))
                        .hasSize(EVENTS / 2 - BATCH);
                try (KafkaProducer<byte[], byte[]> p = producer(servers)) {
                    send(p, "{\"request_id\": \"named\", \"src\": \"" + src + "\", \"ts\": " + at
                            + ", \"candidates\": [\"" + String.join("\", \"", candidates) + "\"]}");
                    send(p, "{\"request_id\": \"best\", \"src\": \"" + src + "\", \"ts\": " + at + ", \"top_k\": 3}");
                    send(p, "{\"request_id\": \"broken\", \"src\": ");
                }
                try (EdgeEventPublisher publisher = new EdgeEventPublisher(servers, "edges")) {
                    for (int e = EVENTS / 2; e < EVENTS; e++) {
                        publisher.send(e == EVENTS - 1 ? stream.event(e).endingBatch() : stream.event(e));
                    }
                }
                Map<String, ScoringResponse> responses = awaitResponses(servers, 2, Duration.ofMinutes(3));
                assertThat(responses.keySet()).containsExactlyInAnyOrder("named", "best");
                assertThat(ParityFixture.awaitScores(servers, "scores", EVENTS, Duration.ofMinutes(3)))
                        .hasSize(EVENTS)
                        .allSatisfy((seq, s) -> assertThat(Math.abs(s.score() - edgeExpected[(int) (long) seq]))
                                .as("edge %d", seq).isLessThanOrEqualTo(StreamParityTest.TOLERANCE));

                ScoringResponse named = responses.get("named");
                MemoryReplay before = stateBefore(model, stream, named.batch());
                assertThat(named.scores()).extracting(ScoringResponse.Scored::dst).containsExactlyElementsOf(candidates);
                for (ScoringResponse.Scored s : named.scores()) {
                    assertThat(Math.abs(s.score() - offline(before, stream, src, s.dst(), at))).as(s.dst())
                            .isLessThanOrEqualTo(StreamParityTest.TOLERANCE);
                }

                ScoringResponse best = responses.get("best");
                assertThat(best.topK()).isEqualTo(3);
                assertThat(best.scores()).hasSize(3);
                before = stateBefore(model, stream, best.batch());
                for (ScoringResponse.Scored s : best.scores()) {
                    assertThat(Math.abs(s.score() - offline(before, stream, src, s.dst(), at))).as(s.dst())
                            .isLessThanOrEqualTo(StreamParityTest.TOLERANCE);
                }
                for (int i = 1; i < 3; i++) {
                    assertThat(best.scores().get(i).score()).isLessThanOrEqualTo(best.scores().get(i - 1).score());
                }
                // every destination seen before the answer's batch was a candidate: none left out may beat the third
                Set<String> seen = new LinkedHashSet<>();
                for (int e = 0; e < best.batch() * BATCH; e++) {
                    seen.add(stream.nodeId(stream.dst(e)));
                }
                seen.remove(src);
                assertThat(best.considered()).isGreaterThanOrEqualTo(seen.size());
                float third = best.scores().get(2).score();
                best.scores().forEach(x -> seen.remove(x.dst()));
                for (String d : seen) {
                    assertThat(offline(before, stream, src, d, at)).as("destination %s", d)
                            .isLessThanOrEqualTo(third + (float) StreamParityTest.TOLERANCE);
                }

                List<DeadLetter> dead = new KafkaTopicReader(servers).readCommitted("dead").stream()
                        .map(r -> DeadLetter.fromJson(r.value())).toList();
                assertThat(dead).extracting(DeadLetter::reason).containsExactly("malformed_json");
            } finally {
                job.cancel().get(60, TimeUnit.SECONDS);
            }
        }
    }

    /** The offline replay after every batch before {@code batch}. */
    private static MemoryReplay stateBefore(MemoryModel model, EdgeStream stream, long batch) {
        MemoryReplay replay = new MemoryReplay(model, stream);
        for (int start = 0; start < batch * BATCH; start += BATCH) {
            int[] events = new int[BATCH];
            for (int i = 0; i < BATCH; i++) events[i] = start + i;
            replay.apply(events);
        }
        return replay;
    }

    private static float offline(MemoryReplay replay, EdgeStream stream, String src, String dst, long t) {
        int s = stream.nodeIndexOfKey(io.tgstream.data.NodeKeys.of(src));
        int d = stream.nodeIndexOfKey(io.tgstream.data.NodeKeys.of(dst));
        return replay.score(new int[] {s}, new int[] {d}, new long[] {t})[0];
    }

    private static KafkaProducer<byte[], byte[]> producer(String servers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<byte[], byte[]> p, String json) throws Exception {
        p.send(new ProducerRecord<>("requests", json.getBytes(StandardCharsets.UTF_8))).get();
    }

    private static Map<String, ScoringResponse> awaitResponses(String servers, int count, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<String, ScoringResponse> out = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : new KafkaTopicReader(servers).readCommitted("responses")) {
                ScoringResponse s = ScoringResponse.fromJson(r.value());
                assertThat(out.put(s.requestId(), s)).as("one response per request").isNull();
            }
            if (out.size() >= count || System.nanoTime() > deadline) {
                return out;
            }
            Thread.sleep(200);
        }
    }
}
