package io.tgstream.nn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Layers inside a batch workspace compute exactly what they compute outside, whatever the batch sizes. */
class BatchWorkspaceTest {

    @Test
    void resultsAndAccumulatedGradientsAreIdenticalInsideAndOutside() {
        Parameters outside = new Parameters(DataType.FLOAT, 3);
        GruCell cellOutside = new GruCell(outside, "gru", 7, 5);
        Parameters inside = new Parameters(DataType.FLOAT, 3);
        GruCell cellInside = new GruCell(inside, "gru", 7, 5);
        Adam adamOutside = new Adam(0.01);
        Adam adamInside = new Adam(0.01);
        // alternating sizes: the workspace must grow for the larger batch and stay correct for the smaller one
        int[] rows = {4, 40, 4, 400, 40, 4};
        for (int step = 0; step < rows.length; step++) {
            INDArray x = GradientCheck.random(100 + step, rows[step], 7).castTo(DataType.FLOAT);
            INDArray h = GradientCheck.random(200 + step, rows[step], 5).castTo(DataType.FLOAT);
            INDArray up = GradientCheck.random(300 + step, rows[step], 5).castTo(DataType.FLOAT);

            outside.zeroGradients();
            GruCell.Forward f = cellOutside.forward(x, h);
            INDArray expected = f.output();
            INDArray expectedDx = cellOutside.backward(f, up).input();
            adamOutside.step(outside);

            INDArray actual;
            INDArray actualDx;
            try (MemoryWorkspace ws = BatchWorkspace.open("test-batch")) {
                inside.zeroGradients();
                GruCell.Forward g = cellInside.forward(x, h);
                actual = g.output().detach();
                actualDx = cellInside.backward(g, up).input().detach();
                adamInside.step(inside);
            }
            assertThat(actual.toFloatMatrix()).isEqualTo(expected.toFloatMatrix());
            assertThat(actualDx.toFloatMatrix()).isEqualTo(expectedDx.toFloatMatrix());
            assertThat(inside.flatValues().toFloatVector()).containsExactly(outside.flatValues().toFloatVector());
            assertThat(inside.flatGradients().toFloatVector()).containsExactly(outside.flatGradients().toFloatVector());
        }
    }
}
