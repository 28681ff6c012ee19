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

/** The ragged attention: finite differences, and the same function and gradients as the padded one. */
class RaggedAttentionTest {
    private static final String[] PARAMETERS = {"query.weight", "query.bias", "key.weight", "key.bias",
        "value.weight", "value.bias", "output.weight", "output.bias"};
    /** Runs of 4, 2, 0, 1 and 2 entries (the same rows as the padded test's mask, valid slots first). */
    private static final int[] OFFSETS = {0, 4, 6, 6, 7, 9};

    @Test
    void backwardMatchesFiniteDifferences() {
        Parameters parameters = new Parameters(DataType.DOUBLE, 5);
        RaggedAttention attention = new RaggedAttention(parameters, "att", 3, 5, 6, 4, 2);
        INDArray query = random(60, 5, 3).muli(2.0);
        INDArray entries = random(61, 9, 5).muli(2.0);
        INDArray upstream = random(62, 5, 4);
        RaggedAttention.InputGradients g = attention.backward(attention.forward(query, entries, OFFSETS), upstream);
        DoubleSupplier loss = () -> weightedSum(attention.forward(query, entries, OFFSETS).output(), upstream);
        GradientCheck.check("query", query, g.query(), loss);
        GradientCheck.check("entries", entries, g.entries(), loss);
        GradientCheck.checkParameters(parameters, loss);
    }

    @Test
    void equalsThePaddedAttentionOnTheSameEntries() {
        Parameters pp = new Parameters(DataType.DOUBLE, 5);
        Parameters rp = new Parameters(DataType.DOUBLE, 5);
        NeighbourAttention padded = new NeighbourAttention(pp, "att", 3, 5, 6, 4, 2);
        RaggedAttention ragged = new RaggedAttention(rp, "att", 3, 5, 6, 4, 2);
        for (String p : PARAMETERS) {
            assertThat(rp.get("att." + p).value()).isEqualTo(pp.get("att." + p).value());
        }
        INDArray query = random(60, 5, 3);
        INDArray entries = random(61, 9, 5);
        INDArray upstream = random(62, 5, 4);
        int rows = 5;
        int k = 4;
        INDArray block = random(63, rows, k, 5);              // padding holds noise that must not matter
        INDArray mask = Nd4j.zeros(DataType.DOUBLE, rows, k);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < OFFSETS[r + 1] - OFFSETS[r]; j++) {
                block.get(NDArrayIndex.point(r), NDArrayIndex.point(j), NDArrayIndex.all())
                        .assign(entries.getRow(OFFSETS[r] + j));
                mask.putScalar(r, j, 1.0);
            }
        }
        NeighbourAttention.Forward pf = padded.forward(query, block, mask);
        RaggedAttention.Forward rf = ragged.forward(query, entries, OFFSETS);
        assertThat(GoldenValues.maxAbsDifference(pf.output(), rf.output())).isLessThan(1e-12);
        assertThat(rf.output().getRow(2).amaxNumber().doubleValue()).as("empty run").isEqualTo(0.0);
        NeighbourAttention.InputGradients pg = padded.backward(pf, upstream);
        RaggedAttention.InputGradients rg = ragged.backward(rf, upstream);
        assertThat(GoldenValues.maxAbsDifference(pg.query(), rg.query())).isLessThan(1e-12);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < OFFSETS[r + 1] - OFFSETS[r]; j++) {
                INDArray p = pg.entries().get(NDArrayIndex.point(r), NDArrayIndex.point(j), NDArrayIndex.all());
                assertThat(GoldenValues.maxAbsDifference(p, rg.entries().getRow(OFFSETS[r] + j))).isLessThan(1e-12);
            }
        }
        for (String p : PARAMETERS) {
            assertThat(GoldenValues.maxAbsDifference(pp.get("att." + p).gradient(), rp.get("att." + p).gradient()))
                    .as(p).isLessThan(1e-12);
        }
    }
}
