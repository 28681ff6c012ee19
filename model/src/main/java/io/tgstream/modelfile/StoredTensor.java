package io.tgstream.modelfile;

import java.util.Arrays;

/** One parameter tensor as stored in a model file: its shape and its float32 values in row-major order. */
public final class StoredTensor {
    private final long[] shape;
    private final float[] values;

    StoredTensor(long[] shape, float[] values) {
        this.shape = shape.clone();
        this.values = values;
    }

    public long[] shape() { return shape.clone(); }

    /** A copy of the values. */
    public float[] values() { return values.clone(); }

    int length() { return values.length; }

    float[] valuesUnsafe() { return values; }

    @Override
    public String toString() {
        return "tensor" + Arrays.toString(shape);
    }
}
