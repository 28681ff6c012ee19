package io.tgstream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tgstream.modelfile.ModelFile;
import io.tgstream.modelfile.ModelFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The log time projection: hand-computed embeddings, and the model file's record of it. */
class LogTimeProjectionTest {
    @TempDir
    Path dir;

    /** d = 4, tau = 7 (tinyConfig); w = (0.5, -1, 2, 0), b = (0, 0.25, 0, -0.5), s = (1, 2, -1, 3). */
    private static MemoryModel model(boolean log) {
        MemoryModel m = new MemoryModel(SmallStreams.tinyConfig(0, EmbeddingKind.TIME_PROJECTION, false)
                .withLogTimeProjection(log), DataType.DOUBLE);
        m.parameters().get("embedding.projection.weight").value().assign(
                Nd4j.createFromArray(new double[][] {{0.5, -1, 2, 0}}));
        m.parameters().get("embedding.projection.bias").value().assign(
                Nd4j.createFromArray(new double[][] {{0, 0.25, 0, -0.5}}));
        return m;
    }

    private static double[] embed(MemoryModel m, double dt) {
        INDArray s = Nd4j.createFromArray(new double[][] {{1, 2, -1, 3}});
        INDArray t = Nd4j.createFromArray(new double[][] {{dt}});
        return m.embed(s, t, null).output().toDoubleVector();
    }

    @Test
    void anIdleNodeGrowsWithTheLogOfItsIdleTime() {
        double tau = 7.0;
        // dt = tau (e^2 - 1): x = log(e^2) = 2, gain = 1 + 2 w + b = (2, -0.75, 5, 0.5)
        double dt = tau * (Math.exp(2) - 1);
        assertThat(embed(model(true), dt)).containsExactly(new double[] {2, -1.5, -5, 1.5}, within(1e-12));
        // linear: x = e^2 - 1 = 6.389..., gain = 1 + x w + b
        double x = Math.exp(2) - 1;
        assertThat(embed(model(false), dt)).containsExactly(
                new double[] {1 + 0.5 * x, 2 * (1.25 - x), -(1 + 2 * x), 3 * 0.5}, within(1e-12));
        // a negative dt keeps its sign: x = -log(1 + |dt| / tau) = -1 at dt = -tau (e - 1)
        assertThat(embed(model(true), -tau * (Math.E - 1))).containsExactly(
                new double[] {0.5, 2 * 2.25, 1, 1.5}, within(1e-12));
    }

    @Test
    void theModelFileRecordsItAndOlderFilesProjectLinearly() throws Exception {
        MemoryModel log = model(true);
        Path file = dir.resolve("log.tgm");
        MemoryModelFile.save(log, file);
        assertThat(ModelFile.read(file).header().config()).containsEntry("time_projection", "log");
        assertThat(MemoryModelFile.load(file, DataType.DOUBLE).config().logTimeProjection()).isTrue();

        Path linear = dir.resolve("linear.tgm");
        MemoryModelFile.save(model(false), linear);
        assertThat(ModelFile.read(linear).header().config()).doesNotContainKey("time_projection");
        assertThat(MemoryModelFile.load(linear).config().logTimeProjection()).isFalse();
    }

    @Test
    void aGarbledProjectionKeyIsABadFile() throws Exception {
        MemoryModel m = model(false);
        Path file = dir.resolve("garbled.tgm");
        HeaderEdit.writeWith(m, "time_projection", "sideways", file);
        assertThatThrownBy(() -> MemoryModelFile.load(file)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("time_projection");
    }
}
