package io.tgstream.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shape and switches of the memory model: what a model file records so that the same forward code can be rebuilt.
 *
 * @param memoryDim        d_mem, width of a node's memory
 * @param timeDim          width of the time encoding phi(dt) inside messages
 * @param edgeFeatureDim   width of the edge features (0 when the data set has none)
 * @param embedding        how memory becomes an embedding
 * @param recentPartners   K, length of a node's list of recent partners (RECENT_PARTNERS only)
 * @param partnerDim       width of the stored projection of a partner's memory (RECENT_PARTNERS only)
 * @param pres             PRES prediction-correction of memory updates on or off
 * @param presGamma        gamma, the weight of PRES's correction ({@link PresCorrection}); with
 *                         {@code presGammaLearnable}, its starting value
 * @param coherenceWeight  weight of the memory-coherence loss 1 - cos(s_new, s_old) (used when {@code pres})
 * @param timeScale        time deltas are divided by this before the time projection (the training split's mean gap)
 * @param seed             seed of every initialisation and random projection
 * @param presGammaLearnable gamma is a trained parameter starting at {@code presGamma} (PRES's released code offers
 *                         this, starting at 0), instead of a constant
 * @param logTimeProjection the time projection reads log(1 + dt / tau) instead of dt / tau, so that an embedding grows
 *                         with the log of a node's idle time, not linearly (see {@link MemoryModel})
 * @param presCorrection   which correction PRES applies (used when {@code pres})
 */
public record MemoryModelConfig(int memoryDim, int timeDim, int edgeFeatureDim, EmbeddingKind embedding,
                                int recentPartners, int partnerDim, boolean pres, double presGamma,
                                double coherenceWeight, double timeScale, long seed, boolean presGammaLearnable,
                                boolean logTimeProjection, PresCorrection presCorrection) {
    public static final int DEFAULT_MEMORY_DIM = 100;
    public static final int DEFAULT_TIME_DIM = 100;
    public static final int DEFAULT_RECENT_PARTNERS = 10;
    public static final int DEFAULT_PARTNER_DIM = 16;
    /** PRES's released code fuses with gamma = 0.9. */
    public static final double DEFAULT_PRES_GAMMA = 0.9;
    /** PRES's paper weighs the coherence term 0.1. */
    public static final double DEFAULT_COHERENCE_WEIGHT = 0.1;
    public static final long DEFAULT_SEED = 0;
    /** Header key of {@code presGammaLearnable}; files written before it existed have a constant gamma. */
    static final String PRES_GAMMA_LEARNABLE_KEY = "pres_gamma_learnable";
    /** Header key of {@code presCorrection}; files without it fuse (the only correction before the key). */
    static final String PRES_CORRECTION_KEY = "pres_correction";
    /** PRES's own correction stays the default of {@code --pres}; see {@link PresCorrection#DROPPED} for the other. */
    public static final PresCorrection DEFAULT_PRES_CORRECTION = PresCorrection.FUSE;
    /** Header key of {@code logTimeProjection} (value {@code log}); files without it project linearly. */
    static final String TIME_PROJECTION_KEY = "time_projection";

    public MemoryModelConfig {
        require(memoryDim > 0, "memoryDim must be positive");
        require(timeDim > 0, "timeDim must be positive");
        require(edgeFeatureDim >= 0, "edgeFeatureDim must be >= 0");
        require(embedding != null, "embedding must be set");
        require(presCorrection != null, "presCorrection must be set");
        require(recentPartners > 0, "recentPartners must be positive");
        require(partnerDim > 0, "partnerDim must be positive");
        require(presGamma >= 0 && presGamma <= 1, "presGamma must lie in [0, 1]");
        require(coherenceWeight >= 0 && Double.isFinite(coherenceWeight), "coherenceWeight must be finite and >= 0");
        require(timeScale > 0 && Double.isFinite(timeScale), "timeScale must be a positive finite number");
    }

    /** A config whose PRES gamma, if PRES is on, is a constant. */
    public MemoryModelConfig(int memoryDim, int timeDim, int edgeFeatureDim, EmbeddingKind embedding,
                             int recentPartners, int partnerDim, boolean pres, double presGamma,
                             double coherenceWeight, double timeScale, long seed) {
        this(memoryDim, timeDim, edgeFeatureDim, embedding, recentPartners, partnerDim, pres, presGamma,
                coherenceWeight, timeScale, seed, false, false, PresCorrection.FUSE);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("memory model config: " + message);
        }
    }

    /**
     * The log time projection is the default of new models: on uci it gave higher test AP than JODIE's linear form
     * over three seeds each (memory only 89.83-90.23 against 89.36-89.69) and kept the full model from decaying late
     * in the test period (seed 1: 94.72 against 85.79). Files without the key still load as linear.
     */
    public static final boolean DEFAULT_LOG_TIME_PROJECTION = true;

    /** The defaults for a data set with the given edge-feature width and time scale. */
    public static MemoryModelConfig defaults(int edgeFeatureDim, double timeScale) {
        return new MemoryModelConfig(DEFAULT_MEMORY_DIM, DEFAULT_TIME_DIM, edgeFeatureDim, EmbeddingKind.TIME_PROJECTION,
                DEFAULT_RECENT_PARTNERS, DEFAULT_PARTNER_DIM, false, DEFAULT_PRES_GAMMA, DEFAULT_COHERENCE_WEIGHT,
                timeScale, DEFAULT_SEED, false, DEFAULT_LOG_TIME_PROJECTION, DEFAULT_PRES_CORRECTION);
    }

    public MemoryModelConfig withEmbedding(EmbeddingKind k) {
        return new MemoryModelConfig(memoryDim, timeDim, edgeFeatureDim, k, recentPartners, partnerDim, pres, presGamma,
                coherenceWeight, timeScale, seed, presGammaLearnable, logTimeProjection, presCorrection);
    }

    public MemoryModelConfig withPres(boolean on) {
        return new MemoryModelConfig(memoryDim, timeDim, edgeFeatureDim, embedding, recentPartners, partnerDim, on,
                presGamma, coherenceWeight, timeScale, seed, presGammaLearnable, logTimeProjection, presCorrection);
    }

    public MemoryModelConfig withPresGamma(double g) {
        return new MemoryModelConfig(memoryDim, timeDim, edgeFeatureDim, embedding, recentPartners, partnerDim, pres, g,
                coherenceWeight, timeScale, seed, presGammaLearnable, logTimeProjection, presCorrection);
    }

    public MemoryModelConfig withMemoryDim(int d) {
        return new MemoryModelConfig(d, timeDim, edgeFeatureDim, embedding, recentPartners, partnerDim, pres, presGamma,
                coherenceWeight, timeScale, seed, presGammaLearnable, logTimeProjection, presCorrection);
    }

    public MemoryModelConfig withTimeDim(int d) {
        return new MemoryModelConfig(memoryDim, d, edgeFeatureDim, embedding, recentPartners, partnerDim, pres, presGamma,
                coherenceWeight, timeScale, seed, presGammaLearnable, logTimeProjection, presCorrection);
    }

    public MemoryModelConfig withSeed(long s) {
        return new MemoryModelConfig(memoryDim, timeDim, edgeFeatureDim, embedding, recentPartners, partnerDim, pres,
                presGamma, coherenceWeight, timeScale, s, presGammaLearnable, logTimeProjection, presCorrection);
    }

    public MemoryModelConfig withPresGammaLearnable(boolean learnable) {
        return new MemoryModelConfig(memoryDim, timeDim, edgeFeatureDim, embedding, recentPartners, partnerDim, pres,
                presGamma, coherenceWeight, timeScale, seed, learnable, logTimeProjection, presCorrection);
    }

    public MemoryModelConfig withCoherenceWeight(double w) {
        return new MemoryModelConfig(memoryDim, timeDim, edgeFeatureDim, embedding, recentPartners, partnerDim, pres,
                presGamma, w, timeScale, seed, presGammaLearnable, logTimeProjection, presCorrection);
    }

    public MemoryModelConfig withPresCorrection(PresCorrection c) {
        return new MemoryModelConfig(memoryDim, timeDim, edgeFeatureDim, embedding, recentPartners, partnerDim, pres,
                presGamma, coherenceWeight, timeScale, seed, presGammaLearnable, logTimeProjection, c);
    }

    public MemoryModelConfig withLogTimeProjection(boolean log) {
        return new MemoryModelConfig(memoryDim, timeDim, edgeFeatureDim, embedding, recentPartners, partnerDim, pres,
                presGamma, coherenceWeight, timeScale, seed, presGammaLearnable, log, presCorrection);
    }

    /** Width of a raw message [s_u || s_v || phi(dt) || e]. */
    public int messageDim() {
        return 2 * memoryDim + timeDim + edgeFeatureDim;
    }

    /** The config as ordered key/value text, as a model file's header stores it. */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("memory_dim", Integer.toString(memoryDim));
        m.put("time_dim", Integer.toString(timeDim));
        m.put("edge_feature_dim", Integer.toString(edgeFeatureDim));
        m.put("embedding", embedding.cliName());
        m.put("recent_partners", Integer.toString(recentPartners));
        m.put("partner_dim", Integer.toString(partnerDim));
        m.put("pres", Boolean.toString(pres));
        m.put("pres_gamma", Double.toString(presGamma));
        m.put("coherence_weight", Double.toString(coherenceWeight));
        m.put("time_scale", Double.toString(timeScale));
        m.put("seed", Long.toString(seed));
        if (presGammaLearnable) {
            // written only when set, so that files of constant-gamma models stay as they were
            m.put(PRES_GAMMA_LEARNABLE_KEY, "true");
        }
        if (logTimeProjection) {
            m.put(TIME_PROJECTION_KEY, "log");
        }
        if (presCorrection != PresCorrection.FUSE) {
            m.put(PRES_CORRECTION_KEY, presCorrection.cliName());
        }
        return m;
    }

    /** Reads {@link #toMap()}'s form back; a missing or malformed key fails with its name. */
    public static MemoryModelConfig fromMap(Map<String, String> m) {
        return new MemoryModelConfig(intOf(m, "memory_dim"), intOf(m, "time_dim"), intOf(m, "edge_feature_dim"),
                EmbeddingKind.parse(stringOf(m, "embedding")), intOf(m, "recent_partners"), intOf(m, "partner_dim"),
                booleanOf(m, "pres"), doubleOf(m, "pres_gamma"), doubleOf(m, "coherence_weight"),
                doubleOf(m, "time_scale"), Long.parseLong(stringOf(m, "seed")),
                m.containsKey(PRES_GAMMA_LEARNABLE_KEY) && booleanOf(m, PRES_GAMMA_LEARNABLE_KEY),
                logTimeProjection(m), presCorrection(m));
    }

    /** {@code pres_correction}: absent (files from before the key: fuse) or a {@link PresCorrection} name. */
    private static PresCorrection presCorrection(Map<String, String> m) {
        String v = m.getOrDefault(PRES_CORRECTION_KEY, PresCorrection.FUSE.cliName());
        try {
            return PresCorrection.parse(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model config key '" + PRES_CORRECTION_KEY + "' must be fuse or dropped,"
                    + " not '" + v + "'");
        }
    }

    /** {@code time_projection}: absent or {@code linear} (files from before the key) or {@code log}. */
    private static boolean logTimeProjection(Map<String, String> m) {
        String v = m.getOrDefault(TIME_PROJECTION_KEY, "linear");
        return switch (v) {
            case "linear" -> false;
            case "log" -> true;
            default -> throw new IllegalArgumentException(
                    "model config key '" + TIME_PROJECTION_KEY + "' must be linear or log, not '" + v + "'");
        };
    }

    /** A flag of a model file's header: exactly {@code true} or {@code false}, so a garbled one is never a default. */
    static boolean booleanOf(Map<String, String> m, String key) {
        String v = stringOf(m, key);
        return switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(
                    "model config key '" + key + "' must be true or false, not '" + v + "'");
        };
    }

    private static String stringOf(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null) {
            throw new IllegalArgumentException("model config lacks the key '" + key + "'");
        }
        return v;
    }

    private static int intOf(Map<String, String> m, String key) {
        try {
            return Integer.parseInt(stringOf(m, key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("model config key '" + key + "' is not an integer: " + m.get(key));
        }
    }

    private static double doubleOf(Map<String, String> m, String key) {
        try {
            return Double.parseDouble(stringOf(m, key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("model config key '" + key + "' is not a number: " + m.get(key));
        }
    }
}
