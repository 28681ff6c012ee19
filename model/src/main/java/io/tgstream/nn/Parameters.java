package io.tgstream.nn;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The registry of a model's learnable tensors: named, shaped, in the fixed order of registration, stored in one flat
 * value buffer and one flat gradient buffer (so that Adam, clipping and zeroing are a handful of ops whatever the
 * number of layers).
 *
 * <p>Initialisation is deterministic and independent of registration order: each tensor draws from its own
 * {@link SplittableRandom} seeded by mix(seed, hash(name)), never from ND4J's global generator.
 */
public final class Parameters {
    private final DataType dataType;
    private final long seed;
    private final Map<String, Parameter> byName = new LinkedHashMap<>();
    private INDArray values;
    private INDArray gradients;
    private long length;

    /**
     * @param dataType FLOAT for training and inference, DOUBLE for gradient checks
     * @param seed     the model seed every initialisation derives from
     */
    public Parameters(DataType dataType, long seed) {
        if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
            throw new IllegalArgumentException("parameters are FLOAT or DOUBLE, got " + dataType);
        }
        this.dataType = dataType;
        this.seed = seed;
    }

    /**
     * Registers a tensor and gives it its initial values; its gradient starts at 0.
     *
     * @throws IllegalArgumentException if the name is taken or a dimension is not positive
     */
    public Parameter add(String name, Initialisation init, long... shape) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a parameter needs a non-blank name");
        }
        if (byName.containsKey(name)) {
            throw new IllegalArgumentException("parameter name '" + name + "' is already registered: give each layer a"
                    + " distinct name prefix");
        }
        if (shape.length == 0) {
            throw new IllegalArgumentException("parameter '" + name + "' needs a shape");
        }
        long n = 1;
        for (long d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException("parameter '" + name + "' has a non-positive dimension in "
                        + java.util.Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        if (length + n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too many parameters: " + (length + n));
        }
        double[] initial = new double[(int) n];
        init.fill(initial, new SplittableRandom(tensorSeed(seed, name)));

        Parameter parameter = new Parameter(name, shape, length);
        INDArray newValues;
        INDArray newGradients;
        // parameters outlive any workspace a caller may have open
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            newValues = Nd4j.create(dataType, 1, length + n);
            newGradients = Nd4j.create(dataType, 1, length + n);
        }
        if (length > 0) {
            newValues.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, length)).assign(
                    values.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, length)));
            newGradients.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, length)).assign(
                    gradients.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, length)));
        }
        newValues.get(NDArrayIndex.point(0), NDArrayIndex.interval(length, length + n))
                .assign(Nd4j.createFromArray(initial).castTo(dataType));
        values = newValues;
        gradients = newGradients;
        length += n;
        byName.put(name, parameter);
        for (Parameter p : byName.values()) {
            bind(p);
        }
        return parameter;
    }

    private void bind(Parameter p) {
        long from = p.offset();
        long to = from + p.length();
        p.bind(values.get(NDArrayIndex.point(0), NDArrayIndex.interval(from, to)).reshape('c', p.shape()),
                gradients.get(NDArrayIndex.point(0), NDArrayIndex.interval(from, to)).reshape('c', p.shape()));
    }

    /** The parameter with this name. */
    public Parameter get(String name) {
        Parameter p = byName.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no parameter named '" + name + "'; known: " + byName.keySet());
        }
        return p;
    }

    /** All parameters in registration order. */
    public List<Parameter> list() {
        return Collections.unmodifiableList(new ArrayList<>(byName.values()));
    }

    /** Every value in one row [1, length], registration order; writes go to the parameters. */
    public INDArray flatValues() {
        requireSome();
        return values;
    }

    /** Every gradient in one row [1, length], registration order. */
    public INDArray flatGradients() {
        requireSome();
        return gradients;
    }

    private void requireSome() {
        if (length == 0) {
            throw new IllegalStateException("no parameters registered yet: build the layers first");
        }
    }

    /** Total number of scalars. */
    public long length() { return length; }

    public DataType dataType() { return dataType; }

    public long seed() { return seed; }

    /** Sets every gradient to 0 (one op). */
    public void zeroGradients() {
        if (length > 0) {
            gradients.assign(0.0);
        }
    }

    /** The seed of one tensor's generator: a SplitMix64 finaliser over the model seed and an FNV-1a hash of the name. */
    static long tensorSeed(long seed, String name) {
        long h = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return mix(seed * 0x9e3779b97f4a7c15L ^ mix(h));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
