package io.tgstream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import io.tgstream.data.EdgeEvent;
import io.tgstream.data.EdgeStream;
import io.tgstream.modelfile.ModelFile;
import io.tgstream.modelfile.ModelFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** PRES's DROPPED correction: message counts, the update s' = g + gamma (m - 1) mu, and its model-file key. */
class DroppedMessagesCorrectionTest {
    @TempDir
    Path dir;

    private static MemoryModel model(boolean pres, PresCorrection correction) {
        return new MemoryModel(SmallStreams.tinyConfig(0, EmbeddingKind.TIME_PROJECTION, pres)
                .withPresCorrection(correction), DataType.DOUBLE);
    }

    @Test
    void lastMessagesCountEveryMessageOfANodeAndASelfLoopTwice() {
        EdgeStream stream = EdgeStream.of("counts", "s", 0, List.of(
                new EdgeEvent("a", "b", 1, new float[0], 0, 1),
                new EdgeEvent("a", "c", 2, new float[0], 0, 1),
                new EdgeEvent("d", "d", 3, new float[0], 0, 1),
                new EdgeEvent("b", "a", 4, new float[0], 0, 1)));
        int[] slots = new int[stream.nodeCount()];
        Arrays.fill(slots, -1);
        LastMessages last = LastMessages.of(stream, new int[] {0, 1, 2, 3}, slots);
        Map<String, Integer> counts = new LinkedHashMap<>();
        Map<String, String> partners = new LinkedHashMap<>();
        for (int i = 0; i < last.size(); i++) {
            counts.put(stream.nodeId(last.node(i)), last.count(i));
            partners.put(stream.nodeId(last.node(i)), stream.nodeId(last.partner(i)));
        }
        assertThat(counts).containsExactly(Map.entry("a", 3), Map.entry("b", 2), Map.entry("c", 1),
                Map.entry("d", 2));
        assertThat(partners).containsEntry("a", "b").containsEntry("d", "d");
        assertThat(slots).containsOnly(-1);
    }

    @Test
    void theWeightIsTheNumberOfDroppedMessages() {
        assertThat(PresCorrection.DROPPED.weight(1)).isZero();
        assertThat(PresCorrection.DROPPED.weight(4)).isEqualTo(3f);
        assertThat(PresCorrection.FUSE.weight(4)).isEqualTo(1f);
        assertThatThrownBy(() -> PresCorrection.parse("both")).hasMessageContaining("fuse or dropped");
    }

    @Test
    void theUpdateAddsGammaTimesDroppedMessagesTimesTheMeanChangeToTheGruOutput() {
        MemoryModel dropped = model(true, PresCorrection.DROPPED);
        MemoryModel off = model(false, PresCorrection.FUSE);
        // same seed and layout: the same GRU, so g is the PRES-off update
        assertThat(dropped.parameters().get("memory.gru.weight_ih").value())
                .isEqualTo(off.parameters().get("memory.gru.weight_ih").value());
        INDArray own = Nd4j.create(new double[][] {{0.1, -0.2, 0.3, 0.0}, {0.5, 0.5, -0.5, 0.2}, {0, 0, 0, 0}});
        INDArray partner = Nd4j.create(new double[][] {{0.2, 0.1, 0.0, -0.1}, {0.0, 0.3, 0.1, 0.1}, {1, 1, 1, 1}});
        INDArray dt = Nd4j.create(new double[][] {{3}, {0}, {12}});
        INDArray mu = Nd4j.create(new double[][] {{0.01, 0.02, -0.03, 0.04}, {0.1, -0.1, 0.2, 0.0}, {0, 0, 0, 0}});
        INDArray w = Nd4j.create(new double[][] {{2}, {0}, {0}});
        double[][] g = off.updateMemory(own, partner, dt, null, null, null).output().toDoubleMatrix();
        double[][] s = dropped.updateMemory(own, partner, dt, null, mu, w).output().toDoubleMatrix();
        double gamma = dropped.presGamma();
        assertThat(gamma).isEqualTo(0.7);
        for (int j = 0; j < 4; j++) {
            // row 0: two dropped messages; row 1: one message, updated as without PRES; row 2: no history
            assertThat(s[0][j]).isCloseTo(g[0][j] + gamma * 2 * mu.getDouble(0, j),
                    offset(1e-12));
            assertThat(s[1][j]).isEqualTo(g[1][j]);
            assertThat(s[2][j]).isEqualTo(g[2][j]);
        }
        // and the correction is not FUSE's: row 1 (one message, a prediction) would move under FUSE
        double[][] fused = model(true, PresCorrection.FUSE).updateMemory(own, partner, dt, null, mu,
                Nd4j.create(new double[][] {{1}, {1}, {0}})).output().toDoubleMatrix();
        assertThat(fused[1][0]).isNotEqualTo(g[1][0]);
    }

    @Test
    void theMeanChangeObservesTheGruStepNotTheCorrectedMemory() {
        MemoryModel dropped = model(true, PresCorrection.DROPPED);
        INDArray own = Nd4j.create(new double[][] {{0.1, -0.2, 0.3, 0.0}});
        INDArray partner = Nd4j.create(new double[][] {{0.2, 0.1, 0.0, -0.1}});
        INDArray mu = Nd4j.create(new double[][] {{0.5, 0.5, 0.5, 0.5}});
        MemoryModel.UpdateForward f = dropped.updateMemory(own, partner, Nd4j.create(new double[][] {{3}}), null, mu,
                Nd4j.create(new double[][] {{4}}));
        float[] g = MemoryModel.floats(f.gru().output());
        float[] corrected = MemoryModel.floats(f.output());
        assertThat(dropped.presObserved(f)).containsExactly(g);
        assertThat(corrected).isNotEqualTo(g);

        NodeMemoryTable table = new NodeMemoryTable(1, dropped.config());
        table.commitMemory(0, MemoryModel.floats(own), 0, 1L);
        table.commitMemory(0, corrected, 0, 2L, dropped.presObserved(f));
        float[] mean = new float[4];
        table.copyPresMean(0, mean, 0);
        float[] s = MemoryModel.floats(own);
        for (int j = 0; j < 4; j++) {
            // two updates from zero memory: the first changed by s, the second observed g - s; mean of the two
            assertThat(mean[j]).isCloseTo((s[j] + (g[j] - s[j])) / 2, offset(1e-6f));
        }
        assertThat(table.memory(0, 0)).isEqualTo(corrected[0]);
        // FUSE keeps PRES's own statistic, the stored memory's change
        MemoryModel fuse = model(true, PresCorrection.FUSE);
        assertThat(fuse.presObserved(fuse.updateMemory(own, partner, Nd4j.create(new double[][] {{3}}), null, mu,
                Nd4j.create(new double[][] {{1}})))).isNull();
    }

    @Test
    void theModelFileRecordsItAndOlderFilesFuse() throws Exception {
        Path file = dir.resolve("dropped.tgm");
        MemoryModelFile.save(model(true, PresCorrection.DROPPED), file);
        assertThat(ModelFile.read(file).header().config()).containsEntry("pres_correction", "dropped");
        assertThat(MemoryModelFile.load(file).config().presCorrection()).isEqualTo(PresCorrection.DROPPED);

        Path fuse = dir.resolve("fuse.tgm");
        MemoryModelFile.save(model(true, PresCorrection.FUSE), fuse);
        assertThat(ModelFile.read(fuse).header().config()).doesNotContainKey("pres_correction");
        assertThat(MemoryModelFile.load(fuse).config().presCorrection()).isEqualTo(PresCorrection.FUSE);
    }

    @Test
    void aGarbledCorrectionKeyIsABadFile() throws Exception {
        MemoryModel m = model(true, PresCorrection.FUSE);
        Path file = dir.resolve("garbled.tgm");
        HeaderEdit.writeWith(m, "pres_correction", "sometimes", file);
        assertThatThrownBy(() -> MemoryModelFile.load(file)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("pres_correction");
    }
}
