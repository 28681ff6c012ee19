package io.tgstream.eval;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Expected values are numpy 2.4's {@code np.quantile(a, q)} printed with repr, compared bit for bit. */
class LinearQuantileTest {
    private static final long[] A = {0, 10, 10, 20, 35, 40, 41, 50, 60, 100};

    @Test
    void matchesNumpyBitForBit() {
        assertThat(LinearQuantile.of(A, A.length, 0.70)).isEqualTo(43.699999999999996);
        assertThat(LinearQuantile.of(A, A.length, 0.85)).isEqualTo(56.49999999999999); // the g >= 0.5 form
        assertThat(LinearQuantile.of(A, A.length, 0.15)).isEqualTo(10.0);
        long[] b = {3, 7, 1_000_000_007L, 1_000_000_011L, 1_300_000_001L};
        assertThat(LinearQuantile.of(b, b.length, 0.70)).isEqualTo(1000000010.2);
        assertThat(LinearQuantile.of(b, b.length, 0.85)).isEqualTo(1120000007.0);
    }

    @Test
    void endsAndSingleValue() {
        assertThat(LinearQuantile.of(A, A.length, 0)).isEqualTo(0);
        assertThat(LinearQuantile.of(A, A.length, 1)).isEqualTo(100);
        assertThat(LinearQuantile.of(new long[] {7}, 1, 0.85)).isEqualTo(7);
    }
}
