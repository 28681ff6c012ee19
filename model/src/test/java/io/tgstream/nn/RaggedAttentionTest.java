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

    /** Codes of the nine entries into a 4-row table of width 2 (entry width 5: 2 table columns, 3 dense). */
    private static final int[] CODES = {0, 3, 3, 1, 0, 2, 3, 1, 1};

    private static RaggedAttention.TableEntries tableEntries(INDArray table, INDArray dense) {
        return new RaggedAttention.TableEntries(table.dup('c').data().asDouble(), (int) table.size(0), CODES,
                runs(dense.dup('c').data().asDouble(), 3));
    }

    /** Row-major [N, z] to the run-by-run, column-by-column layout of TableEntries. */
    private static double[] runs(double[] rowMajor, int z) {
        double[] out = new double[rowMajor.length];
        for (int r = 0; r + 1 < OFFSETS.length; r++) {
            int len = OFFSETS[r + 1] - OFFSETS[r];
            for (int j = 0; j < len; j++) {
                for (int k = 0; k < z; k++) {
                    out[OFFSETS[r] * z + k * len + j] = rowMajor[(OFFSETS[r] + j) * z + k];
                }
            }
        }
        return out;
    }

    /** The inverse of {@link #runs}. */
    private static double[] rowMajor(double[] runs, int z) {
        double[] out = new double[runs.length];
        for (int r = 0; r + 1 < OFFSETS.length; r++) {
            int len = OFFSETS[r + 1] - OFFSETS[r];
            for (int j = 0; j < len; j++) {
                for (int k = 0; k < z; k++) {
                    out[(OFFSETS[r] + j) * z + k] = runs[OFFSETS[r] * z + k * len + j];
                }
            }
        }
        return out;
    }

    /** The dense entries [T[code_j] || z_j] that the factored form stands for. */
    private static INDArray denseEntries(INDArray table, INDArray dense) {
        INDArray rows = Nd4j.zeros(DataType.DOUBLE, CODES.length, table.size(1));
        for (int j = 0; j < CODES.length; j++) {
            rows.getRow(j).assign(table.getRow(CODES[j]));
        }
        return Nd4j.hstack(rows, dense);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2, 3})
    void tableEntriesGiveTheSameFunctionAndGradientsAsDenseEntries(int heads) {
        Parameters dp = new Parameters(DataType.DOUBLE, 5);
        Parameters tp = new Parameters(DataType.DOUBLE, 5);
        RaggedAttention dense = new RaggedAttention(dp, "att", 3, 5, 6, 4, heads);
        RaggedAttention factored = new RaggedAttention(tp, "att", 3, 5, 6, 4, heads);
        INDArray query = random(60, 5, 3).muli(2.0);
        INDArray table = random(64, 4, 2).muli(2.0);
        INDArray z = random(65, 9, 3).muli(2.0);
        INDArray upstream = random(62, 5, 4);
        RaggedAttention.Forward df = dense.forward(query, denseEntries(table, z), OFFSETS);
        RaggedAttention.TableForward tf = factored.forward(query, tableEntries(table, z), OFFSETS);
        assertThat(GoldenValues.maxAbsDifference(df.output(), tf.output())).isLessThan(1e-12);
        for (int j = 0; j < CODES.length; j++) {
            for (int h = 0; h < heads; h++) {
                assertThat(Math.abs(df.weight(j, h) - tf.weight(j, h))).isLessThan(1e-12);
            }
        }
        RaggedAttention.InputGradients dg = dense.backward(df, upstream);
        RaggedAttention.TableGradients tg = factored.backward(tf, upstream);
        assertThat(GoldenValues.maxAbsDifference(dg.query(), tg.query())).isLessThan(1e-12);
        double[] dEntries = dg.entries().dup('c').data().asDouble();
        double[] dz = rowMajor(tg.dense(), 3);
        double[] dTable = new double[8];
        for (int j = 0; j < CODES.length; j++) {
            for (int i = 0; i < 2; i++) {
                dTable[CODES[j] * 2 + i] += dEntries[j * 5 + i];
            }
            for (int i = 0; i < 3; i++) {
                assertThat(Math.abs(dEntries[j * 5 + 2 + i] - dz[j * 3 + i])).isLessThan(1e-12);
            }
        }
        for (int i = 0; i < dTable.length; i++) {
            assertThat(Math.abs(dTable[i] - tg.table()[i])).isLessThan(1e-12);
        }
        for (String p : PARAMETERS) {
            assertThat(GoldenValues.maxAbsDifference(dp.get("att." + p).gradient(), tp.get("att." + p).gradient()))
                    .as(p).isLessThan(1e-12);
        }
        assertThat(tf.output().getRow(2).amaxNumber().doubleValue()).as("empty run").isEqualTo(0.0);
    }

    @Test
    void tableBackwardMatchesFiniteDifferences() {
        Parameters parameters = new Parameters(DataType.DOUBLE, 5);
        RaggedAttention attention = new RaggedAttention(parameters, "att", 3, 5, 6, 4, 2);
        INDArray query = random(60, 5, 3).muli(2.0);
        INDArray table = random(64, 4, 2).muli(2.0);
        INDArray z = random(65, 9, 3).muli(2.0);
        INDArray upstream = random(62, 5, 4);
        RaggedAttention.TableGradients g = attention.backward(attention.forward(query, tableEntries(table, z),
                OFFSETS), upstream);
        DoubleSupplier loss = () -> weightedSum(attention.forward(query, tableEntries(table, z), OFFSETS).output(),
                upstream);
        GradientCheck.check("query", query, g.query(), loss);
        GradientCheck.check("table", table, Nd4j.createFromArray(g.table()).reshape('c', 4, 2), loss);
        GradientCheck.check("dense", z, Nd4j.createFromArray(rowMajor(g.dense(), 3)).reshape('c', 9, 3), loss);
        GradientCheck.checkParameters(parameters, loss);
    }
}
