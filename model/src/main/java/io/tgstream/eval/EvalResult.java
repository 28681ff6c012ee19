package io.tgstream.eval;

/** The outcome of one evaluation pass: a setting and a negative kind, validation and test metrics, wall time. */
public record EvalResult(EvalSetting setting, NegativeKind negatives, int batchSize, SplitMetrics validation,
                         SplitMetrics test, double seconds) {
}
