package io.tgstream.operators.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The feedback loop in a real job: MiniCluster, RocksDB state, aligned checkpoints every 100 ms,
 * a toy model whose every output is checked against {@link ToyModel}, with and without failures.
 */
class FeedbackLoopJobTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    @TempDir Path checkpoints;

    private ToyLoopJob job;
    private Map<String, Long> expected;

    @BeforeEach
    void setUp() {
        FailureInjection.reset();
        job = new ToyLoopJob();
        expected = ToyModel.expected(ToyLoopJob.SEED, job.edges, job.batchSize, job.nodes);
    }

    private String run(String name) throws Exception {
        ResultStore.clear(name);
        StreamExecutionEnvironment env = job.environment();
        job.build(env, name);
        env.execute(name);
        return name;
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void loopComputesTheBatchContract(int parallelism) throws Exception {
        job.parallelism = parallelism;
        String run = run("plain-p" + parallelism);

        assertThat(ResultStore.conflicts(run)).isEmpty();
        assertThat(ResultStore.results(run)).hasSize(expected.size()).isEqualTo(expected);
        assertThat(FeedbackChannelBroker.get().size()).as("channels left in the broker").isZero();
    }

    @ParameterizedTest(name = "{0} at input {1}")
    @CsvSource({
        "AT_INPUT, 30", // before the first checkpoint completes
        "AT_INPUT, 10000", // between checkpoints, mid-stream
        "WHILE_LOGGING, 1000", // a checkpoint in flight, its logged records being applied
        "AFTER_LOGGED_CHECKPOINT, 1000" // restore from a checkpoint whose log holds records
    })
    void killedJobRecoversEveryOutput(FailureInjection.Point point, long at) throws Exception {
        FailureInjection.arm(point, at);
        String run = run("kill-" + point + "-" + at);

        assertThat(FailureInjection.fired()).as("the failure was injected").isTrue();
        assertThat(FailureInjection.HEADS_OPENED.get()).as("head subtasks opened").isGreaterThan(2);
        if (point == FailureInjection.Point.AFTER_LOGGED_CHECKPOINT) {
            assertThat(FailureInjection.REPLAYED.get()).as("records replayed from the log").isPositive();
        }
        assertThat(ResultStore.conflicts(run)).isEmpty();
        assertThat(ResultStore.results(run)).isEqualTo(expected);
    }

    @Test
    void withoutLogReplayTheRecoveredJobLosesRecords() throws Exception {
        job.replayLog = false;
        FailureInjection.arm(FailureInjection.Point.AFTER_LOGGED_CHECKPOINT, 1000);
        String run = run("control-no-replay");

        assertThat(FailureInjection.fired()).isTrue();
        boolean wrong = !ResultStore.conflicts(run).isEmpty() || !ResultStore.results(run).equals(expected);
        assertThat(wrong).as("outputs differ from the reference when the log is not replayed").isTrue();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"2, 1", "1, 2"})
    void restoreWithAnotherParallelismRedistributesTheLog(int before, int after) throws Exception {
        String run = "rescale-" + before + "-" + after;
        ResultStore.clear(run);

        // Phase 1: no restarts; the job dies right after a checkpoint whose log held records.
        job.parallelism = before;
        job.restartAttempts = 0;
        job.checkpointDir = checkpoints.toUri().toString();
        FailureInjection.arm(FailureInjection.Point.AFTER_LOGGED_CHECKPOINT, 1000);
        StreamExecutionEnvironment first = job.environment();
        job.build(first, run);
        assertThatThrownBy(() -> first.execute(run + "-first"))
                .satisfies(e -> assertThat(ExceptionUtils.findThrowable(e, FailureInjection.InjectedFailure.class)).isPresent());
        Path latest = latestCheckpoint(checkpoints);

        // Phase 2: restore with the other parallelism and run to the end.
        FailureInjection.arm(FailureInjection.Point.NONE, 0);
        job.parallelism = after;
        job.restartAttempts = 3;
        job.restoreFrom = latest.toUri().toString();
        StreamExecutionEnvironment second = job.environment();
        job.build(second, run);
        second.execute(run + "-second");

        assertThat(FailureInjection.REPLAYED.get()).as("records replayed from the log").isPositive();
        assertThat(ResultStore.conflicts(run)).isEmpty();
        assertThat(ResultStore.results(run)).isEqualTo(expected);
    }

    @Test
    void builderRefusesUnalignedCheckpoints() {
        StreamExecutionEnvironment env = job.environment();
        env.getCheckpointConfig().enableUnalignedCheckpoints();
        ResultStore.clear("refused");
        assertThatThrownBy(() -> job.build(env, "refused"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(FlinkInternalApi.UNALIGNED_REFUSAL);
    }

    @Test
    void runningJobRefusesUnalignedCheckpointsEnabledAfterTheLoopWasBuilt() {
        job.unaligned = true;
        assertThatThrownBy(() -> run("refused-at-runtime"))
                .satisfies(
                        e -> assertThat(ExceptionUtils.findThrowableWithMessage(e, FlinkInternalApi.UNALIGNED_REFUSAL))
                                .isPresent());
        assertThat(FailureInjection.HEADS_OPENED.get()).as("user logic never opened").isZero();
    }

    @Test
    void runningJobRefusesAHeadWhoseParallelismDiffersFromTheTails() {
        job.headParallelismAfterBuild = job.parallelism + 1;
        assertThatThrownBy(() -> run("refused-parallelism"))
                .satisfies(e -> assertThat(ExceptionUtils.findThrowableWithMessage(e,
                        "head and tail must run at the same parallelism")).isPresent());
        assertThat(FailureInjection.HEADS_OPENED.get()).as("user logic never opened").isZero();
    }

    @Test
    void runningJobRefusesHeapTimersOnRocksDb() {
        job.heapTimers = true;
        assertThatThrownBy(() -> run("refused-heap-timers"))
                .satisfies(
                        e -> assertThat(ExceptionUtils.findThrowableWithMessage(e, FlinkInternalApi.HEAP_TIMERS_REFUSAL))
                                .isPresent());
    }

    private static Path latestCheckpoint(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.getFileName().toString().startsWith("chk-"))
                    .filter(p -> Files.exists(p.resolve("_metadata")))
                    .max(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().substring(4))))
                    .orElseThrow(() -> new AssertionError("no completed checkpoint under " + root));
        }
    }
}
