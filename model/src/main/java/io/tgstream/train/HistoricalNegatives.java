package io.tgstream.train;

/**
 * Where a trainer's historical negatives come from (their share is {@link TrainingConfig#historicalNegatives()}).
 */
public enum HistoricalNegatives {
    /** (u, x): the positive's source u kept, x one of u's last partners in the replay so far. */
    PARTNERS("partners"),
    /**
     * (u', x'): a whole pair that happened in the replay so far and not in the current batch, both endpoints replaced,
     * as DyGLib's hist evaluation negatives are drawn.
     */
    PAIRS("pairs");

    private final String label;

    HistoricalNegatives(String label) {
        this.label = label;
    }

    /** The command-line spelling. */
    public String label() {
        return label;
    }

    /** The kind spelled {@code label}; an unknown spelling is an {@link IllegalArgumentException} naming both. */
    public static HistoricalNegatives of(String label) {
        for (HistoricalNegatives h : values()) {
            if (h.label.equals(label)) {
                return h;
            }
        }
        throw new IllegalArgumentException("historical negatives must be partners or pairs, got '" + label + "'");
    }
}
