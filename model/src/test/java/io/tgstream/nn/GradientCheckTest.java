package io.tgstream.nn;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The checker itself: it accepts a right gradient and rejects a wrong one, on plain tensors and on parameters. */
class GradientCheckTest {

    @Test
    void acceptsTheRightGradientAndRejectsAWrongOne() {
        INDArray x = GradientCheck.random(1, 3, 4);
        INDArray upstream = GradientCheck.random(2, 3, 4);
        // L = sum(x^3 * u), dL/dx = 3 x^2 u
        java.util.function.DoubleSupplier loss = () -> GradientCheck.weightedSum(Transforms.pow(x, 3, true), upstream);
        INDArray right = x.mul(x).muli(3.0).muli(upstream);
        INDArray wrong = x.mul(x).muli(2.9).muli(upstream);
        assertThatCode(() -> GradientCheck.check("x", x, right, loss)).doesNotThrowAnyException();
        assertThatThrownBy(() -> GradientCheck.check("x", x, wrong, loss)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("relative error");
    }

    @Test
    void perturbsParametersThroughTheRegistry() {
        Parameters parameters = new Parameters(DataType.DOUBLE, 3);
        Parameter a = parameters.add("a", Initialisation.uniform(1.0), 2, 3);
        Parameter b = parameters.add("b", Initialisation.uniform(1.0), 1, 3);
        // L = sum(a * a) + 2 sum(b): dL/da = 2a, dL/db = 2
        java.util.function.DoubleSupplier loss = () -> a.value().mul(a.value()).sumNumber().doubleValue()
                + 2 * b.value().sumNumber().doubleValue();
        a.gradient().assign(a.value().mul(2.0));
        b.gradient().assign(2.0);
        assertThatCode(() -> GradientCheck.checkParameters(parameters, loss)).doesNotThrowAnyException();
        b.gradient().putScalar(0, 1, 2.1);
        assertThatThrownBy(() -> GradientCheck.checkParameters(parameters, loss))
                .isInstanceOf(AssertionError.class).hasMessageContaining("parameter b");
    }
}
