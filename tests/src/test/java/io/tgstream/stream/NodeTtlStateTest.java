package io.tgstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.tgstream.connectors.EdgeEventPublisher;
import io.tgstream.connectors.broker.EmbeddedKafkaBroker;
import io.tgstream.connectors.records.ScoreRecord;
import io.tgstream.data.EdgeStream;
import io.tgstream.jobs.JobConfig;
import io.tgstream.jobs.StreamJob;
import io.tgstream.model.EmbeddingKind;
import io.tgstream.model.MemoryModel;
import io.tgstream.model.MemoryModelConfig;
import io.tgstream.model.MemoryModelFile;
import io.tgstream.model.MemoryReplay;
import io.tgstream.model.NodeExpiry;
import io.tgstream.operators.node.NodeOperator;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounded state (issue 7): an open-ended stream with node churn (new nodes keep arriving, old ones go quiet, a few come
 * back) runs through the job (in-process broker, MiniCluster, RocksDB, never-ending input) twice, with node-ttl and
 * without. The input is published in chunks; after each chunk is scored, the node states each job holds (the
 * {@code nodeStates} gauge, scraped from Prometheus) are sampled. With the TTL the count stays within the nodes active
 * in one TTL window and equals the offline replay's with the same TTL, as does the {@code nodesEvicted} counter;
 * without it the count grows with every chunk to the number of nodes ever seen. The TTL job's scores are the offline
 * replay's with the TTL, and differ from the scores without it.
 */
class NodeTtlStateTest {
    private static final Logger LOG = LoggerFactory.getLogger(NodeTtlStateTest.class);
    static final int EVENTS = 3_000;
    static final int CHUNK = 500;
    static final int BATCH = 50;
    /** Timestamps are 1000 + event index: the TTL is 150 events long. */
    static final long TTL = 150;

    @TempDir
    Path dir;

    /**
     * Event i at time 1000 + i between nodes of a window that drifts upwards (from i / 8, 24 wide), so each node is
     * busy for a while and then goes quiet; 1 source in 15 is an old node coming back.
     */
    static EdgeStream churn(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        EdgeStream.Builder b = EdgeStream.builder("churn", "s", 0);
        for (int i = 0; i < EVENTS; i++) {
            int base = i / 8;
            int u = r.nextInt(15) == 0 ? r.nextInt(base + 1) : base + r.nextInt(24);
            int v = base + r.nextInt(24);
            b.add("n" + u, "n" + v, 1000 + i, new float[0], 0, 1);
        }
        return b.build();
    }

    /** One running job and what it is compared against. */
    private record Job(String name, JobClient client, int port, String scores, MemoryReplay replay,
                       List<long[]> samples) {
    }

    private Job start(EmbeddedKafkaBroker broker, Path modelFile, MemoryReplay replay, long ttl, int parallelism)
            throws Exception {
        String name = ttl == JobConfig.NO_NODE_TTL ? "no-ttl" : "ttl";
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        broker.createTopic("scores-" + name, 1);
        JobConfig c = JobConfig.of(broker.bootstrapServers(), "edges", "scores-" + name, modelFile.toString())
                .withBatchSize(BATCH).withParallelism(parallelism).withCheckpoints(100, null)
                .withNodeTtl(ttl).withPrometheusPort(port).withTransactionalIdPrefix("ttl-state-" + name);
        JobClient client = StreamJob.start(
                StreamExecutionEnvironment.createLocalEnvironment(StreamJob.flinkConfiguration(c)), c);
        return new Job(name, client, port, "scores-" + name, replay, new ArrayList<>());
    }

    @Test
    void withATtlTheNodeStatesStayBoundedAndTheEvictionsAreCounted() throws Exception {
        EdgeStream stream = churn(3);
        MemoryModelConfig config = new MemoryModelConfig(16, 8, 0, EmbeddingKind.RECENT_PARTNERS, 4, 4, true,
                MemoryModelConfig.DEFAULT_PRES_GAMMA, MemoryModelConfig.DEFAULT_COHERENCE_WEIGHT, 20.0, 7);
        Path modelFile = dir.resolve("model.tgm");
        MemoryModelFile.save(new MemoryModel(config, DataType.FLOAT), modelFile);
        MemoryModel model = MemoryModelFile.load(modelFile);
        MemoryReplay withTtl = new MemoryReplay(model, stream, NodeExpiry.after(TTL));
        MemoryReplay without = new MemoryReplay(model, stream);
        float[] expectedTtl = new float[EVENTS];
        float[] expectedWithout = new float[EVENTS];
        Set<Integer> seen = new HashSet<>();

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"))) {
            String servers = broker.bootstrapServers();
            broker.createTopic("edges", 1);
            Job ttl = start(broker, modelFile, withTtl, TTL, 2);
            Job plain = start(broker, modelFile, without, JobConfig.NO_NODE_TTL, 1);
            try (EdgeEventPublisher publisher = new EdgeEventPublisher(servers, "edges")) {
                for (int from = 0; from < EVENTS; from += CHUNK) {
                    int to = from + CHUNK;
                    for (int e = from; e < to; e++) {
                        // the chunk's last edge closes its batch at once: the chunk is scored before the next comes
                        publisher.send(e == to - 1 ? stream.event(e).endingBatch() : stream.event(e));
                        seen.add(stream.src(e));
                        seen.add(stream.dst(e));
                    }
                    publisher.flush();
                    System.arraycopy(ParityFixture.referenceScores(withTtl, stream, from, to, BATCH), 0,
                            expectedTtl, from, CHUNK);
                    System.arraycopy(ParityFixture.referenceScores(without, stream, from, to, BATCH), 0,
                            expectedWithout, from, CHUNK);
                    for (Job job : List.of(ttl, plain)) {
                        assertThat(ParityFixture.awaitScores(servers, job.scores(), to, Duration.ofMinutes(2)))
                                .as("%s: chunk ending at %d scored", job.name(), to).hasSize(to);
                        String metrics = scrape(job.port());
                        long states = (long) sum(metrics, NodeOperator.NODE_STATES);
                        long evicted = (long) sum(metrics, NodeOperator.NODES_EVICTED);
                        job.samples().add(new long[] {to, states, evicted});
                    }
                    long[] t = ttl.samples().get(ttl.samples().size() - 1);
                    long[] p = plain.samples().get(plain.samples().size() - 1);
                    LOG.info("after {} events: node states {} with ttl {} ({} evicted), {} without ttl", to, t[1],
                            TTL, t[2], p[1]);
                    assertThat(t[1]).as("node states with TTL after %d events", to)
                            .isEqualTo(withTtl.nodesWithState())
                            .isLessThanOrEqualTo(activeNodes(stream, to - BATCH - 1 - (int) TTL, to));
                    assertThat(t[2]).as("evictions after %d events", to).isEqualTo(withTtl.evictedNodes());
                    assertThat(p[1]).as("node states without TTL after %d events", to).isEqualTo(seen.size());
                    assertThat(p[2]).isZero();
                }
            } finally {
                ttl.client().cancel().get(60, TimeUnit.SECONDS);
                plain.client().cancel().get(60, TimeUnit.SECONDS);
            }
            long maxWithTtl = ttl.samples().stream().mapToLong(s -> s[1]).max().orElseThrow();
            List<Long> withoutTtl = plain.samples().stream().map(s -> s[1]).toList();
            for (int i = 1; i < withoutTtl.size(); i++) {
                assertThat(withoutTtl.get(i)).as("without TTL the state grows").isGreaterThan(withoutTtl.get(i - 1));
            }
            assertThat(withoutTtl.get(withoutTtl.size() - 1)).isGreaterThan(4 * maxWithTtl);
            assertThat(withTtl.evictedNodes()).isGreaterThan(seen.size() / 2);

            Map<Long, ScoreRecord> scores = ParityFixture.committedScores(servers, ttl.scores());
            int changed = 0;
            for (int e = 0; e < EVENTS; e++) {
                float s = scores.get((long) e).score();
                assertThat(Math.abs(s - expectedTtl[e])).as("event %d", e).isLessThanOrEqualTo(1e-5f);
                if (Math.abs(expectedTtl[e] - expectedWithout[e]) > 1e-4f) {
                    changed++;
                }
            }
            assertThat(changed).as("scores the TTL changed").isGreaterThan(EVENTS / 20);
        }
    }

    /** Distinct nodes of events [from, to). */
    private static int activeNodes(EdgeStream stream, int from, int to) {
        Set<Integer> nodes = new HashSet<>();
        for (int e = Math.max(0, from); e < to; e++) {
            nodes.add(stream.src(e));
            nodes.add(stream.dst(e));
        }
        return nodes.size();
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
            if (line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            String metric = brace < 0 ? line.split(" ")[0] : line.substring(0, brace);
            if (metric.endsWith("_" + name)) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }
}
