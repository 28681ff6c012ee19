package io.tgstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.tgstream.connectors.broker.EmbeddedKafkaBroker;
import io.tgstream.data.EdgeStream;
import io.tgstream.jobs.JobConfig;
import io.tgstream.jobs.StreamJob;
import io.tgstream.model.EmbeddingKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes the savepoint fixture that {@link SavepointCompatibilityTest} resumes from: run it with
 * {@code -Dtgstream.savepoint.out=DIR} in a checkout of the version whose state format the fixture should hold (see
 * that test for how the committed one was made). It trains the fixture's model, runs the first part of the fixture's
 * stream through the job with a batch left open, and stops the job with a canonical savepoint.
 */
class SavepointFixtureWriter {
    static final int EVENTS = 1_000;
    static final int FIRST_PART = 500;
    static final int BATCH = 50;
    static final int NODES = 80;
    static final long SEED = 31;
    static final int PARALLELISM = 2;
    static final String TRANSACTIONAL_ID_PREFIX = "compat";

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4)
                    .build());

    @TempDir
    Path dir;

    static EdgeStream stream() {
        return ParityFixture.syntheticStream(EVENTS, NODES, SEED);
    }

    @Test
    @EnabledIfSystemProperty(named = "tgstream.savepoint.out", matches = ".+")
    void writeFixture() throws Exception {
        Path out = Path.of(System.getProperty("tgstream.savepoint.out"));
        Files.createDirectories(out);
        EdgeStream stream = stream();
        Path modelFile = out.resolve("model.tgm");
        ParityFixture.trainAndSave(stream, EmbeddingKind.RECENT_PARTNERS, true, modelFile);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"))) {
            String servers = broker.bootstrapServers();
            broker.createTopic("events", 1);
            broker.createTopic("scores", PARALLELISM);
            ParityFixture.publish(servers, "events", stream, 0, FIRST_PART);
            JobConfig config = JobConfig.of(servers, "events", "scores", modelFile.toString()).withBatchSize(BATCH)
                    .withParallelism(PARALLELISM).withCheckpoints(200, dir.resolve("checkpoints").toUri().toString())
                    .withTransactionalIdPrefix(TRANSACTIONAL_ID_PREFIX);
            JobClient job = StreamJob.start(
                    StreamExecutionEnvironment.getExecutionEnvironment(StreamJob.flinkConfiguration(config)), config);
            int closed = FIRST_PART - BATCH;
            assertThat(ParityFixture.awaitScores(servers, "scores", closed, Duration.ofMinutes(2))).hasSize(closed);
            String savepoint = job.stopWithSavepoint(false, out.toUri().toString(), SavepointFormatType.CANONICAL)
                    .get();
            System.out.println("savepoint written to " + savepoint);
        }
    }
}
