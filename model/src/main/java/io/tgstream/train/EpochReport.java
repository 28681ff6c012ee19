package io.tgstream.train;

/** One training epoch's outcome: mean training loss, validation AP and AUC (x1, per-batch averages), seconds. */
public record EpochReport(int epoch, double trainLoss, double validationAp, double validationAuc, double trainSeconds,
                          double validationSeconds, boolean best) {
}
