package io.tgstream.model;

import io.tgstream.model.nat.DictionaryConfig;
import io.tgstream.model.nat.PairScorerConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which parts of the house model are on (MODEL.md section 4), beside the memory's own config
 * ({@link MemoryModelConfig}, which carries the PRES switch):
 * <ul>
 *   <li>{@code memory}: the GRU memory is updated and read; off, every node's memory stays zero and the scorer sees
 *       zero rows (the "dictionaries only" ablation);</li>
 *   <li>{@code dictionaries}: NAT's neighbour dictionaries with the value refresh, and the pair scorer replaces the
 *       link decoder (null = off).</li>
 * </ul>
 * The self representation of NAT is the node's memory embedding (see {@link MemoryModel}).
 *
 * @param memory       the GRU memory on or off
 * @param dictionaries the dictionaries' shape and seed, or null when they are off
 * @param scorer       the pair scorer's widths (null exactly when {@code dictionaries} is)
 */
public record ModelParts(boolean memory, DictionaryConfig dictionaries, PairScorerConfig scorer) {
    /** The memory model of part 1 alone: what every model file without these keys holds. */
    public static final ModelParts MEMORY_ONLY = new ModelParts(true, null, null);

    private static final String MEMORY = "parts.memory";
    private static final String DICTIONARIES = "parts.dictionaries";

    public ModelParts {
        if ((dictionaries == null) != (scorer == null)) {
            throw new IllegalArgumentException("model parts: the dictionaries and the pair scorer come together");
        }
        if (!memory && dictionaries == null) {
            throw new IllegalArgumentException("model parts: with the memory off the dictionaries must be on");
        }
        if (dictionaries != null && scorer.valueDim() != dictionaries.valueDim()) {
            throw new IllegalArgumentException("model parts: the scorer's value width " + scorer.valueDim()
                    + " differs from the dictionaries' " + dictionaries.valueDim());
        }
    }

    /** The default dictionaries and scorer for a memory width, with the memory on or off. */
    public static ModelParts withDictionaries(boolean memory, int memoryDim, long seed) {
        DictionaryConfig dc = DictionaryConfig.defaults(seed);
        return new ModelParts(memory, dc, PairScorerConfig.defaults(memoryDim, dc));
    }

    /** The same parts with another pair scorer (the dictionaries must be on). */
    public ModelParts withScorer(PairScorerConfig config) {
        if (!hasDictionaries()) {
            throw new IllegalArgumentException("model parts: a pair scorer needs the dictionaries");
        }
        return new ModelParts(memory, dictionaries, config);
    }

    public boolean hasDictionaries() {
        return dictionaries != null;
    }

    /** A short name for tables: "memory", "dictionaries" or "memory+dictionaries". */
    public String label() {
        if (!hasDictionaries()) return "memory";
        return memory ? "memory+dictionaries" : "dictionaries";
    }

    /** The parts as header keys (added to {@link MemoryModelConfig#toMap()}'s). */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(MEMORY, Boolean.toString(memory));
        m.put(DICTIONARIES, Boolean.toString(hasDictionaries()));
        if (hasDictionaries()) {
            m.put("dict.hop1_slots", Integer.toString(dictionaries.hop1Slots()));
            m.put("dict.hop2_slots", Integer.toString(dictionaries.hop2Slots()));
            m.put("dict.value_dim", Integer.toString(dictionaries.valueDim()));
            m.put("dict.replace_probability", Double.toString(dictionaries.replaceProbability()));
            m.put("dict.seed", Long.toString(dictionaries.seed()));
            m.put("scorer.code_dim", Integer.toString(scorer.codeDim()));
            m.put("scorer.time_dim", Integer.toString(scorer.timeDim()));
            m.put("scorer.attention_dim", Integer.toString(scorer.attentionDim()));
            m.put("scorer.heads", Integer.toString(scorer.heads()));
            m.put("scorer.output_dim", Integer.toString(scorer.outputDim()));
            m.put("scorer.hidden_dim", Integer.toString(scorer.hiddenDim()));
        }
        return m;
    }

    /** Reads {@link #toMap()}'s form; a header without the parts keys (an older file) is the memory-only model. */
    public static ModelParts fromMap(Map<String, String> m, int memoryDim) {
        if (!m.containsKey(MEMORY) && !m.containsKey(DICTIONARIES)) {
            return MEMORY_ONLY;
        }
        boolean memory = MemoryModelConfig.booleanOf(m, MEMORY);
        if (!MemoryModelConfig.booleanOf(m, DICTIONARIES)) {
            return new ModelParts(memory, null, null);
        }
        DictionaryConfig dc = new DictionaryConfig(integer(m, "dict.hop1_slots"), integer(m, "dict.hop2_slots"),
                integer(m, "dict.value_dim"), number(m, "dict.replace_probability"),
                Long.parseLong(string(m, "dict.seed")));
        PairScorerConfig sc = new PairScorerConfig(memoryDim, dc.valueDim(), integer(m, "scorer.code_dim"),
                integer(m, "scorer.time_dim"), integer(m, "scorer.attention_dim"), integer(m, "scorer.heads"),
                integer(m, "scorer.output_dim"), integer(m, "scorer.hidden_dim"));
        return new ModelParts(memory, dc, sc);
    }

    private static String string(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null) {
            throw new IllegalArgumentException("model config lacks the key '" + key + "'");
        }
        return v;
    }

    private static int integer(Map<String, String> m, String key) {
        try {
            return Integer.parseInt(string(m, key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("model config key '" + key + "' is not an integer: " + m.get(key));
        }
    }

    private static double number(Map<String, String> m, String key) {
        try {
            return Double.parseDouble(string(m, key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("model config key '" + key + "' is not a number: " + m.get(key));
        }
    }
}
