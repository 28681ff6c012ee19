package io.tgstream.model;

/**
 * How a node's memory becomes its embedding; both read only the node's own state (the locality rule of MODEL.md §4).
 */
public enum EmbeddingKind {
    /** JODIE: h = s * (1 + dt w + b), the memory projected forward by the time since its last update. */
    TIME_PROJECTION,
    /**
     * APAN-style: the time projection plus attention from the node to its own list of recent partners, each entry
     * holding a fixed random projection of the partner's memory captured at the interaction and the time encoding of
     * its age.
     */
    RECENT_PARTNERS;

    /** Parses the command-line spelling ("time-projection", "recent-partners"). */
    public static EmbeddingKind parse(String s) {
        for (EmbeddingKind k : values()) {
            if (k.cliName().equalsIgnoreCase(s) || k.name().equalsIgnoreCase(s)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown embedding '" + s + "': use time-projection or recent-partners");
    }

    /** The command-line spelling. */
    public String cliName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
