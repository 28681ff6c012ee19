package io.tgstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.tgstream.connectors.broker.EmbeddedKafkaBroker;
import io.tgstream.connectors.records.ScoreRecord;
import io.tgstream.data.EdgeStream;
import io.tgstream.jobs.JobConfig;
import io.tgstream.jobs.StreamJob;
import io.tgstream.model.EmbeddingKind;
import io.tgstream.model.MemoryModel;
import io.tgstream.model.PresCorrection;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The acceptance test: events replayed through Kafka -> the job on a MiniCluster with RocksDB -> the scores topic
 * (read_committed) give, for every event, the score of the offline {@code MemoryReplay} at the same batch (same B).
 */
class StreamParityTest {
    private static final Logger LOG = LoggerFactory.getLogger(StreamParityTest.class);
    static final int EVENTS = 2_000;
    static final int NODES = 120;
    static final int BATCH = 50;
    /** Float tolerance: the stream batches rows per subtask, the replay per batch; BLAS may sum in another order. */
    static final float TOLERANCE = 1e-5f;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4)
                    .build());

    @TempDir
    static Path dir;
    static EmbeddedKafkaBroker broker;
    static EdgeStream stream;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"));
        stream = ParityFixture.syntheticStream(EVENTS, NODES, 11);
        broker.createTopic("events", 1);
        ParityFixture.publish(broker.bootstrapServers(), "events", stream, 0, EVENTS);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @ParameterizedTest(name = "{0}, PRES {1}, parallelism {2}")
    @CsvSource({"TIME_PROJECTION, off, 1", "RECENT_PARTNERS, fuse, 1", "RECENT_PARTNERS, fuse, 2",
            "TIME_PROJECTION, dropped, 2"})
    void everyScoreEqualsTheOfflineReplay(EmbeddingKind embedding, String pres, int parallelism) throws Exception {
        String run = embedding.cliName() + "-" + pres + "-" + parallelism;
        Path modelFile = dir.resolve(run + ".tgm");
        boolean on = !pres.equals("off");
        MemoryModel model = ParityFixture.trainAndSave(stream, embedding, on,
                on ? PresCorrection.parse(pres) : PresCorrection.FUSE, modelFile);
        if (on && model.config().presCorrection() == PresCorrection.DROPPED) {
            // the correction must be live, or this case would only repeat the PRES-off one
            assertThat(model.presGamma()).isNotEqualTo(0.1).isNotZero();
        }
        float[] expected = ParityFixture.referenceScores(model, stream, BATCH);

        String scoresTopic = "scores-" + run;
        broker.createTopic(scoresTopic, 2);
        JobConfig config = JobConfig.of(broker.bootstrapServers(), "events", scoresTopic, modelFile.toString())
                .withBatchSize(BATCH).withParallelism(parallelism).withBounded(true).withCheckpoints(200, null)
                .withTransactionalIdPrefix("parity-" + run);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(StreamJob.flinkConfiguration(config));
        StreamJob.build(env, config);
        long t0 = System.nanoTime();
        env.execute("parity " + run);
        double seconds = (System.nanoTime() - t0) / 1e9;

        Map<Long, ScoreRecord> scores =
                ParityFixture.committedScores(broker.bootstrapServers(), scoresTopic);
        assertThat(scores).hasSize(EVENTS);
        float maxDiff = 0;
        int identical = 0;
        for (int e = 0; e < EVENTS; e++) {
            ScoreRecord s = scores.get((long) e);
            assertThat(s).as("score of event %d", e).isNotNull();
            assertThat(s.batch()).isEqualTo(e / BATCH);
            assertThat(s.src()).isEqualTo(stream.nodeId(stream.src(e)));
            assertThat(s.dst()).isEqualTo(stream.nodeId(stream.dst(e)));
            assertThat(s.ts()).isEqualTo(stream.timestamp(e));
            float diff = Math.abs(s.score() - expected[e]);
            maxDiff = Math.max(maxDiff, diff);
            if (Float.floatToIntBits(s.score()) == Float.floatToIntBits(expected[e])) {
                identical++;
            }
        }
        LOG.info("parity {}: {} events in {} s ({} events/s incl. job start), max |diff| {}, bit-identical {}/{}",
                run, EVENTS, String.format("%.2f", seconds), String.format("%.0f", EVENTS / seconds), maxDiff,
                identical, EVENTS);
        assertThat(maxDiff).as("max |stream - offline|").isLessThanOrEqualTo(TOLERANCE);
    }
}
