package io.tgstream.nn;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * {@link TimeEncoding} evaluated in plain Java arrays, for callers that need phi of many scalars row by row (NAT's
 * entry ages): phi(dt) = cos(dt w + b), the same parameters, names, shapes and initialisation as {@link TimeEncoding}.
 *
 * <p>Backward, with a = dt w + b: da = -sin(a) dphi; dw += sum of dt da, db += sum of da (no gradient for dt: the
 * ages are data). The argument a is formed in the parameters' precision (FLOAT: rounded after the product and after
 * the sum, as the matrix version computes it), because for ages of months a float phase differs from the exact one
 * by far more than a rounding of the cosine; only cos and sin themselves run in double ({@link Trig}).
 */
public final class HostTimeEncoding {
    private final Parameter frequency;
    private final Parameter phase;
    private final int dimension;

    /** Registers {@code name.weight} [1, d] and {@code name.bias} [1, d], as {@link TimeEncoding} does. */
    public HostTimeEncoding(Parameters parameters, String name, int dimension) {
        this.dimension = dimension;
        this.frequency = parameters.add(name + ".weight",
                Initialisation.values(TimeEncoding.initialFrequencies(dimension)), 1, dimension);
        this.phase = parameters.add(name + ".bias", Initialisation.zeros(), 1, dimension);
    }

    /** The current parameters, read once per batch: what {@link #encode} and {@link #backward} take. */
    public record Snapshot(double[] frequencies, double[] phases, boolean singlePrecision) {
    }

    /** Reads the parameters. */
    public Snapshot snapshot() {
        return new Snapshot(HostArrays.doubles(frequency.value()), HostArrays.doubles(phase.value()),
                frequency.value().dataType() == DataType.FLOAT);
    }

    /**
     * Writes phi(ages[j]) for j in from..to-1 column by column: component k of entry j goes to
     * out[offset + k * stride + (j - from)].
     */
    public void encode(Snapshot p, float[] ages, int from, int to, double[] out, int offset, int stride) {
        double[] w = p.frequencies();
        double[] b = p.phases();
        double[] a = new double[to - from];
        for (int k = 0; k < dimension; k++) {
            // the arguments first, in a loop of their own: float conversions beside the cosine's arithmetic
            // measured three times slower (false dependencies between iterations)
            arguments(p, ages, from, to, w[k], b[k], a);
            int o = offset + k * stride;
            for (int j = 0; j < a.length; j++) {
                out[o + j] = Trig.cos(a[j]);
            }
        }
    }

    /** Accumulates dw and db [dimension] for dphi of ages[from..to-1], laid out as {@link #encode} writes phi. */
    public void backward(Snapshot p, float[] ages, int from, int to, double[] dPhi, int offset, int stride,
                         double[] dw, double[] db) {
        double[] w = p.frequencies();
        double[] b = p.phases();
        double[] a = new double[to - from];
        for (int k = 0; k < dimension; k++) {
            arguments(p, ages, from, to, w[k], b[k], a);
            int o = offset + k * stride;
            double sw = 0;
            double sb = 0;
            for (int j = 0; j < a.length; j++) {
                double da = -Trig.sin(a[j]) * dPhi[o + j];
                sw += ages[from + j] * da;
                sb += da;
            }
            dw[k] += sw;
            db[k] += sb;
        }
    }

    /** a[j - from] = ages[j] w + b in the parameters' precision. */
    private static void arguments(Snapshot p, float[] ages, int from, int to, double w, double b, double[] a) {
        if (p.singlePrecision()) {
            float wf = (float) w;
            float bf = (float) b;
            for (int j = from; j < to; j++) {
                a[j - from] = ages[j] * wf + bf;
            }
        } else {
            for (int j = from; j < to; j++) {
                a[j - from] = ages[j] * w + b;
            }
        }
    }

    /** Adds the accumulated dw and db to the parameters' gradients. */
    public void addGradient(double[] dw, double[] db) {
        DataType type = frequency.gradient().dataType();
        frequency.gradient().addi(HostArrays.matrix(dw, 1, dimension, type));
        phase.gradient().addi(HostArrays.matrix(db, 1, dimension, type));
    }

    public int dimension() { return dimension; }
}
