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

    /** A [rows, cols] matrix of the given type (FLOAT or DOUBLE) from row-major doubles. */
    public static INDArray matrix(double[] values, int rows, int cols, DataType type) {
        long[] shape = {rows, cols};
        if (type == DataType.DOUBLE) {
            return Nd4j.create(values, shape, 'c');
        }
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return Nd4j.create(f, shape, 'c');
    }
}
