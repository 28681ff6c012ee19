package io.tgstream.train;

/**
 * How a model is trained: temporal batch size, epochs, early-stopping patience, Adam's learning rate, the global
 * gradient-norm clip, the seed of the negative draws, and the share of negatives drawn from the source's own past
 * destinations ("historical" negatives: pairs that did happen, but not now) instead of uniformly from all
 * destinations. DyGLib trains with uniform negatives only (share 0, the default); a positive share teaches the model
 * recency, which the hist and ind evaluation negatives test. {@code historicalKind} says how they are drawn: the
 * source's own past partners (the default) or whole past pairs, as the hist evaluation draws them.
 */
public record TrainingConfig(int batchSize, int epochs, int patience, double learningRate, double clipNorm, long seed,
                             double historicalNegatives, HistoricalNegatives historicalKind) {
    public static final int DEFAULT_BATCH_SIZE = 200;
    public static final int DEFAULT_EPOCHS = 10;
    public static final int DEFAULT_PATIENCE = 3;
    public static final double DEFAULT_LEARNING_RATE = 1e-3;
    public static final double DEFAULT_CLIP_NORM = 10.0;
    public static final long DEFAULT_SEED = 0;
    /** DyGLib's protocol: uniform negatives only. */
    public static final double DEFAULT_HISTORICAL_NEGATIVES = 0.0;
    public static final HistoricalNegatives DEFAULT_HISTORICAL_KIND = HistoricalNegatives.PARTNERS;

    public TrainingConfig {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        if (patience < 1) throw new IllegalArgumentException("patience must be >= 1, got " + patience);
        if (!(learningRate > 0)) throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
        if (!(clipNorm > 0)) throw new IllegalArgumentException("clip norm must be > 0, got " + clipNorm);
        if (!(historicalNegatives >= 0 && historicalNegatives <= 1)) {
            throw new IllegalArgumentException("the historical-negative share must lie in [0, 1], got "
                    + historicalNegatives);
        }
        if (historicalKind == null) throw new IllegalArgumentException("the historical-negative kind is missing");
    }

    /** The 6-argument form: uniform negatives only. */
    public TrainingConfig(int batchSize, int epochs, int patience, double learningRate, double clipNorm, long seed) {
        this(batchSize, epochs, patience, learningRate, clipNorm, seed, DEFAULT_HISTORICAL_NEGATIVES,
                DEFAULT_HISTORICAL_KIND);
    }

    public static TrainingConfig defaults() {
        return new TrainingConfig(DEFAULT_BATCH_SIZE, DEFAULT_EPOCHS, DEFAULT_PATIENCE, DEFAULT_LEARNING_RATE,
                DEFAULT_CLIP_NORM, DEFAULT_SEED, DEFAULT_HISTORICAL_NEGATIVES, DEFAULT_HISTORICAL_KIND);
    }

    public TrainingConfig withBatchSize(int b) {
        return new TrainingConfig(b, epochs, patience, learningRate, clipNorm, seed,
                historicalNegatives, historicalKind);
    }

    public TrainingConfig withEpochs(int e) {
        return new TrainingConfig(batchSize, e, patience, learningRate, clipNorm, seed,
                historicalNegatives, historicalKind);
    }

    public TrainingConfig withPatience(int p) {
        return new TrainingConfig(batchSize, epochs, p, learningRate, clipNorm, seed,
                historicalNegatives, historicalKind);
    }

    public TrainingConfig withLearningRate(double lr) {
        return new TrainingConfig(batchSize, epochs, patience, lr, clipNorm, seed, historicalNegatives, historicalKind);
    }

    public TrainingConfig withSeed(long s) {
        return new TrainingConfig(batchSize, epochs, patience, learningRate, clipNorm, s,
                historicalNegatives, historicalKind);
    }

    public TrainingConfig withHistoricalNegatives(double share) {
        return new TrainingConfig(batchSize, epochs, patience, learningRate, clipNorm, seed, share,
                historicalKind);
    }

    public TrainingConfig withHistoricalKind(HistoricalNegatives kind) {
        return new TrainingConfig(batchSize, epochs, patience, learningRate, clipNorm, seed, historicalNegatives, kind);
    }
}
