package io.tgstream.nn;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * {@link TimeEncoding} evaluated in plain Java arrays, for callers that need phi of many scalars row by row (NAT's
 * entry ages): phi(dt) = cos(dt w + b), the same parameters, names, shapes and initialisation as {@link TimeEncoding}.
 *
 * <p>Backward, with a = dt w + b: da = -sin(a) dphi; dw += sum of dt da, db += sum of da (no gradient for dt: the
 * ages are data). The argument a is formed in the parameters' precision (FLOAT: rounded after the product and after
 * the sum, as the matrix version computes it), because for ages of months a float phase differs from the exact one
 * by far more than a rounding of the cosine; only cos and sin themselves run in double.
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

    /** Writes phi(ages[j]) to out[j * stride + offset ..] for j in 0..n-1. */
    public void encode(Snapshot p, float[] ages, int n, double[] out, int stride, int offset) {
        double[] w = p.frequencies();
        double[] b = p.phases();
        for (int j = 0; j < n; j++) {
            int o = j * stride + offset;
            double age = ages[j];
            for (int k = 0; k < dimension; k++) {
                out[o + k] = Math.cos(argument(p, age, w[k], b[k]));
            }
        }
    }

    /** Adds the parameter gradients for dphi, read from dPhi[j * stride + offset ..] for j in 0..n-1. */
    public void backward(Snapshot p, float[] ages, int n, double[] dPhi, int stride, int offset) {
        double[] w = p.frequencies();
        double[] b = p.phases();
        double[] dw = new double[dimension];
        double[] db = new double[dimension];
        for (int j = 0; j < n; j++) {
            int o = j * stride + offset;
            double age = ages[j];
            for (int k = 0; k < dimension; k++) {
                double g = dPhi[o + k];
                if (g != 0) {
                    double da = -Math.sin(argument(p, age, w[k], b[k])) * g;
                    dw[k] += age * da;
                    db[k] += da;
                }
            }
        }
        DataType type = frequency.gradient().dataType();
        frequency.gradient().addi(HostArrays.matrix(dw, 1, dimension, type));
        phase.gradient().addi(HostArrays.matrix(db, 1, dimension, type));
    }

    private static double argument(Snapshot p, double age, double w, double b) {
        if (p.singlePrecision()) {
            return (float) ((float) (age * w) + (float) b);
        }
        return age * w + b;
    }

    public int dimension() { return dimension; }
}
