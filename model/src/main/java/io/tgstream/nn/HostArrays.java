package io.tgstream.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Bulk copies between matrices and Java arrays, for the layers whose inner loops run in plain Java. Why not
 * {@code data().asDouble()}: on a FLOAT buffer it converts element by element through a bounds-checked indexer, which
 * measured slower than the arithmetic it feeds; here the floats leave in one block copy and are widened in a loop.
 */
public final class HostArrays {
    private HostArrays() {
    }

    /** The elements of m in row-major order, as doubles (a copy). */
    public static double[] doubles(INDArray m) {
        INDArray c = m.dup('c');
        int n = (int) c.length();
        double[] out = new double[n];
        if (c.dataType() == DataType.DOUBLE) {
            c.data().asNioDouble().get(out);
            return out;
        }
        float[] f = new float[n];
        (c.dataType() == DataType.FLOAT ? c : c.castTo(DataType.FLOAT)).data().asNioFloat().get(f);
        for (int i = 0; i < n; i++) {
            out[i] = f[i];
        }
        return out;
    }

    /**
     * A [rows, cols] matrix of the given type (FLOAT or DOUBLE) holding the row-major values, written through the
     * buffer's NIO view in one block: {@code Nd4j.create(float[], ...)} in nd4j 1.0.0-M2.1 stores element by element
     * through the buffer's indexer (1-4 % of a NAT training step in the profile). Works inside a workspace like any
     * other allocation.
     */
    public static INDArray matrix(double[] values, int rows, int cols, DataType type) {
        if (values.length != rows * cols) {
            throw new IllegalArgumentException("expected " + rows + " x " + cols + " values, got " + values.length);
        }
        INDArray m = Nd4j.createUninitialized(type, rows, cols);
        if (values.length == 0) {
            return m;
        }
        if (type == DataType.DOUBLE) {
            m.data().asNioDouble().put(values);
            return m;
        }
        if (type != DataType.FLOAT) {
            throw new IllegalArgumentException("FLOAT or DOUBLE matrices only, got " + type);
        }
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        m.data().asNioFloat().put(f);
        return m;
    }
}
