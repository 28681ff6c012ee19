package io.tgstream.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class AdamTest {

    @Test
    void firstStepOnAHandComputedCase() {
        Parameters parameters = new Parameters(DataType.DOUBLE, 1);
        Parameter p = parameters.add("p", Initialisation.values(new double[] {1.0, 2.0}), 1, 2);
        p.gradient().assign(Nd4j.createFromArray(new double[][] {{0.5, -2.0}}));
        new Adam(0.1).step(parameters);
        // m = 0.1 g = [0.05, -0.2]; v = 0.001 g^2 = [0.00025, 0.004]; bias corrections 0.1 and 0.001
        // denominator = sqrt(v) / sqrt(0.001) + 1e-8 = [0.50000001, 2.00000001]; step size = 0.1 / 0.1 = 1
        // p = [1 - 0.05 / 0.50000001, 2 + 0.2 / 2.00000001] = [0.900000002, 2.0999999995] (to 1e-16)
        assertThat(p.value().getDouble(0, 0)).isCloseTo(0.900000002, offset(1e-15));
        assertThat(p.value().getDouble(0, 1)).isCloseTo(2.0999999995, offset(1e-15));
    }

    @Test
    void threeStepsMatchTorchOptimAdam() {
        GoldenValues golden = GoldenValues.load("adam.txt");
        Parameters parameters = new Parameters(DataType.DOUBLE, 1);
        Parameter p = parameters.add("p", Initialisation.zeros(), 2, 3);
        p.value().assign(golden.get("start"));
        Adam adam = new Adam(0.01);
        for (int step = 0; step < 3; step++) {
            p.gradient().assign(golden.get("grad" + step));
            adam.step(parameters);
            golden.assertClose("after" + step, p.value(), 1e-14);
        }
        assertThat(adam.steps()).isEqualTo(3);
    }

    @Test
    void stateSurvivesAWorkspaceOpenedAroundTheStep() {
        GoldenValues golden = GoldenValues.load("adam.txt");
        Parameters parameters = new Parameters(DataType.DOUBLE, 1);
        Parameter p = parameters.add("p", Initialisation.zeros(), 2, 3);
        p.value().assign(golden.get("start"));
        Adam adam = new Adam(0.01);
        org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration config =
                org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration.builder().build();
        for (int step = 0; step < 3; step++) {
            try (org.nd4j.linalg.api.memory.MemoryWorkspace ws =
                         Nd4j.getWorkspaceManager().getAndActivateWorkspace(config, "adam-test")) {
                p.gradient().assign(golden.get("grad" + step));
                adam.step(parameters);
            }
            golden.assertClose("after" + step, p.value(), 1e-14);
        }
    }

    @Test
    void refusesParametersAddedAfterTheFirstStep() {
        Parameters parameters = new Parameters(DataType.DOUBLE, 1);
        parameters.add("a", Initialisation.zeros(), 1, 2);
        Adam adam = new Adam(0.01);
        adam.step(parameters);
        parameters.add("b", Initialisation.zeros(), 1, 2);
        assertThatThrownBy(() -> adam.step(parameters)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("register every layer before the first step");
    }
}
