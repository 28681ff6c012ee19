package io.tgstream.nn;

import static io.tgstream.nn.GradientCheck.random;
import static io.tgstream.nn.GradientCheck.weightedSum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class LinearTest {

    @Test
    void forwardIsXWPlusB() {
        Parameters parameters = new Parameters(DataType.DOUBLE, 1);
        Linear linear = new Linear(parameters, "fc", 2, 3);
        parameters.get("fc.weight").value().assign(org.nd4j.linalg.factory.Nd4j.createFromArray(
                new double[][] {{1, 2, 3}, {4, 5, 6}}));
        parameters.get("fc.bias").value().assign(org.nd4j.linalg.factory.Nd4j.createFromArray(
                new double[][] {{0.5, -1, 0}}));
        INDArray x = org.nd4j.linalg.factory.Nd4j.createFromArray(new double[][] {{1, 1}, {2, -1}});
        INDArray y = linear.forward(x).output();
        // row 1: [1+4, 2+5, 3+6] + b; row 2: [2-4, 4-5, 6-6] + b
        assertThat(y.toDoubleMatrix()).isEqualTo(new double[][] {{5.5, 6, 9}, {-1.5, -2, 0}});
    }

    @Test
    void backwardMatchesFiniteDifferences() {
        Parameters parameters = new Parameters(DataType.DOUBLE, 2);
        Linear linear = new Linear(parameters, "fc", 4, 3);
        INDArray x = random(10, 5, 4);
        INDArray upstream = random(11, 5, 3);
        INDArray dx = linear.backward(linear.forward(x), upstream);
        DoubleSupplier loss = () -> weightedSum(linear.forward(x).output(), upstream);
        GradientCheck.check("x", x, dx, loss);
        GradientCheck.checkParameters(parameters, loss);
    }

    @Test
    void gradientsAccumulateOverCallsUntilZeroed() {
        Parameters parameters = new Parameters(DataType.DOUBLE, 2);
        Linear linear = new Linear(parameters, "fc", 4, 3);
        INDArray x = random(10, 5, 4);
        INDArray upstream = random(11, 5, 3);
        linear.backward(linear.forward(x), upstream);
        INDArray once = parameters.flatGradients().dup();
        assertThat(once.norm2Number().doubleValue()).isGreaterThan(0.0);
        linear.backward(linear.forward(x), upstream);
        assertThat(GoldenValues.maxAbsDifference(once.mul(2.0), parameters.flatGradients())).isLessThan(1e-12);
        parameters.zeroGradients();
        assertThat(parameters.flatGradients().norm2Number().doubleValue()).isEqualTo(0.0);
    }

    @Test
    void rejectsInputsOfTheWrongWidthOrType() {
        Parameters parameters = new Parameters(DataType.FLOAT, 2);
        Linear linear = new Linear(parameters, "fc", 4, 3);
        assertThatThrownBy(() -> linear.forward(random(1, 5, 3).castTo(DataType.FLOAT)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[rows, 4]");
        assertThatThrownBy(() -> linear.forward(random(1, 5, 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("castTo");
    }
}
