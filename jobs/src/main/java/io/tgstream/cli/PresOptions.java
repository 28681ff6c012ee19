package io.tgstream.cli;

import io.tgstream.model.MemoryModelConfig;
import io.tgstream.model.PresCorrection;
import picocli.CommandLine.Option;

/**
 * The PRES options that {@code train} and {@code ablation} share: the correction, its weight gamma and whether gamma
 * is trained.
 */
final class PresOptions {
    @Option(names = "--pres-gamma", paramLabel = "G", description = "PRES fusion weight gamma, or its starting value"
            + " with --pres-gamma-learnable (default: " + MemoryModelConfig.DEFAULT_PRES_GAMMA + ").")
    Double gamma;

    @Option(names = "--pres-gamma-learnable", description = "Train PRES's gamma as a parameter (starting at"
            + " --pres-gamma) instead of keeping it constant.")
    boolean learnable;

    @Option(names = "--pres-correction", paramLabel = "fuse|dropped", description = "PRES's correction: fuse (PRES's"
            + " code: s' = g + gamma ((s + mu) - g)) or dropped (the m - 1 updates that last-message aggregation drops,"
            + " each predicted by mu: s' = g + gamma (m - 1) mu; pair it with --pres-gamma 0 --pres-gamma-learnable);"
            + " default: fuse.")
    String correction;

    @Option(names = "--pres-coherence", paramLabel = "W", description = "Weight of PRES's memory-coherence loss"
            + " W mean(1 - cos(s', s)) (default: " + MemoryModelConfig.DEFAULT_COHERENCE_WEIGHT + ").")
    Double coherence;

    /** The correction as given, or the default. */
    PresCorrection correction() {
        if (correction == null) {
            return MemoryModelConfig.DEFAULT_PRES_CORRECTION;
        }
        try {
            return PresCorrection.parse(correction);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--pres-correction must be fuse or dropped, got '" + correction + "'");
        }
    }

    /** The coherence weight as given, or the default. */
    double coherence() {
        return coherence != null ? coherence : MemoryModelConfig.DEFAULT_COHERENCE_WEIGHT;
    }

    /** Gamma as given, or the default. */
    double gamma() {
        return gamma != null ? gamma : MemoryModelConfig.DEFAULT_PRES_GAMMA;
    }

    /** {@code config} with these options; gamma is trained and the correction set only where PRES is on. */
    MemoryModelConfig applyTo(MemoryModelConfig config, boolean pres) {
        if (gamma != null) {
            if (!(gamma >= 0 && gamma <= 1)) {
                throw new UserInputException("--pres-gamma must lie in [0, 1], got " + gamma);
            }
            config = config.withPresGamma(gamma);
        }
        if (coherence != null) {
            if (!(coherence >= 0 && Double.isFinite(coherence))) {
                throw new UserInputException("--pres-coherence must be a finite number >= 0, got " + coherence);
            }
            config = config.withCoherenceWeight(coherence);
        }
        PresCorrection c = correction(); // parsed even when PRES is off, so a typo is never silent
        return config.withPresGammaLearnable(pres && learnable)
                .withPresCorrection(pres ? c : MemoryModelConfig.DEFAULT_PRES_CORRECTION);
    }
}
