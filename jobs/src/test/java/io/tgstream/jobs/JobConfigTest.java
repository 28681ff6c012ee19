package io.tgstream.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tgstream.operators.sequence.BatchMode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job's YAML configuration: every key read, defaults, and clear errors for user mistakes. */
class JobConfigTest {
    @TempDir
    Path dir;

    private Path yaml(String text) throws Exception {
        Path f = dir.resolve("job.yaml");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void everyKeyIsRead() throws Exception {
        JobConfig c = JobConfig.load(yaml("""
                bootstrap-servers: k1:9092,k2:9092
                input-topic: edges
                scores-topic: scores
                embeddings-topic: embeddings
                dead-letter-topic: dead
                model: /models/uci.tgm
                model-version: uci-v3
                batch-mode: event-time
                batch-size: 500
                batch-width: 3600
                timestamp-unit: s
                parallelism: 2
                checkpoint-interval-ms: 250
                checkpoint-dir: file:///tmp/cp
                node-ttl: 86400
                bounded: true
                transactional-id-prefix: job-a
                """));
        assertThat(c).isEqualTo(new JobConfig("k1:9092,k2:9092", "edges", "scores", "embeddings", "dead",
                "/models/uci.tgm", "uci-v3", BatchMode.EVENT_TIME, 500, 3600, "s", 2, 250, "file:///tmp/cp", 86400, true,
                "job-a"));
        assertThat(c.batchWidthForMode()).isEqualTo(3600);
        assertThat(c.nodeExpiry()).isEqualTo(io.tgstream.model.NodeExpiry.after(86400));
    }

    @Test
    void defaultsFillTheOptionalKeys() throws Exception {
        JobConfig c = JobConfig.load(yaml("""
                bootstrap-servers: localhost:9092
                input-topic: edges
                scores-topic: scores
                model: /models/m.tgm
                """));
        assertThat(c).isEqualTo(JobConfig.of("localhost:9092", "edges", "scores", "/models/m.tgm"));
        assertThat(c.batchMode()).isEqualTo(BatchMode.COUNT);
        assertThat(c.batchWidthForMode()).isEqualTo(JobConfig.DEFAULT_BATCH_SIZE);
        assertThat(c.modelVersion()).isEqualTo("m.tgm");
        assertThat(c.embeddingsTopic()).isNull();
        assertThat(c.parallelism()).isEqualTo(JobConfig.DEFAULT_PARALLELISM);
        assertThat(c.nodeExpiry().enabled()).as("nodes are kept forever unless node-ttl is set").isFalse();
    }

    @Test
    void mistakesNameTheKey() throws Exception {
        String base = "bootstrap-servers: b\ninput-topic: i\nscores-topic: s\nmodel: m\n";
        assertThatThrownBy(() -> JobConfig.load(yaml(base + "batch-sise: 10\n")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown key 'batch-sise'");
        assertThatThrownBy(() -> JobConfig.load(yaml("input-topic: i\nscores-topic: s\nmodel: m\n")))
                .hasMessageContaining("'bootstrap-servers' is required");
        assertThatThrownBy(() -> JobConfig.load(yaml(base + "parallelism: two\n")))
                .hasMessageContaining("'parallelism' must be a whole number");
        assertThatThrownBy(() -> JobConfig.load(yaml(base + "batch-mode: event-time\n")))
                .hasMessageContaining("batch-width");
        assertThatThrownBy(() -> JobConfig.load(yaml(base + "batch-mode: sliding\n")))
                .hasMessageContaining("unknown batch mode 'sliding'");
        assertThatThrownBy(() -> JobConfig.load(yaml(base + "bounded: yes please\n")))
                .hasMessageContaining("'bounded' must be true or false");
        assertThatThrownBy(() -> JobConfig.load(yaml(base + "node-ttl: 0\n")))
                .hasMessageContaining("'node-ttl' must be a whole number of timestamp units >= 1, or none");
        assertThatThrownBy(() -> JobConfig.load(yaml(base + "node-ttl: a week\n")))
                .hasMessageContaining("'node-ttl'");
        assertThat(JobConfig.load(yaml(base + "node-ttl: none\n")).nodeExpiry().enabled()).isFalse();
        assertThatThrownBy(() -> JobConfig.load(yaml("- a\n- b\n"))).hasMessageContaining("mapping");
        assertThatThrownBy(() -> JobConfig.load(dir.resolve("absent.yaml"))).hasMessageContaining("does not exist");
    }

    @Test
    void theFlinkConfigurationIsRocksDbWithAlignedExactlyOnceCheckpoints() {
        Configuration conf = StreamJob.flinkConfiguration(JobConfig.of("b", "i", "s", "m").withCheckpoints(300, null));
        assertThat(conf.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(conf.get(CheckpointingOptions.ENABLE_UNALIGNED)).isFalse();
        assertThat(conf.get(CheckpointingOptions.MAX_CONCURRENT_CHECKPOINTS)).isEqualTo(1);
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_INTERVAL).toMillis()).isEqualTo(300);
    }

    @Test
    void aMissingModelFailsBeforeTheJobIsBuilt() {
        JobConfig c = JobConfig.of("b", "i", "s", dir.resolve("none.tgm").toString());
        assertThatThrownBy(() -> StreamJob.build(
                org.apache.flink.streaming.api.environment.StreamExecutionEnvironment.getExecutionEnvironment(), c))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot use model file");
    }
}
