package io.tgstream.eval;

import java.util.Locale;
import java.util.Map;

/** EdgeBank's memory modes (Poursafaei et al., 2022, as coded in DyGLib), and DyGLib's best mode per data set. */
public enum EdgeBankMode {
    /** Every pair ever observed. */
    UNLIMITED("unlimited"),
    /** Pairs observed at t >= the 0.85 quantile of all observed times (the last 15 %, the test proportion). */
    WINDOW_FIXED_PROPORTION("window-fixed"),
    /**
     * Pairs observed at t >= t_max - w, with w = (sum over repeated pairs of their mean gap between repeats) / (number
     * of unique pairs).
     */
    WINDOW_REPEAT_INTERVAL("window-repeat"),
    /** Pairs whose count >= the mean count over unique pairs. */
    REPEAT_THRESHOLD("threshold");

    /** DyGLib's best memory mode per (data set, negative kind), from its published EdgeBank configurations. */
    private static final Map<String, Map<NegativeKind, EdgeBankMode>> DYGLIB_BEST = Map.of(
            "wikipedia", Map.of(NegativeKind.RND, UNLIMITED, NegativeKind.HIST, REPEAT_THRESHOLD,
                    NegativeKind.IND, REPEAT_THRESHOLD),
            "uci", Map.of(NegativeKind.RND, UNLIMITED, NegativeKind.HIST, WINDOW_FIXED_PROPORTION,
                    NegativeKind.IND, WINDOW_REPEAT_INTERVAL),
            "enron", Map.of(NegativeKind.RND, WINDOW_FIXED_PROPORTION, NegativeKind.HIST, WINDOW_REPEAT_INTERVAL,
                    NegativeKind.IND, REPEAT_THRESHOLD),
            "uslegis", Map.of(NegativeKind.RND, WINDOW_FIXED_PROPORTION, NegativeKind.HIST, WINDOW_FIXED_PROPORTION,
                    NegativeKind.IND, WINDOW_FIXED_PROPORTION));

    private final String cliName;

    EdgeBankMode(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() { return cliName; }

    /** DyGLib's best mode for the data set and negative kind; {@link #UNLIMITED} for data sets DyGLib did not tune. */
    public static EdgeBankMode dyglibBest(String dataset, NegativeKind kind) {
        Map<NegativeKind, EdgeBankMode> m = DYGLIB_BEST.get(dataset.toLowerCase(Locale.ROOT));
        return m == null ? UNLIMITED : m.get(kind);
    }

    public static EdgeBankMode byName(String name) {
        for (EdgeBankMode m : values()) {
            if (m.cliName.equals(name.trim().toLowerCase(Locale.ROOT))) return m;
        }
        throw new IllegalArgumentException("unknown EdgeBank mode '" + name
                + "'; use unlimited, window-fixed, window-repeat or threshold");
    }
}
