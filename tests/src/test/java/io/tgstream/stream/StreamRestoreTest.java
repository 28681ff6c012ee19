package io.tgstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.tgstream.connectors.broker.EmbeddedKafkaBroker;
import io.tgstream.connectors.records.ScoreRecord;
import io.tgstream.data.EdgeStream;
import io.tgstream.jobs.JobConfig;
import io.tgstream.jobs.StreamJob;
import io.tgstream.model.EmbeddingKind;
import io.tgstream.model.MemoryModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stop mid-stream with a savepoint (with a batch open: requests waiting in RocksDB), resume from it with more input,
 * and every score committed over both runs equals the uninterrupted offline replay, each exactly once.
 */
class StreamRestoreTest {
    static final int EVENTS = 2_000;
    static final int FIRST_PART = 1_000;
    static final int BATCH = 50;
    static final Duration WAIT = Duration.ofSeconds(120);

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4)
                    .build());

    @TempDir
    Path dir;

    @Test
    void aSavepointMidStreamResumesToTheSameScores() throws Exception {
        stopAndResume(true, 2, 2);
    }

    /**
     * Rescaling: a savepoint of the job at one parallelism resumes at another. Key groups move between subtasks with
     * their node state, waiting inputs and the logged in-flight feedback, and the scores stay the same.
     */
    @ParameterizedTest(name = "parallelism {0} -> {1}")
    @CsvSource({"2, 1", "1, 2"})
    void aSavepointResumesAtAnotherParallelismToTheSameScores(int before, int after) throws Exception {
        stopAndResume(true, before, after);
    }

    /**
     * The same with a cancelled job and its latest retained checkpoint: output written after that checkpoint sits in
     * aborted transactions and must be recomputed, once, from the restored state and in-flight log.
     */
    @Test
    void aCancelledJobResumesFromItsLatestCheckpointToTheSameScores() throws Exception {
        stopAndResume(false, 2, 2);
    }

    private static String latestCheckpoint(Path root) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(root)) {
            return files.filter(f -> f.getFileName().toString().equals("_metadata"))
                    .map(Path::getParent)
                    .filter(d -> d.getFileName().toString().startsWith("chk-"))
                    .max(java.util.Comparator.comparingInt(
                            d -> Integer.parseInt(d.getFileName().toString().substring(4))))
                    .orElseThrow(() -> new AssertionError("no completed checkpoint under " + root))
                    .toUri().toString();
        }
    }

    private void stopAndResume(boolean withSavepoint, int before, int after) throws Exception {
        EdgeStream stream = ParityFixture.syntheticStream(EVENTS, 120, 23);
        Path modelFile = dir.resolve("m.tgm");
        MemoryModel model = ParityFixture.trainAndSave(stream, EmbeddingKind.RECENT_PARTNERS, true, modelFile);
        float[] expected = ParityFixture.referenceScores(model, stream, BATCH);

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"))) {
            String servers = broker.bootstrapServers();
            broker.createTopic("events", 1);
            broker.createTopic("scores", 2);
            JobConfig config = JobConfig.of(servers, "events", "scores", modelFile.toString())
                    .withBatchSize(BATCH).withParallelism(before)
                    .withCheckpoints(200, dir.resolve("checkpoints").toUri().toString())
                    .withTransactionalIdPrefix("restore");

            // Run 1: the first part; its last batch stays open (no event of the next batch yet).
            ParityFixture.publish(servers, "events", stream, 0, FIRST_PART);
            StreamExecutionEnvironment first =
                    StreamExecutionEnvironment.getExecutionEnvironment(StreamJob.flinkConfiguration(config));
            JobClient run1 = StreamJob.start(first, config);
            int closedFirst = FIRST_PART - BATCH;
            assertThat(ParityFixture.awaitScores(servers, "scores", closedFirst, WAIT)).hasSize(closedFirst);
            String savepoint;
            if (withSavepoint) {
                savepoint = run1.stopWithSavepoint(false, dir.resolve("savepoints").toUri().toString(),
                        SavepointFormatType.CANONICAL).get();
            } else {
                run1.cancel().get();
                savepoint = latestCheckpoint(dir.resolve("checkpoints"));
            }
            assertThat(ParityFixture.committedScores(servers, "scores"))
                    .as("the open batch is not scored before the stop").hasSize(closedFirst);

            // Run 2: resume from the savepoint, with the rest of the input.
            ParityFixture.publish(servers, "events", stream, FIRST_PART, EVENTS);
            config = config.withParallelism(after);
            Configuration conf = StreamJob.flinkConfiguration(config);
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
            StreamExecutionEnvironment second = StreamExecutionEnvironment.getExecutionEnvironment(conf);
            JobClient run2 = StreamJob.start(second, config);
            int closedAll = EVENTS - BATCH;
            Map<Long, ScoreRecord> scores = ParityFixture.awaitScores(servers, "scores", closedAll, WAIT);
            run2.cancel().get();

            assertThat(scores).hasSize(closedAll);
            for (int e = 0; e < closedAll; e++) {
                ScoreRecord s = scores.get((long) e);
                assertThat(s).as("score of event %d", e).isNotNull();
                assertThat(s.batch()).isEqualTo(e / BATCH);
                assertThat(Math.abs(s.score() - expected[e])).as("event %d", e)
                        .isLessThanOrEqualTo(StreamParityTest.TOLERANCE);
            }
        }
    }
}
