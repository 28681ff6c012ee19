package io.tgstream.cli;

import io.tgstream.train.HistoricalNegatives;
import io.tgstream.train.TrainingConfig;
import picocli.CommandLine.Option;

/** The historical-negative options that {@code train} and {@code ablation} share: their share and their source. */
final class HistoricalNegativeOptions {
    @Option(names = "--hist-negatives", paramLabel = "SHARE", description = "Share of training negatives drawn from"
            + " the past instead of uniformly (default: " + TrainingConfig.DEFAULT_HISTORICAL_NEGATIVES
            + ", DyGLib's protocol).")
    Double share;

    @Option(names = "--hist-negatives-from", paramLabel = "partners|pairs", description = "What --hist-negatives "
            + "draws: partners (the positive's source kept, one of its past partners as destination) or pairs (a "
            + "whole past pair not in the batch, as the hist evaluation draws its negatives) (default: partners).")
    String kind;

    /** The training config with these options applied; a bad value is a {@link UserInputException}. */
    TrainingConfig applyTo(TrainingConfig tc) {
        if (share != null) {
            if (!(share >= 0 && share <= 1)) {
                throw new UserInputException("--hist-negatives must lie in [0, 1], got " + share);
            }
            tc = tc.withHistoricalNegatives(share);
        }
        if (kind != null) {
            if (share == null || share == 0) {
                throw new UserInputException("--hist-negatives-from needs --hist-negatives SHARE above 0");
            }
            try {
                tc = tc.withHistoricalKind(HistoricalNegatives.of(kind));
            } catch (IllegalArgumentException e) {
                throw new UserInputException("--hist-negatives-from: " + e.getMessage());
            }
        }
        return tc;
    }
}
