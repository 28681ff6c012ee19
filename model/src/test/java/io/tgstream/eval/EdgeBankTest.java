package io.tgstream.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.tgstream.data.EdgeStream;
import org.junit.jupiter.api.Test;

/**
 * History: a>b at 0, 10, 20; c>d at 5, 19; e>f at 11; g>h at 20 (7 events, 4 unique pairs).
 * Fixed proportion: 0.85 quantile of {0,5,10,11,19,20,20} = 20 -> {a>b, g>h}.
 * Repeat interval: mean gaps a>b 10, c>d 14, sum 24 over 4 pairs = 6 -> window from 14 -> {a>b, c>d, g>h}.
 * Repeat threshold: mean count 7/4 -> counts >= 1.75 -> {a>b, c>d}.
 */
class EdgeBankTest {
    private static final EdgeStream HISTORY = EdgeStream.builder("h", "s", 0)
            .add("a", "b", 0, null, 0, 1).add("c", "d", 5, null, 0, 1).add("a", "b", 10, null, 0, 1)
            .add("e", "f", 11, null, 0, 1).add("c", "d", 19, null, 0, 1).add("a", "b", 20, null, 0, 1)
            .add("g", "h", 20, null, 0, 1).build();

    private static float[] scoreAll(EdgeBank bank) {
        // nodes in first appearance: a0 b1 c2 d3 e4 f5 g6 h7; queries a>b, c>d, e>f, g>h, b>a (reverse, never seen)
        return bank.score(new int[] {0, 2, 4, 6, 1}, new int[] {1, 3, 5, 7, 0}, new long[5]);
    }

    private static EdgeBank observed(EdgeBankMode mode) {
        EdgeBank bank = new EdgeBank(mode);
        int[] all = new int[HISTORY.size()];
        for (int i = 0; i < all.length; i++) all[i] = i;
        // two batches, to check that the rule follows later observations
        bank.observe(new EdgeBatch(HISTORY, java.util.Arrays.copyOfRange(all, 0, 3)));
        bank.observe(new EdgeBatch(HISTORY, java.util.Arrays.copyOfRange(all, 3, all.length)));
        return bank;
    }

    @Test
    void unlimited() {
        assertThat(scoreAll(observed(EdgeBankMode.UNLIMITED))).containsExactly(1, 1, 1, 1, 0);
    }

    @Test
    void fixedProportionWindow() {
        assertThat(scoreAll(observed(EdgeBankMode.WINDOW_FIXED_PROPORTION))).containsExactly(1, 0, 0, 1, 0);
    }

    @Test
    void repeatIntervalWindow() {
        assertThat(scoreAll(observed(EdgeBankMode.WINDOW_REPEAT_INTERVAL))).containsExactly(1, 1, 0, 1, 0);
    }

    @Test
    void repeatThreshold() {
        assertThat(scoreAll(observed(EdgeBankMode.REPEAT_THRESHOLD))).containsExactly(1, 1, 0, 0, 0);
    }

    @Test
    void scoringDoesNotChangeStateAndResetForgets() {
        EdgeBank bank = observed(EdgeBankMode.WINDOW_REPEAT_INTERVAL);
        float[] first = scoreAll(bank);
        assertThat(scoreAll(bank)).containsExactly(first);
        bank.reset();
        assertThat(scoreAll(bank)).containsExactly(0, 0, 0, 0, 0);
    }

    @Test
    void dyglibBestModes() {
        assertThat(EdgeBankMode.dyglibBest("wikipedia", NegativeKind.RND)).isEqualTo(EdgeBankMode.UNLIMITED);
        assertThat(EdgeBankMode.dyglibBest("uci", NegativeKind.HIST)).isEqualTo(EdgeBankMode.WINDOW_FIXED_PROPORTION);
        assertThat(EdgeBankMode.dyglibBest("uci", NegativeKind.IND)).isEqualTo(EdgeBankMode.WINDOW_REPEAT_INTERVAL);
        assertThat(EdgeBankMode.dyglibBest("enron", NegativeKind.HIST)).isEqualTo(EdgeBankMode.WINDOW_REPEAT_INTERVAL);
        assertThat(EdgeBankMode.dyglibBest("enron", NegativeKind.IND)).isEqualTo(EdgeBankMode.REPEAT_THRESHOLD);
        assertThat(EdgeBankMode.dyglibBest("uslegis", NegativeKind.RND)).isEqualTo(EdgeBankMode.WINDOW_FIXED_PROPORTION);
        assertThat(EdgeBankMode.dyglibBest("my-own-file", NegativeKind.IND)).isEqualTo(EdgeBankMode.UNLIMITED);
    }
}
