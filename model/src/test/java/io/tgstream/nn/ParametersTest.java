package io.tgstream.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class ParametersTest {

    private static Parameters model(long seed) {
        Parameters parameters = new Parameters(DataType.FLOAT, seed);
        new GruCell(parameters, "memory", 12, 8);
        new TimeEncoding(parameters, "time", 4);
        new LinkDecoder(parameters, "decoder", 8, 8);
        new NeighbourAttention(parameters, "attention", 8, 6, 8, 8, NeighbourAttention.DEFAULT_HEADS);
        return parameters;
    }

    @Test
    void sameSeedGivesIdenticalParametersAndOtherSeedsDiffer() {
        INDArray first = model(42).flatValues();
        INDArray second = model(42).flatValues();
        INDArray other = model(43).flatValues();
        assertThat(first.toFloatVector()).containsExactly(second.toFloatVector());
        assertThat(first.toFloatVector()).isNotEqualTo(other.toFloatVector());
    }

    @Test
    void aTensorsValuesDoNotDependOnWhatElseIsRegistered() {
        Parameters alone = new Parameters(DataType.DOUBLE, 7);
        Parameter a1 = alone.add("a", Initialisation.uniform(1.0), 3, 4);
        Parameters crowded = new Parameters(DataType.DOUBLE, 7);
        crowded.add("b", Initialisation.uniform(1.0), 5, 5);
        Parameter a2 = crowded.add("a", Initialisation.uniform(1.0), 3, 4);
        crowded.add("c", Initialisation.uniform(1.0), 2, 2);
        assertThat(a2.value().toDoubleMatrix()).isEqualTo(a1.value().toDoubleMatrix());
    }

    @Test
    void initialisationFollowsPyTorchBoundsAndRegistrationOrder() {
        Parameters parameters = new Parameters(DataType.DOUBLE, 3);
        new Linear(parameters, "fc", 16, 50);
        INDArray w = parameters.get("fc.weight").value();
        assertThat(w.amaxNumber().doubleValue()).isLessThanOrEqualTo(0.25).isGreaterThan(0.2);
        assertThat(parameters.list()).extracting(Parameter::name).containsExactly("fc.weight", "fc.bias");
        assertThat(parameters.length()).isEqualTo(16 * 50 + 50);
        // values are views of the flat buffer: a write through one shows in the other
        w.putScalar(0, 0, 9.0);
        assertThat(parameters.flatValues().getDouble(0, 0)).isEqualTo(9.0);
    }

    @Test
    void rejectsDuplicateNamesAndBadShapes() {
        Parameters parameters = new Parameters(DataType.FLOAT, 1);
        parameters.add("x", Initialisation.zeros(), 2, 2);
        assertThatThrownBy(() -> parameters.add("x", Initialisation.zeros(), 2, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already registered");
        assertThatThrownBy(() -> parameters.add("y", Initialisation.zeros(), 2, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-positive");
        assertThatThrownBy(() -> new Parameters(DataType.INT, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
