package io.tgstream.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The time encodings' cosine and sine against java.lang.Math over the argument ranges they meet. */
class TrigTest {
    @Test
    void agreesWithMathToNearDoublePrecision() {
        SplittableRandom random = new SplittableRandom(3);
        double worst = 0;
        for (double range : new double[] {1e-3, 1, 10, 1e3, 1e6, 1e8, 1e9}) {
            for (int i = 0; i < 200_000; i++) {
                double x = (float) random.nextDouble(-range, range);
                worst = Math.max(worst, Math.abs(Trig.cos(x) - Math.cos(x)));
                worst = Math.max(worst, Math.abs(Trig.sin(x) - Math.sin(x)));
            }
        }
        assertThat(worst).isLessThan(1e-14);
        for (double x : new double[] {0, -0.0, Math.PI / 4, Math.PI / 2, Math.PI, 1e30, Double.NaN}) {
            assertThat(Trig.cos(x)).isCloseTo(Math.cos(x), org.assertj.core.data.Offset.offset(1e-15));
            assertThat(Trig.sin(x)).isCloseTo(Math.sin(x), org.assertj.core.data.Offset.offset(1e-15));
        }
    }

    @Test
    void cosSinFillsBothArraysAsTheSingleFunctions() {
        SplittableRandom random = new SplittableRandom(4);
        double[] a = new double[1000];
        for (int i = 0; i < a.length; i++) a[i] = random.nextDouble(-1e7, 1e7);
        a[7] = 1e30;
        double[] c = new double[a.length + 3];
        double[] s = new double[a.length + 5];
        Trig.cosSin(a, a.length, c, 3, s, 5);
        for (int i = 0; i < a.length; i++) {
            assertThat(c[3 + i]).isEqualTo(Trig.cos(a[i]));
            assertThat(s[5 + i]).isEqualTo(Trig.sin(a[i]));
        }
    }
}
