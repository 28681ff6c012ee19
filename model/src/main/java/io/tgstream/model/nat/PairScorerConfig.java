package io.tgstream.model.nat;

/**
 * The widths of the NAT pair scorer.
 *
 * @param memoryDim    d, width of a node's memory (its self representation)
 * @param valueDim     F, width of a dictionary value ({@link DictionaryConfig#valueDim()})
 * @param codeDim      width of the hop-code embedding
 * @param timeDim      width of the time encoding of an entry's age
 * @param attentionDim D, width of attention queries, keys and values (a multiple of heads)
 * @param heads        attention heads
 * @param outputDim    width of the attention output
 * @param hiddenDim    width of the MLP's hidden layer
 */
public record PairScorerConfig(int memoryDim, int valueDim, int codeDim, int timeDim, int attentionDim, int heads,
                               int outputDim, int hiddenDim) {
    public static final int DEFAULT_CODE_DIM = 16;
    public static final int DEFAULT_TIME_DIM = 16;
    public static final int DEFAULT_ATTENTION_DIM = 32;
    /** NAT attends with 2 heads. */
    public static final int DEFAULT_HEADS = 2;
    public static final int DEFAULT_OUTPUT_DIM = 32;
    public static final int DEFAULT_HIDDEN_DIM = 100;

    public PairScorerConfig {
        require(memoryDim > 0 && valueDim > 0 && codeDim > 0 && timeDim > 0 && outputDim > 0 && hiddenDim > 0,
                "every width must be positive");
        require(heads > 0 && attentionDim > 0 && attentionDim % heads == 0,
                "attentionDim must be a positive multiple of heads, got " + attentionDim + " / " + heads);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("pair scorer config: " + message);
        }
    }

    /** The defaults for a memory width and a dictionary config. */
    public static PairScorerConfig defaults(int memoryDim, DictionaryConfig dictionaries) {
        return new PairScorerConfig(memoryDim, dictionaries.valueDim(), DEFAULT_CODE_DIM, DEFAULT_TIME_DIM,
                DEFAULT_ATTENTION_DIM, DEFAULT_HEADS, DEFAULT_OUTPUT_DIM, DEFAULT_HIDDEN_DIM);
    }

    /** The same widths with another time encoding of the entries' ages. */
    public PairScorerConfig withTimeDim(int width) {
        return new PairScorerConfig(memoryDim, valueDim, codeDim, width, attentionDim, heads, outputDim, hiddenDim);
    }

    /** Width of one joint-neighbourhood entry: code embedding, value, time encoding. */
    public int entryDim() {
        return codeDim + valueDim + timeDim;
    }
}
