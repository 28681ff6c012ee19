package io.tgstream.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tgstream.data.EdgeStream;
import io.tgstream.eval.ChronologicalSplit;
import io.tgstream.model.EmbeddingKind;
import io.tgstream.model.MemoryModel;
import io.tgstream.model.MemoryModelConfig;
import io.tgstream.model.MemoryModelFile;
import io.tgstream.model.MemoryReplay;
import io.tgstream.model.SmallStreams;
import io.tgstream.modelfile.ModelFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/** Same data, config and seed give the same model file and the same scores; the file restores the model exactly. */
class DeterminismTest {
    @TempDir
    Path dir;

    private static MemoryModel train(EdgeStream stream, long seed, boolean pres) {
        MemoryModelConfig config = SmallStreams.tinyConfig(2, EmbeddingKind.RECENT_PARTNERS, pres).withSeed(seed);
        MemoryModel model = new MemoryModel(config, DataType.FLOAT);
        TrainingConfig tc = TrainingConfig.defaults().withBatchSize(20).withEpochs(2).withSeed(seed);
        new MemoryTrainer(model, ChronologicalSplit.of(stream), tc, null).train();
        return model;
    }

    private static float[] scores(MemoryModel model, EdgeStream stream) {
        MemoryReplay replay = new MemoryReplay(model, stream);
        replay.apply(range(0, 300));
        int[] src = new int[stream.nodeCount()];
        int[] dst = new int[stream.nodeCount()];
        long[] t = new long[stream.nodeCount()];
        for (int i = 0; i < src.length; i++) {
            src[i] = i;
            dst[i] = (i + 1) % src.length;
            t[i] = stream.lastTimestamp() + 1;
        }
        return replay.score(src, dst, t);
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) r[i] = from + i;
        return r;
    }

    @Test
    void twoRunsWithTheSameSeedWriteIdenticalModelFiles() throws Exception {
        EdgeStream stream = SmallStreams.random(400, 30, 2, 9);
        Path a = dir.resolve("a.tgm");
        Path b = dir.resolve("b.tgm");
        Path c = dir.resolve("c.tgm");
        MemoryModelFile.save(train(stream, 1, true), a);
        MemoryModelFile.save(train(stream, 1, true), b);
        MemoryModelFile.save(train(stream, 2, true), c);
        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
        assertThat(Files.readAllBytes(a)).as("another seed trains another model").isNotEqualTo(Files.readAllBytes(c));
    }

    @Test
    void aLoadedModelScoresExactlyAsTheTrainedOne() throws Exception {
        EdgeStream stream = SmallStreams.random(400, 30, 2, 9);
        MemoryModel trained = train(stream, 3, false);
        Path file = dir.resolve("m.tgm");
        MemoryModelFile.save(trained, file);
        MemoryModel loaded = MemoryModelFile.load(file);
        assertThat(loaded.config()).isEqualTo(trained.config());
        assertThat(scores(loaded, stream)).isEqualTo(scores(trained, stream));
    }

    @Test
    void aFileOfAnotherModelFamilyIsRefused() throws Exception {
        Path file = dir.resolve("other.tgm");
        io.tgstream.nn.Parameters p = new io.tgstream.nn.Parameters(DataType.FLOAT, 1);
        new io.tgstream.nn.Linear(p, "x", 2, 2);
        io.tgstream.modelfile.ModelFile.write(file,
                new io.tgstream.modelfile.ModelHeader(java.util.Map.of("model", "edgebank"), 1, 0), p);
        assertThatThrownBy(() -> MemoryModelFile.load(file)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("not a memory model");
    }
}
