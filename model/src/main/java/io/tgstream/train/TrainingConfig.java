package io.tgstream.train;

/**
 * How a model is trained: temporal batch size, epochs, early-stopping patience, Adam's learning rate, the global
 * gradient-norm clip and the seed of the negative draws.
 */
public record TrainingConfig(int batchSize, int epochs, int patience, double learningRate, double clipNorm, long seed) {
    public static final int DEFAULT_BATCH_SIZE = 200;
    public static final int DEFAULT_EPOCHS = 10;
    public static final int DEFAULT_PATIENCE = 3;
    public static final double DEFAULT_LEARNING_RATE = 1e-3;
    public static final double DEFAULT_CLIP_NORM = 10.0;
    public static final long DEFAULT_SEED = 0;

    public TrainingConfig {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        if (patience < 1) throw new IllegalArgumentException("patience must be >= 1, got " + patience);
        if (!(learningRate > 0)) throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
        if (!(clipNorm > 0)) throw new IllegalArgumentException("clip norm must be > 0, got " + clipNorm);
    }

    public static TrainingConfig defaults() {
        return new TrainingConfig(DEFAULT_BATCH_SIZE, DEFAULT_EPOCHS, DEFAULT_PATIENCE, DEFAULT_LEARNING_RATE,
                DEFAULT_CLIP_NORM, DEFAULT_SEED);
    }

    public TrainingConfig withBatchSize(int b) { return new TrainingConfig(b, epochs, patience, learningRate, clipNorm, seed); }
    public TrainingConfig withEpochs(int e) { return new TrainingConfig(batchSize, e, patience, learningRate, clipNorm, seed); }
    public TrainingConfig withPatience(int p) { return new TrainingConfig(batchSize, epochs, p, learningRate, clipNorm, seed); }
    public TrainingConfig withLearningRate(double lr) { return new TrainingConfig(batchSize, epochs, patience, lr, clipNorm, seed); }
    public TrainingConfig withSeed(long s) { return new TrainingConfig(batchSize, epochs, patience, learningRate, clipNorm, s); }
}
