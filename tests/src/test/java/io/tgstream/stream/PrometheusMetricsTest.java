package io.tgstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.tgstream.connectors.EdgeEventPublisher;
import io.tgstream.connectors.broker.EmbeddedKafkaBroker;
import io.tgstream.data.EdgeStream;
import io.tgstream.jobs.JobConfig;
import io.tgstream.jobs.StreamJob;
import io.tgstream.model.EmbeddingKind;
import io.tgstream.operators.node.NodeOperator;
import io.tgstream.operators.sequence.Sequencer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job's metrics through Flink's metric system and the Prometheus reporter configured by {@code prometheus-port}:
 * scraped over HTTP while the job runs, tgstream's counters say how many edges were sequenced and scored, with one
 * malformed record dead-lettered.
 */
class PrometheusMetricsTest {
    static final int EVENTS = 300;
    static final int BATCH = 50;

    @TempDir
    Path dir;

    @Test
    void theCountersAreServedForPrometheus() throws Exception {
        EdgeStream stream = ParityFixture.syntheticStream(EVENTS, 40, 5);
        Path modelFile = dir.resolve("model.tgm");
        ParityFixture.trainAndSave(stream, EmbeddingKind.TIME_PROJECTION, false, modelFile);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"))) {
            String servers = broker.bootstrapServers();
            broker.createTopic("edges", 1);
            broker.createTopic("scores", 1);
            broker.createTopic("dead", 1);
            JobConfig c = JobConfig.of(servers, "edges", "scores", modelFile.toString()).withBatchSize(BATCH)
                    .withParallelism(2).withTopics(null, "dead").withCheckpoints(300, null).withPrometheusPort(port);
            JobClient job = StreamJob.start(
                    StreamExecutionEnvironment.createLocalEnvironment(StreamJob.flinkConfiguration(c)), c);
            try {
                try (EdgeEventPublisher p = new EdgeEventPublisher(servers, "edges")) {
                    for (int e = 0; e < EVENTS; e++) {
                        p.send(e == EVENTS - 1 ? stream.event(e).endingBatch() : stream.event(e));
                    }
                }
                try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]>(
                        java.util.Map.of("bootstrap.servers", servers),
                        new org.apache.kafka.common.serialization.ByteArraySerializer(),
                        new org.apache.kafka.common.serialization.ByteArraySerializer())) {
                    producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("edges",
                            "{not json".getBytes(java.nio.charset.StandardCharsets.UTF_8))).get();
                }
                assertThat(ParityFixture.awaitScores(servers, "scores", EVENTS, Duration.ofMinutes(3))).hasSize(EVENTS);
                String metrics = "";
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
                while (System.nanoTime() < deadline) {
                    metrics = scrape(port);
                    if (sum(metrics, NodeOperator.SCORES_EMITTED) >= EVENTS && sum(metrics, "deadLettered") >= 1) {
                        break;
                    }
                    Thread.sleep(500);
                }
                assertThat(sum(metrics, Sequencer.EDGES_SEQUENCED)).as(metrics).isEqualTo(EVENTS);
                assertThat(sum(metrics, NodeOperator.SCORES_EMITTED)).isEqualTo(EVENTS);
                assertThat(sum(metrics, NodeOperator.BATCHES_CLOSED)).isGreaterThanOrEqualTo(EVENTS / BATCH);
                assertThat(sum(metrics, "deadLettered")).isEqualTo(1);
                assertThat(metrics).contains(NodeOperator.LAST_BATCH_CLOSE_MS).contains("feedbackQueuePeakLength");
            } finally {
                job.cancel().get(60, TimeUnit.SECONDS);
            }
        }
    }

    private static String scrape(int port) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    /** The sum over every series of the metric whose name ends with {@code _name} (one per subtask). */
    private static double sum(String metrics, String name) {
        double total = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("#")) continue;
            int brace = line.indexOf('{');
            String metric = brace < 0 ? line.split(" ")[0] : line.substring(0, brace);
            if (metric.endsWith("_" + name)) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }
}
