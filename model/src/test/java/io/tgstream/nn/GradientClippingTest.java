package io.tgstream.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class GradientClippingTest {

    private static Parameters threeAndFour() {
        Parameters parameters = new Parameters(DataType.DOUBLE, 1);
        parameters.add("a", Initialisation.zeros(), 1, 1).gradient().assign(3.0);
        parameters.add("b", Initialisation.zeros(), 1, 1).gradient().assign(4.0);
        return parameters;
    }

    @Test
    void scalesAllGradientsByTheGlobalNorm() {
        Parameters parameters = threeAndFour();
        // global norm over both tensors = sqrt(9 + 16) = 5; coefficient 1 / (5 + 1e-6)
        double norm = GradientClipping.clipGlobalNorm(parameters, 1.0);
        assertThat(norm).isEqualTo(5.0);
        assertThat(parameters.get("a").gradient().getDouble(0)).isCloseTo(3.0 / 5.000001, offset(1e-15));
        assertThat(parameters.get("b").gradient().getDouble(0)).isCloseTo(4.0 / 5.000001, offset(1e-15));
    }

    @Test
    void leavesSmallGradientsAlone() {
        Parameters parameters = threeAndFour();
        assertThat(GradientClipping.clipGlobalNorm(parameters, 10.0)).isEqualTo(5.0);
        assertThat(parameters.get("a").gradient().getDouble(0)).isEqualTo(3.0);
        assertThat(parameters.get("b").gradient().getDouble(0)).isEqualTo(4.0);
    }
}
