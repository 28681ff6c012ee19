package io.tgstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.tgstream.connectors.broker.EmbeddedKafkaBroker;
import io.tgstream.connectors.broker.KafkaTopicReader;
import io.tgstream.connectors.records.DeadLetter;
import io.tgstream.connectors.records.EmbeddingRecord;
import io.tgstream.data.EdgeStream;
import io.tgstream.jobs.JobConfig;
import io.tgstream.jobs.StreamJob;
import io.tgstream.model.EmbeddingKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the demo does: an in-process broker, a job config in YAML, {@link StreamJob#runLocal} on its own MiniCluster;
 * scores, embeddings and dead letters arrive on their topics.
 */
class StreamJobLocalTest {
    static final int EVENTS = 300;

    @TempDir
    Path dir;

    @Test
    void theLocalJobFillsScoresEmbeddingsAndDeadLetters() throws Exception {
        EdgeStream stream = ParityFixture.syntheticStream(EVENTS, 40, 31);
        Path modelFile = dir.resolve("m.tgm");
        ParityFixture.trainAndSave(stream, EmbeddingKind.TIME_PROJECTION, false, modelFile);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"))) {
            String servers = broker.bootstrapServers();
            broker.createTopic("events", 1);
            broker.createTopic("scores", 1);
            broker.createCompactedTopic("embeddings", 1);
            broker.createTopic("dead", 1);
            ParityFixture.publish(servers, "events", stream, 0, EVENTS / 2);
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
            try (KafkaProducer<byte[], byte[]> raw =
                         new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
                raw.send(new ProducerRecord<>("events", "not json".getBytes(StandardCharsets.UTF_8))).get();
            }
            ParityFixture.publish(servers, "events", stream, EVENTS / 2, EVENTS);

            Path yaml = dir.resolve("job.yaml");
            Files.writeString(yaml, String.join("\n",
                    "bootstrap-servers: " + servers,
                    "input-topic: events",
                    "scores-topic: scores",
                    "embeddings-topic: embeddings",
                    "dead-letter-topic: dead",
                    "model: " + modelFile,
                    "batch-size: 25",
                    "parallelism: 2",
                    "checkpoint-interval-ms: 200",
                    "bounded: true",
                    ""));
            StreamJob.runLocal(JobConfig.load(yaml));

            assertThat(ParityFixture.committedScores(servers, "scores")).hasSize(EVENTS);
            List<ConsumerRecord<byte[], byte[]>> dead = new KafkaTopicReader(servers).readCommitted("dead");
            assertThat(dead).hasSize(1);
            DeadLetter letter = DeadLetter.fromJson(dead.get(0).value());
            assertThat(letter.raw()).isEqualTo("not json".getBytes(StandardCharsets.UTF_8));
            assertThat(letter.offset()).isEqualTo(EVENTS / 2);

            Map<String, EmbeddingRecord> latest = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : new KafkaTopicReader(servers).readCommitted("embeddings")) {
                EmbeddingRecord e = EmbeddingRecord.fromJson(r.value());
                assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(e.node());
                assertThat(e.vector()).hasSize(16);
                latest.merge(e.node(), e, (a, b) -> a.ts() >= b.ts() ? a : b);
            }
            Set<String> nodes = new HashSet<>();
            Map<String, Long> lastTime = new HashMap<>();
            for (int e = 0; e < EVENTS; e++) {
                for (int node : new int[] {stream.src(e), stream.dst(e)}) {
                    nodes.add(stream.nodeId(node));
                    lastTime.put(stream.nodeId(node), stream.timestamp(e));
                }
            }
            assertThat(latest.keySet()).isEqualTo(nodes);
            for (String node : nodes) {
                assertThat(latest.get(node).ts()).as("latest embedding time of %s", node).isEqualTo(lastTime.get(node));
            }
        }
    }
}
