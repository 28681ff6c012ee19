package io.tgstream.nn;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * {@link TimeEncoding} evaluated in plain Java arrays, for callers that need phi of many scalars row by row (NAT's
 * entry ages): phi(dt) = cos(dt w + b), the same parameters, names, shapes and initialisation as {@link TimeEncoding}.
 *
 * <p>Backward, with a = dt w + b: da = -sin(a) dphi (sin computed with cos in the forward pass); dw += sum of dt da, db += sum of da (no gradient for dt: the
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
     * out[offset + k * stride + (j - from)], and -sin of its argument (what backward needs) to
     * negSines[sineOffset + k * (to - from) + (j - from)] (null: not needed, no backward will follow).
     */
    public void encode(Snapshot p, float[] ages, int from, int to, double[] out, int offset, int stride,
                       double[] negSines, int sineOffset) {
        double[] w = p.frequencies();
        double[] b = p.phases();
        int n = to - from;
        double[] a = new double[n];
        for (int k = 0; k < dimension; k++) {
            // the arguments first, in a loop of their own: float conversions beside the cosine's arithmetic
            // measured three times slower (false dependencies between iterations)
            arguments(p, ages, from, to, w[k], b[k], a);
            int o = offset + k * stride;
            if (negSines == null) {
                for (int j = 0; j < n; j++) {
                    out[o + j] = Trig.cos(a[j]);
                }
            } else {
                int so = sineOffset + k * n;
                Trig.cosSin(a, n, out, o, negSines, so);
                for (int j = 0; j < n; j++) {
                    negSines[so + j] = -negSines[so + j];
                }
            }
        }
    }

    /**
     * Accumulates dw and db [dimension] for dphi of ages[from..to-1], laid out as {@link #encode} writes phi, with
     * the -sin values encode wrote.
     */
    public void backward(float[] ages, int from, int to, double[] negSines, int sineOffset, double[] dPhi,
                         int offset, int stride, double[] dw, double[] db) {
        int n = to - from;
        for (int k = 0; k < dimension; k++) {
            int o = offset + k * stride;
            int so = sineOffset + k * n;
            double sw = 0;
            double sb = 0;
            for (int j = 0; j < n; j++) {
                double da = negSines[so + j] * dPhi[o + j];
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
