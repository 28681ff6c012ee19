package io.tgstream.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * TGN's learnable time encoding of a column of time deltas: phi(dt) = cos(dt w + b), with w, b of shape [1, d],
 * w initialised to 1 / 10^linspace(0, 9, d) and b to 0.
 *
 * <p>Backward, with a = dt w + b: da = -sin(a) dphi; dw += dt^T da, db += sum over rows of da, d(dt) = da w^T.
 */
public final class TimeEncoding {
    private static final String LAYER = "TimeEncoding";
    /** The frequencies span 10^0 .. 10^-SPAN_DECADES (TGN's choice). */
    private static final double SPAN_DECADES = 9.0;
    private final Parameter frequency;
    private final Parameter phase;
    private final int dimension;

    /** Registers {@code name.weight} [1, d] (the frequencies) and {@code name.bias} [1, d] (the phases, 0). */
    public TimeEncoding(Parameters parameters, String name, int dimension) {
        this.dimension = dimension;
        this.frequency = parameters.add(name + ".weight", Initialisation.values(initialFrequencies(dimension)), 1,
                dimension);
        this.phase = parameters.add(name + ".bias", Initialisation.zeros(), 1, dimension);
    }

    /** 1 / 10^linspace(0, 9, d): element i is 10^(-9 i / (d - 1)) (a single element is 1). */
    static double[] initialFrequencies(int dimension) {
        if (dimension < 1) {
            throw new IllegalArgumentException("time encoding dimension must be >= 1, got " + dimension);
        }
        double[] w = new double[dimension];
        for (int i = 0; i < dimension; i++) {
            double exponent = dimension == 1 ? 0.0 : SPAN_DECADES * i / (dimension - 1);
            w[i] = 1.0 / Math.pow(10.0, exponent);
        }
        return w;
    }

    /** What backward needs: the time deltas, the pre-activation a = dt w + b, and phi. */
    public record Forward(INDArray timeDeltas, INDArray preActivation, INDArray output) {
    }

    /** phi for a column of time deltas [rows, 1]. */
    public Forward forward(INDArray timeDeltas) {
        RowBatches.requireRows(LAYER, "time deltas", timeDeltas, 1);
        RowBatches.requireType(LAYER, timeDeltas, frequency);
        INDArray a = timeDeltas.mmul(frequency.value()).addiRowVector(phase.value());
        return new Forward(timeDeltas, a, Transforms.cos(a, true));
    }

    /** Adds this batch's parameter gradients and returns dL/d(dt) [rows, 1]. */
    public INDArray backward(Forward f, INDArray dOut) {
        RowBatches.requireRows(LAYER, "output gradient", dOut, dimension);
        INDArray da = Transforms.sin(f.preActivation(), true).negi().muli(dOut);
        Nd4j.gemm(f.timeDeltas(), da, frequency.gradient(), true, false, 1.0, 1.0);
        phase.gradient().addi(da.sum(true, 0));
        return Nd4j.gemm(da, frequency.value(), false, true);
    }

    public int dimension() { return dimension; }
}
