package io.tgstream.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Global-norm gradient clipping as torch.nn.utils.clip_grad_norm_: with N = ||all gradients||_2, every gradient is
 * multiplied by c = maxNorm / (N + 1e-6) when c < 1.
 */
public final class GradientClipping {
    /** Added to the norm before dividing, as PyTorch does, so that a zero gradient stays finite. */
    private static final double NORM_EPSILON = 1e-6;

    private GradientClipping() {
    }

    /** Clips in place and returns the global norm before clipping. */
    public static double clipGlobalNorm(Parameters parameters, double maxNorm) {
        if (!(maxNorm > 0.0)) {
            throw new IllegalArgumentException("gradient clipping needs a max norm > 0, got " + maxNorm);
        }
        INDArray g = parameters.flatGradients();
        double norm = g.norm2Number().doubleValue();
        double coefficient = maxNorm / (norm + NORM_EPSILON);
        if (coefficient < 1.0) {
            g.muli(coefficient);
        }
        return norm;
    }
}
