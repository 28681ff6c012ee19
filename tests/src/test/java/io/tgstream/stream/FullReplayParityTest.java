package io.tgstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.tgstream.data.DataDirectory;
import io.tgstream.data.EdgeStream;
import io.tgstream.data.NamedDataset;
import io.tgstream.eval.ChronologicalSplit;
import io.tgstream.eval.EvalConfig;
import io.tgstream.eval.EvalSetting;
import io.tgstream.eval.NegativeKind;
import io.tgstream.model.EmbeddingKind;
import io.tgstream.model.MemoryModel;
import io.tgstream.model.MemoryModelConfig;
import io.tgstream.model.MemoryModelFile;
import io.tgstream.model.TimeScale;
import io.tgstream.train.MemoryTrainer;
import io.tgstream.train.TrainingConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Parity on the full data sets: uci and wikipedia replayed whole through Kafka and the job (the evaluator's batches of
 * B = 200, its rnd negatives as probes) at parallelism 1 and 2, with the model at its default width, PRES and recent
 * partners, trained for one epoch. Every positive and probe equals the offline evaluator's score within 1e-5. Heavy.
 *
 * <p>Job and offline replay compute in double here. In float, the same row of a matrix product comes out of BLAS
 * differently depending on how many rows share the call (measured: up to 3e-6 on this machine), the stream groups rows
 * differently from the offline replay (per subtask, per batch), and the recurrent memory carries the difference on:
 * over the full data sets that reaches 1.1e-5 (uci) to 1.5e-5 (wikipedia). Double isolates the logic from that
 * rounding; {@code tgstream replay} reports the float figure.
 */
@Tag("heavy")
class FullReplayParityTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}, parallelism {1}")
    @CsvSource({"UCI, 1", "UCI, 2", "WIKIPEDIA, 1", "WIKIPEDIA, 2"})
    void everyScoreOfTheFullReplayEqualsTheOfflineEvaluator(NamedDataset dataset, int parallelism) throws Exception {
        Optional<Path> file = DataDirectory.resolve(null).find(dataset);
        Assumptions.assumeTrue(file.isPresent(), dataset.cliName() + " is not in the data directory (system property "
                + DataDirectory.PROPERTY + "); see its SOURCE.md");
        EdgeStream stream = dataset.load(file.get(), false).stream();
        ChronologicalSplit split = ChronologicalSplit.of(stream);
        MemoryModelConfig config = MemoryModelConfig.defaults(stream.featureDim(),
                        TimeScale.of(stream, MemoryTrainer.trainingEvents(split)))
                .withEmbedding(EmbeddingKind.RECENT_PARTNERS).withPres(true);
        MemoryModel trained = new MemoryModel(config, DataType.FLOAT);
        new MemoryTrainer(trained, split, TrainingConfig.defaults().withEpochs(1), null).train();
        Path modelFile = dir.resolve("model.tgm");
        MemoryModelFile.save(trained, modelFile);
        MemoryModel model = MemoryModelFile.load(modelFile, DataType.DOUBLE);
        double largest = ReplayParity.check(stream, model, modelFile, EvalConfig.defaults(), EvalSetting.TRANSDUCTIVE,
                List.of(NegativeKind.RND), parallelism, dir.resolve("replay"), "double", ReplayParity.TOLERANCE);
        assertThat(largest).isLessThanOrEqualTo(ReplayParity.TOLERANCE);
    }
}
