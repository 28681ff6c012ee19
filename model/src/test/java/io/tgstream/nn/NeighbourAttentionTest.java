package io.tgstream.nn;

import static io.tgstream.nn.GradientCheck.random;
import static io.tgstream.nn.GradientCheck.weightedSum;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class NeighbourAttentionTest {
    private static final String[] PARAMETERS = {"query.weight", "query.bias", "key.weight", "key.bias",
        "value.weight", "value.bias", "output.weight", "output.bias"};

    private static INDArray mask() {
        // full row, partly empty rows, and a row with no valid slot at all
        return Nd4j.createFromArray(new double[][] {
            {1, 1, 1, 1}, {1, 0, 1, 0}, {0, 0, 0, 0}, {0, 0, 0, 1}, {1, 1, 0, 0}});
    }

    @Test
    void backwardMatchesFiniteDifferences() {
        Parameters parameters = new Parameters(DataType.DOUBLE, 5);
        NeighbourAttention attention = new NeighbourAttention(parameters, "att", 3, 5, 6, 4, 2);
        INDArray query = random(60, 5, 3).muli(2.0);
        INDArray entries = random(61, 5, 4, 5).muli(2.0);
        INDArray upstream = random(62, 5, 4);
        INDArray mask = mask();
        NeighbourAttention.InputGradients g = attention.backward(attention.forward(query, entries, mask), upstream);
        DoubleSupplier loss = () -> weightedSum(attention.forward(query, entries, mask).output(), upstream);
        GradientCheck.check("query", query, g.query(), loss);
        GradientCheck.check("entries", entries, g.entries(), loss);
        GradientCheck.checkParameters(parameters, loss);
    }

    @Test
    void rowsWithoutValidSlotsGiveZerosAndEmptySlotsAreIgnored() {
        Parameters parameters = new Parameters(DataType.FLOAT, 5);
        NeighbourAttention attention = new NeighbourAttention(parameters, "att", 3, 5, 6, 4, 2);
        INDArray query = random(60, 5, 3).castTo(DataType.FLOAT);
        INDArray entries = random(61, 5, 4, 5).castTo(DataType.FLOAT);
        INDArray mask = mask().castTo(DataType.FLOAT);
        INDArray out = attention.forward(query, entries, mask).output();
        assertThat(out.getRow(2).amaxNumber().doubleValue()).isEqualTo(0.0);
        assertThat(Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.impl.reduce.longer.MatchCondition(
                out, org.nd4j.linalg.indexing.conditions.Conditions.isNan())).getInt(0)).isZero();
        // changing what an empty slot holds (even to huge values) changes nothing
        INDArray altered = entries.dup();
        altered.get(NDArrayIndex.point(1), NDArrayIndex.point(1), NDArrayIndex.all()).assign(1e6);
        altered.get(NDArrayIndex.point(2), NDArrayIndex.all(), NDArrayIndex.all()).assign(-1e6);
        INDArray again = attention.forward(query, altered, mask).output();
        assertThat(GoldenValues.maxAbsDifference(out, again)).isEqualTo(0.0);
    }

    @Test
    void matchesAnIndependentPyTorchImplementation() {
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            double tolerance = type == DataType.DOUBLE ? 1e-12 : 2e-5;
            GoldenValues golden = GoldenValues.load("attention.txt");
            Parameters parameters = new Parameters(type, 1);
            NeighbourAttention attention = new NeighbourAttention(parameters, "att", 5, 6, 4, 3, 2);
            for (String p : PARAMETERS) {
                golden.copyInto(parameters, "att." + p, p);
            }
            NeighbourAttention.Forward f = attention.forward(golden.get("query", type), golden.get("entries", type),
                    golden.get("mask", type));
            golden.assertClose("out", f.output(), tolerance);
            NeighbourAttention.InputGradients g = attention.backward(f, golden.get("upstream", type));
            golden.assertClose("d_query", g.query(), tolerance);
            golden.assertClose("d_entries", g.entries(), tolerance);
            for (String p : PARAMETERS) {
                golden.assertClose("d_" + p, parameters.get("att." + p).gradient(), tolerance);
            }
        }
    }
}
