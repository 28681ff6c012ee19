package io.tgstream.cli;

import io.tgstream.model.MemoryModelConfig;
import picocli.CommandLine.Option;

/** The PRES options that {@code train} and {@code ablation} share: the fusion weight gamma and whether it is trained. */
final class PresOptions {
    @Option(names = "--pres-gamma", paramLabel = "G", description = "PRES fusion weight gamma, or its starting value"
            + " with --pres-gamma-learnable (default: " + MemoryModelConfig.DEFAULT_PRES_GAMMA + ").")
    Double gamma;

    @Option(names = "--pres-gamma-learnable", description = "Train PRES's gamma as a parameter (starting at"
            + " --pres-gamma) instead of keeping it constant.")
    boolean learnable;

    /** Gamma as given, or the default. */
    double gamma() {
        return gamma != null ? gamma : MemoryModelConfig.DEFAULT_PRES_GAMMA;
    }

    /** {@code config} with these options; gamma is trained only where PRES is on ({@code pres}). */
    MemoryModelConfig applyTo(MemoryModelConfig config, boolean pres) {
        if (gamma != null) {
            if (!(gamma >= 0 && gamma <= 1)) {
                throw new UserInputException("--pres-gamma must lie in [0, 1], got " + gamma);
            }
            config = config.withPresGamma(gamma);
        }
        return config.withPresGammaLearnable(pres && learnable);
    }
}
