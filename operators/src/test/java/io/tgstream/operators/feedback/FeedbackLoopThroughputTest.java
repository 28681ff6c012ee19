package io.tgstream.operators.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures (does not assert) the loop's throughput on the toy job at parallelism 2 with RocksDB
 * and 200 ms aligned checkpoints, unthrottled; the result is still checked against the model.
 * Run: {@code mvn -o -q test -pl operators -Pheavy -Dtest=FeedbackLoopThroughputTest}.
 */
@Tag("heavy")
class FeedbackLoopThroughputTest {

    private static final Logger LOG = LoggerFactory.getLogger(FeedbackLoopThroughputTest.class);

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .setConfiguration(clusterConfiguration())
                            .build());

    /** RocksDB gets real managed memory here; the MiniCluster default makes it flush constantly. */
    private static Configuration clusterConfiguration() {
        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ofMebiBytes(1024));
        return conf;
    }

    @Test
    void throughputAtParallelism2() throws Exception {
        ToyLoopJob job = new ToyLoopJob();
        job.edges = Long.getLong("tgstream.loop.edges", 1_000_000L);
        job.batchSize = Integer.getInteger("tgstream.loop.batch", 1000);
        job.nodes = 10_000;
        job.parallelism = 2;
        job.stateBackend = System.getProperty("tgstream.loop.backend", "rocksdb");
        job.throttleEvery = 0;
        job.checkpointMillis = 200;
        FailureInjection.reset();
        Map<String, Long> expected = ToyModel.expected(ToyLoopJob.SEED, job.edges, job.batchSize, job.nodes);

        String run = "throughput";
        ResultStore.clear(run);
        StreamExecutionEnvironment env = job.environment();
        job.build(env, run);
        JobExecutionResult result = env.execute(run);

        long millis = result.getNetRuntime();
        LOG.info(
                "Feedback loop throughput: {} edges (each one input and one feedback record), batch {},"
                        + " parallelism 2, {} state, in {} ms = {} edges/s",
                job.edges,
                job.batchSize,
                job.stateBackend,
                millis,
                job.edges * 1000 / Math.max(1, millis));
        assertThat(ResultStore.conflicts(run)).isEmpty();
        assertThat(ResultStore.results(run)).isEqualTo(expected);
    }
}
