package io.tgstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.tgstream.data.EdgeStream;
import io.tgstream.eval.EvalConfig;
import io.tgstream.eval.EvalSetting;
import io.tgstream.eval.NegativeKind;
import io.tgstream.model.EmbeddingKind;
import io.tgstream.model.MemoryModel;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The evaluation protocol through the real stack (in-process Kafka, MiniCluster, RocksDB) on a synthetic stream: every
 * positive and every probe (negatives of two kinds) is scored once, equal to the offline evaluator's score, and the
 * metrics computed from the stream equal the evaluator's; transductive (batches of B) and inductive (longer batches
 * closed by end_batch edges).
 */
class StreamReplayTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}, parallelism {1}")
    @CsvSource({"TRANSDUCTIVE, 2", "INDUCTIVE, 1"})
    void theStreamReproducesTheEvaluator(EvalSetting setting, int parallelism) throws Exception {
        EdgeStream stream = ParityFixture.syntheticStream(2_500, 150, 21);
        Path file = dir.resolve("model.tgm");
        MemoryModel model = ParityFixture.trainAndSave(stream, EmbeddingKind.RECENT_PARTNERS, true, file);
        double largest = ReplayParity.check(stream, model, file, EvalConfig.defaults().withBatchSize(100), setting,
                List.of(NegativeKind.RND, NegativeKind.HIST), parallelism, dir.resolve("replay"));
        assertThat(largest).isLessThanOrEqualTo(ReplayParity.TOLERANCE);
    }
}
