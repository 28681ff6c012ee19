package io.tgstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.tgstream.connectors.broker.EmbeddedKafkaBroker;
import io.tgstream.connectors.records.ScoreRecord;
import io.tgstream.data.EdgeStream;
import io.tgstream.jobs.JobConfig;
import io.tgstream.jobs.StreamJob;
import io.tgstream.model.MemoryModelFile;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema evolution (issue 7): the current job resumes from a savepoint written by the previous state format (commit
 * 90ed4ae, see {@code savepoints/format-90ed4ae/README.md}), in which the feedback head had no checkpointed input
 * watermark, and scores the rest of the stream as the offline replay does, each event once.
 *
 * <p>The savepoint's source offsets refer to the fixture's input topic; a fresh broker holding the same events at the
 * same offsets stands in for it.
 */
class SavepointCompatibilityTest {
    static final String FIXTURE = "/savepoints/format-90ed4ae";

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4)
                    .build());

    @TempDir
    Path dir;

    @Test
    void aSavepointOfThePreviousFormatResumesToTheSameScores() throws Exception {
        Path fixture = copyFixture(dir.resolve("fixture"));
        Path modelFile = fixture.resolve("model.tgm");
        EdgeStream stream = SavepointFixtureWriter.stream();
        float[] expected = ParityFixture.referenceScores(MemoryModelFile.load(modelFile), stream,
                SavepointFixtureWriter.BATCH);

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"))) {
            String servers = broker.bootstrapServers();
            broker.createTopic("events", 1);
            broker.createTopic("scores", SavepointFixtureWriter.PARALLELISM);
            ParityFixture.publish(servers, "events", stream, 0, SavepointFixtureWriter.EVENTS);
            JobConfig config = JobConfig.of(servers, "events", "scores", modelFile.toString())
                    .withBatchSize(SavepointFixtureWriter.BATCH).withParallelism(SavepointFixtureWriter.PARALLELISM)
                    .withCheckpoints(200, dir.resolve("checkpoints").toUri().toString())
                    .withTransactionalIdPrefix(SavepointFixtureWriter.TRANSACTIONAL_ID_PREFIX);
            Configuration conf = StreamJob.flinkConfiguration(config);
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, fixture.resolve("savepoint").toUri().toString());
            JobClient job = StreamJob.start(StreamExecutionEnvironment.getExecutionEnvironment(conf), config);
            // The old run committed the closed batches before its stop; this one scores from the open batch on.
            int first = SavepointFixtureWriter.FIRST_PART - SavepointFixtureWriter.BATCH;
            int last = SavepointFixtureWriter.EVENTS - SavepointFixtureWriter.BATCH;
            Map<Long, ScoreRecord> scores;
            try {
                scores = ParityFixture.awaitScores(servers, "scores", last - first, Duration.ofMinutes(2));
            } finally {
                job.cancel().get(60, TimeUnit.SECONDS);
            }
            assertThat(scores).hasSize(last - first);
            for (long e = first; e < last; e++) {
                ScoreRecord s = scores.get(e);
                assertThat(s).as("score of event %d", e).isNotNull();
                assertThat(s.batch()).isEqualTo(e / SavepointFixtureWriter.BATCH);
                assertThat(Math.abs(s.score() - expected[(int) e])).as("event %d", e)
                        .isLessThanOrEqualTo(StreamParityTest.TOLERANCE);
            }
        }
    }

    private static Path copyFixture(Path to) throws IOException, URISyntaxException {
        Path from = Path.of(SavepointCompatibilityTest.class.getResource(FIXTURE).toURI());
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        return to;
    }
}
