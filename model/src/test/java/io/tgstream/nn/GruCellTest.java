package io.tgstream.nn;

import static io.tgstream.nn.GradientCheck.random;
import static io.tgstream.nn.GradientCheck.weightedSum;

import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class GruCellTest {
    private static final String[] PARAMETERS = {"weight_ih", "weight_hh", "bias_ih", "bias_hh"};

    @Test
    void backwardMatchesFiniteDifferences() {
        Parameters parameters = new Parameters(DataType.DOUBLE, 5);
        GruCell cell = new GruCell(parameters, "gru", 5, 4);
        INDArray x = random(20, 6, 5);
        INDArray h = random(21, 6, 4);
        INDArray upstream = random(22, 6, 4);
        GruCell.InputGradients g = cell.backward(cell.forward(x, h), upstream);
        DoubleSupplier loss = () -> weightedSum(cell.forward(x, h).output(), upstream);
        GradientCheck.check("x", x, g.input(), loss);
        GradientCheck.check("h", h, g.hidden(), loss);
        GradientCheck.checkParameters(parameters, loss);
    }

    @Test
    void matchesPyTorchGruCellInDouble() {
        checkAgainstGolden(DataType.DOUBLE, 1e-12);
    }

    @Test
    void matchesPyTorchGruCellInFloat() {
        checkAgainstGolden(DataType.FLOAT, 2e-5);
    }

    private static void checkAgainstGolden(DataType type, double tolerance) {
        GoldenValues golden = GoldenValues.load("gru_cell.txt");
        Parameters parameters = new Parameters(type, 1);
        GruCell cell = new GruCell(parameters, "gru", 5, 4);
        for (String p : PARAMETERS) {
            golden.copyInto(parameters, "gru." + p, p);
        }
        GruCell.Forward f = cell.forward(golden.get("x", type), golden.get("h", type));
        golden.assertClose("out", f.output(), tolerance);
        GruCell.InputGradients g = cell.backward(f, golden.get("upstream", type));
        golden.assertClose("d_x", g.input(), tolerance);
        golden.assertClose("d_h", g.hidden(), tolerance);
        for (String p : PARAMETERS) {
            golden.assertClose("d_" + p, parameters.get("gru." + p).gradient(), tolerance);
        }
    }
}
