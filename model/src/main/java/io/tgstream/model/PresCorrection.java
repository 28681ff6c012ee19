package io.tgstream.model;

import java.util.Locale;

/**
 * Which PRES correction a memory update applies, given g = GRU(last message, s), the node's memory s before the batch,
 * its mean past change mu (PRES's per-node prediction of a transition) and its number m of messages in the batch.
 */
public enum PresCorrection {
    /**
     * PRES's released code: s' = g + gamma ((s + mu) - g), i.e. gamma s_pred + (1 - gamma) g with s_pred = s + mu,
     * for every node with a past update.
     */
    FUSE,
    /**
     * The updates that "last" aggregation drops, predicted: s' = g + gamma (m - 1) mu, where mu is the node's mean GRU
     * step g - s ({@link MemoryModel#presObserved}). A node with one message in the batch is updated exactly as without
     * PRES; a node with m messages gets the m - 1 steps it missed, each predicted by mu. Measured with gamma trained
     * from 0 (memory only, docs/results/pres-*.md): at B = 2000 uci 81.89 +- 0.78 test AP against 81.06 +- 0.70
     * without PRES (5 seeds), wikipedia 89.23 +- 1.33 against 88.69 +- 0.92 (3 seeds); FUSE lost on both.
     */
    DROPPED;

    /** Parses the command-line spelling ("fuse", "dropped"). */
    public static PresCorrection parse(String s) {
        for (PresCorrection c : values()) {
            if (c.cliName().equalsIgnoreCase(s)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown PRES correction '" + s + "': use fuse or dropped");
    }

    /** The command-line and model-file spelling. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The correction's weight w for a node with a past update and m messages in the batch: FUSE 1, DROPPED its m - 1
     * dropped messages. A node without a past update has no mu yet; its caller leaves w at 0.
     */
    public float weight(int messagesInBatch) {
        return this == FUSE ? 1f : messagesInBatch - 1;
    }
}
