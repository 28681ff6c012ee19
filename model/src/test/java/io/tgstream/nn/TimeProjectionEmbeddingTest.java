package io.tgstream.nn;

import static io.tgstream.nn.GradientCheck.random;
import static io.tgstream.nn.GradientCheck.weightedSum;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class TimeProjectionEmbeddingTest {

    @Test
    void forwardScalesTheMemoryByOnePlusTheProjectedDelta() {
        Parameters parameters = new Parameters(DataType.DOUBLE, 1);
        TimeProjectionEmbedding embedding = new TimeProjectionEmbedding(parameters, "proj", 2);
        parameters.get("proj.weight").value().assign(Nd4j.createFromArray(new double[][] {{0.5, -1.0}}));
        parameters.get("proj.bias").value().assign(Nd4j.createFromArray(new double[][] {{0.0, 0.25}}));
        INDArray s = Nd4j.createFromArray(new double[][] {{2.0, 4.0}, {1.0, -1.0}});
        INDArray dt = Nd4j.createFromArray(new double[][] {{2.0}, {0.0}});
        // row 1: [2 (1 + 1), 4 (1 - 2 + 0.25)] = [4, -3]; row 2: [1 (1 + 0), -1 (1 + 0.25)] = [1, -1.25]
        assertThat(embedding.forward(s, dt).output().toDoubleMatrix())
                .isEqualTo(new double[][] {{4.0, -3.0}, {1.0, -1.25}});
    }

    @Test
    void backwardMatchesFiniteDifferences() {
        Parameters parameters = new Parameters(DataType.DOUBLE, 5);
        TimeProjectionEmbedding embedding = new TimeProjectionEmbedding(parameters, "proj", 4);
        INDArray s = random(40, 6, 4);
        INDArray dt = random(41, 6, 1);
        INDArray upstream = random(42, 6, 4);
        TimeProjectionEmbedding.InputGradients g = embedding.backward(embedding.forward(s, dt), upstream);
        DoubleSupplier loss = () -> weightedSum(embedding.forward(s, dt).output(), upstream);
        GradientCheck.check("memory", s, g.memory(), loss);
        GradientCheck.check("dt", dt, g.timeDeltas(), loss);
        GradientCheck.checkParameters(parameters, loss);
    }
}
