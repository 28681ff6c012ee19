package io.tgstream.train;

/**
 * One training epoch's outcome: mean training loss, validation AP and AUC (x1, per-batch averages), wall seconds of
 * training and validation, and the training thread's CPU seconds (steadier than wall time on a shared machine; with
 * one ND4J thread the native ops run on it too).
 */
public record EpochReport(int epoch, double trainLoss, double validationAp, double validationAuc, double trainSeconds,
                          double validationSeconds, boolean best, double trainCpuSeconds) {
}
