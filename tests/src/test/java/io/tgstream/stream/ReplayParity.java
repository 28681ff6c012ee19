package io.tgstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.tgstream.data.EdgeStream;
import io.tgstream.eval.ChronologicalSplit;
import io.tgstream.eval.EvalConfig;
import io.tgstream.eval.EvalResult;
import io.tgstream.eval.EvalSetting;
import io.tgstream.eval.NegativeKind;
import io.tgstream.eval.StreamReplayPlan;
import io.tgstream.jobs.replay.ReplayOutcome;
import io.tgstream.jobs.replay.StreamReplay;
import io.tgstream.model.MemoryModel;
import io.tgstream.model.MemoryReplay;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a stream replay and checks it against the offline evaluator, score for score; shared by the replay tests. */
final class ReplayParity {
    private static final Logger LOG = LoggerFactory.getLogger(ReplayParity.class);
    static final double TOLERANCE = StreamParityTest.TOLERANCE;

    private ReplayParity() {}

    /** Replays and asserts parity; returns the largest |stream - offline| over every positive and probe. */
    static double check(EdgeStream stream, MemoryModel model, Path modelFile, EvalConfig config, EvalSetting setting,
                        List<NegativeKind> kinds, int parallelism, Path workDir) throws Exception {
        return check(stream, model, modelFile, config, setting, kinds, parallelism, workDir, "float", TOLERANCE);
    }

    /**
     * As above, with the job computing in {@code precision} ({@code model} must be loaded in the same) and the given
     * tolerance.
     */
    static double check(EdgeStream stream, MemoryModel model, Path modelFile, EvalConfig config, EvalSetting setting,
                        List<NegativeKind> kinds, int parallelism, Path workDir, String precision, double tolerance)
            throws Exception {
        ChronologicalSplit split = ChronologicalSplit.of(stream);
        StreamReplayPlan plan = StreamReplayPlan.of(split, config, setting, kinds);
        ReplayOutcome outcome = StreamReplay.run(plan, modelFile,
                StreamReplay.Settings.defaults(workDir).withParallelism(parallelism).withPrecision(precision), null);
        assertThat(outcome.records()).isEqualTo(plan.records().size());
        assertThat(outcome.deadLetters()).isZero();
        double largest = 0;
        int compared = 0;
        for (NegativeKind kind : kinds) {
            StreamReplayPlan.OfflineScores offline = plan.offline(split, config, kind, new MemoryReplay(model, stream));
            for (int e : offline.scoredEdges()) {
                double d = Math.abs(outcome.edge(e) - offline.edge(e));
                assertThat(d).as("%s positive, event %d", kind, e).isLessThanOrEqualTo(tolerance);
                largest = Math.max(largest, d);
                compared++;
            }
            for (String id : offline.probeIds()) {
                double d = Math.abs(outcome.probe(id) - offline.probe(id));
                assertThat(d).as("probe %s", id).isLessThanOrEqualTo(tolerance);
                largest = Math.max(largest, d);
                compared++;
            }
            EvalResult streamed = plan.evaluate(kind, outcome);
            assertThat(streamed.test().positives()).isEqualTo(offline.result().test().positives()).isPositive();
            assertThat(streamed.test().ap()).as("%s test AP", kind)
                    .isCloseTo(offline.result().test().ap(), org.assertj.core.data.Offset.offset(1e-4));
            LOG.info("replay parity {} {} {} p={}: stream AP {} offline AP {}", stream.name(), setting.cliName(),
                    kind.cliName(), parallelism, streamed.test().ap(), offline.result().test().ap());
        }
        LOG.info("replay parity ({}) {} {} p={}: {} records, {} scores compared, largest difference {}, {} records/s",
                precision, stream.name(), setting.cliName(), parallelism, outcome.records(), compared, largest,
                String.format("%.0f", outcome.recordsPerSecond()));
        return largest;
    }
}
