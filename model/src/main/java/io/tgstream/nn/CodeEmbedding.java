package io.tgstream.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A learned lookup table for small integer codes (NAT's 64 joint-neighbourhood hop codes): y_i = T[c_i], with T of
 * shape [codes, dim], initialised N(0, 1) as PyTorch's Embedding.
 *
 * <p>Backward is a scatter-add: dT[c] += sum of dy_i over the rows i with c_i = c (the same as onehot(c)^T dy).
 */
public final class CodeEmbedding {
    private static final String LAYER = "CodeEmbedding";
    private final Parameter table;
    private final int codes;
    private final int dimension;

    /** Registers {@code name.weight} [codes, dim]. */
    public CodeEmbedding(Parameters parameters, String name, int codes, int dimension) {
        this.codes = codes;
        this.dimension = dimension;
        this.table = parameters.add(name + ".weight", Initialisation.normal(1.0), codes, dimension);
    }

    /** The rows of the table for every code, [n, dim]. */
    public INDArray forward(int[] rowCodes) {
        for (int c : rowCodes) {
            if (c < 0 || c >= codes) {
                throw new IllegalArgumentException(LAYER + ": code " + c + " is outside 0.." + (codes - 1));
            }
        }
        INDArray values = table.value();
        long[] shape = {rowCodes.length, dimension};
        if (values.dataType() == DataType.FLOAT) {
            float[] t = values.dup('c').data().asFloat();
            float[] out = new float[rowCodes.length * dimension];
            for (int i = 0; i < rowCodes.length; i++) {
                System.arraycopy(t, rowCodes[i] * dimension, out, i * dimension, dimension);
            }
            return Nd4j.create(out, shape, 'c');
        }
        double[] t = values.dup('c').data().asDouble();
        double[] out = new double[rowCodes.length * dimension];
        for (int i = 0; i < rowCodes.length; i++) {
            System.arraycopy(t, rowCodes[i] * dimension, out, i * dimension, dimension);
        }
        return Nd4j.create(out, shape, 'c');
    }

    /** Adds this batch's gradient for the codes of the forward pass and the output gradient [n, dim]. */
    public void backward(int[] rowCodes, INDArray dOut) {
        RowBatches.requireRows(LAYER, "output gradient", dOut, dimension);
        if (dOut.size(0) != rowCodes.length) {
            throw new IllegalArgumentException(LAYER + ": " + rowCodes.length + " codes but " + dOut.size(0)
                    + " gradient rows");
        }
        double[] dy = HostArrays.doubles(dOut);
        double[] dt = new double[codes * dimension];
        for (int i = 0; i < rowCodes.length; i++) {
            int to = rowCodes[i] * dimension;
            int from = i * dimension;
            for (int k = 0; k < dimension; k++) {
                dt[to + k] += dy[from + k];
            }
        }
        INDArray g = Nd4j.createFromArray(dt).reshape('c', codes, dimension);
        table.gradient().addi(g.dataType() == table.gradient().dataType() ? g : g.castTo(table.gradient().dataType()));
    }

    /** The table T as row-major doubles [codes * dim] (a copy), for layers that use it as a lookup of their own. */
    public double[] tableValues() {
        return HostArrays.doubles(table.value());
    }

    /** Adds a gradient for the whole table, row-major [codes * dim] (what {@link #backward} would add for its rows). */
    public void addTableGradient(double[] dTable) {
        if (dTable.length != codes * dimension) {
            throw new IllegalArgumentException(LAYER + ": expected " + codes + " x " + dimension
                    + " table gradients, got " + dTable.length);
        }
        table.gradient().addi(HostArrays.matrix(dTable, codes, dimension, table.gradient().dataType()));
    }

    public int codes() { return codes; }

    public int dimension() { return dimension; }
}
