package io.tgstream.nn;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One named, shaped learnable tensor of a {@link Parameters} registry, with its gradient accumulator.
 *
 * <p>{@link #value()} and {@link #gradient()} are views into the registry's flat buffers (so that the optimiser,
 * clipping and zeroing run as one op over all parameters). The registry re-binds them when a parameter is added, so
 * layers fetch them at each call rather than keeping them.
 */
public final class Parameter {
    private final String name;
    private final long[] shape;
    private final long offset;
    private INDArray value;
    private INDArray gradient;

    Parameter(String name, long[] shape, long offset) {
        this.name = name;
        this.shape = shape.clone();
        this.offset = offset;
    }

    void bind(INDArray value, INDArray gradient) {
        this.value = value;
        this.gradient = gradient;
    }

    public String name() { return name; }

    /** The shape, e.g. [in, out] for a weight matrix or [1, out] for a bias row. */
    public long[] shape() { return shape.clone(); }

    /** Number of scalars. */
    public long length() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    /** Position of the first scalar in the registry's flat buffers. */
    long offset() { return offset; }

    /** The current values (a view: writes go to the registry). */
    public INDArray value() { return value; }

    /** The gradient accumulator of the same shape (layers add into it; the registry zeroes it). */
    public INDArray gradient() { return gradient; }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
