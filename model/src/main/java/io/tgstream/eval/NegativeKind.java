package io.tgstream.eval;

import java.util.Locale;

/** DyGLib's negative sampling strategies: random destinations, historical edges, inductive (unseen-at-training) edges. */
public enum NegativeKind {
    RND("rnd"),
    HIST("hist"),
    IND("ind");

    private final String cliName;

    NegativeKind(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() { return cliName; }

    public static NegativeKind byName(String name) {
        for (NegativeKind k : values()) {
            if (k.cliName.equals(name.trim().toLowerCase(Locale.ROOT))) return k;
        }
        throw new IllegalArgumentException("unknown negative kind '" + name + "'; use rnd, hist or ind");
    }
}
