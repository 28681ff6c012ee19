package io.tgstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.tgstream.connectors.broker.EmbeddedKafkaBroker;
import io.tgstream.connectors.records.ScoreRecord;
import io.tgstream.data.DataDirectory;
import io.tgstream.data.EdgeEvent;
import io.tgstream.data.EdgeStream;
import io.tgstream.data.NamedDataset;
import io.tgstream.eval.ChronologicalSplit;
import io.tgstream.jobs.JobConfig;
import io.tgstream.jobs.StreamJob;
import io.tgstream.model.EmbeddingKind;
import io.tgstream.model.MemoryModel;
import io.tgstream.model.MemoryModelConfig;
import io.tgstream.model.MemoryModelFile;
import io.tgstream.model.TimeScale;
import io.tgstream.train.MemoryTrainer;
import io.tgstream.train.TrainingConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parity on real data at the model's default width (d = 100): the first events of uci through Kafka and the job at
 * parallelism 2 with B = 200, PRES and recent partners; logs the rate. Heavy: training and the run take minutes.
 */
@Tag("heavy")
class UciStreamParityTest {
    private static final Logger LOG = LoggerFactory.getLogger(UciStreamParityTest.class);
    /** Events replayed; override with -Dtgstream.uci.events=N for a longer rate measurement. */
    static final int EVENTS = Integer.getInteger("tgstream.uci.events", 5_000);
    static final int BATCH = 200;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4)
                    .build());

    @TempDir
    Path dir;

    @Test
    void uciScoresEqualTheOfflineReplay() throws Exception {
        Optional<Path> file = DataDirectory.resolve(null).find(NamedDataset.UCI);
        Assumptions.assumeTrue(file.isPresent(), "uci is not in the data directory (system property "
                + DataDirectory.PROPERTY + "); see /work/shared/data/uci/SOURCE.md");
        EdgeStream full = NamedDataset.UCI.load(file.get(), false).stream();
        EdgeStream.Builder b = EdgeStream.builder("uci-head", full.timeUnit(), full.featureDim());
        for (int e = 0; e < EVENTS; e++) {
            EdgeEvent ev = full.event(e);
            b.add(ev.srcId(), ev.dstId(), ev.timestamp(), ev.features(), ev.label(), ev.sign());
        }
        EdgeStream stream = b.build();
        MemoryModelConfig config = MemoryModelConfig.defaults(stream.featureDim(),
                        TimeScale.of(stream, ParityFixture.allEvents(stream)))
                .withEmbedding(EmbeddingKind.RECENT_PARTNERS).withPres(true);
        MemoryModel trained = new MemoryModel(config, DataType.FLOAT);
        new MemoryTrainer(trained, ChronologicalSplit.of(stream),
                TrainingConfig.defaults().withBatchSize(BATCH).withEpochs(1), null).train();
        Path modelFile = dir.resolve("uci.tgm");
        MemoryModelFile.save(trained, modelFile);
        MemoryModel model = MemoryModelFile.load(modelFile);
        float[] expected = ParityFixture.referenceScores(model, stream, BATCH);

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"))) {
            broker.createTopic("uci", 1);
            broker.createTopic("uci-scores", 2);
            ParityFixture.publish(broker.bootstrapServers(), "uci", stream, 0, EVENTS);
            JobConfig c = JobConfig.of(broker.bootstrapServers(), "uci", "uci-scores", modelFile.toString())
                    .withBatchSize(BATCH).withParallelism(2).withBounded(true).withCheckpoints(500, null)
                    .withTransactionalIdPrefix("uci");
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(StreamJob.flinkConfiguration(c));
            StreamJob.build(env, c);
            long t0 = System.nanoTime();
            env.execute("uci parity");
            double seconds = (System.nanoTime() - t0) / 1e9;
            Map<Long, ScoreRecord> scores = ParityFixture.committedScores(broker.bootstrapServers(), "uci-scores");
            assertThat(scores).hasSize(EVENTS);
            float maxDiff = 0;
            for (int e = 0; e < EVENTS; e++) {
                maxDiff = Math.max(maxDiff, Math.abs(scores.get((long) e).score() - expected[e]));
            }
            LOG.info("uci parity: {} events, B = {}, d = {}, F = {}, parallelism 2: {} s incl. job start = {} events/s;"
                            + " max |diff| {}", EVENTS, BATCH, config.memoryDim(), config.edgeFeatureDim(),
                    String.format("%.2f", seconds), String.format("%.0f", EVENTS / seconds), maxDiff);
            assertThat(maxDiff).isLessThanOrEqualTo(StreamParityTest.TOLERANCE);
        }
    }
}
