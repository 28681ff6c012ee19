package io.tgstream.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Axis ranges, histogram bins and time windows that the report's charts are drawn on. */
class ChartScalesTest {
    @Test
    void roundStepsAreOneTwoOrFiveTimesAPowerOfTen() {
        assertThat(AxisScale.roundStep(0.013)).isCloseTo(0.02, within(1e-15));
        assertThat(AxisScale.roundStep(0.02)).isCloseTo(0.02, within(1e-15));
        assertThat(AxisScale.roundStep(3)).isEqualTo(5);
        assertThat(AxisScale.roundStep(620)).isEqualTo(1000);
    }

    @Test
    void linearAxesWidenToRoundTicks() {
        AxisScale a = AxisScale.linear(0, 0.078);
        assertThat(a.min()).isZero();
        assertThat(a.max()).isCloseTo(0.08, within(1e-12));
        assertThat(a.ticks()).containsExactly(new double[] {0, 0.02, 0.04, 0.06, 0.08}, within(1e-12));
        assertThat(a.label(0.04)).isEqualTo("0.04");
        assertThat(a.fraction(0.02)).isCloseTo(0.25, within(1e-12));
    }

    @Test
    void logAxesWidenToOneTwoFiveValues() {
        AxisScale a = AxisScale.log10(52, 1167);
        assertThat(a.min()).isCloseTo(50, within(1e-9));
        assertThat(a.max()).isCloseTo(2000, within(1e-9));
        assertThat(a.ticks()).containsExactly(new double[] {50, 100, 200, 500, 1000, 2000}, within(1e-9));
        assertThat(a.fraction(Math.sqrt(50 * 2000.0))).as("the geometric mean is the middle").isCloseTo(0.5,
                within(1e-12));
        assertThat(a.label(50)).isEqualTo("50");
    }

    @Test
    void histogramsCountEveryValueOnce() {
        Histogram h = Histogram.linear(new double[] {0, 0.1, 0.25, 0.5, 1.0, 1.0}, 0, 1, 4);
        assertThat(new long[] {h.count(0), h.count(1), h.count(2), h.count(3)}).containsExactly(2, 1, 1, 2);
        assertThat(h.fraction(0)).isCloseTo(1.0 / 3, within(1e-12));
        Histogram l = Histogram.log10(new double[] {1, 9.9, 10, 100}, 1, 100, 2);
        assertThat(new long[] {l.count(0), l.count(1)}).containsExactly(2, 2);
    }

    @Test
    void timeWindowsCountScoresAndTheirLatencies() {
        // Span 0.95 s: 0.95 / 40 rounds up to 0.05 s windows, 20 of them.
        TimeWindows w = TimeWindows.of(new double[] {0.01, 0.06, 0.07, 0.95}, new double[] {5, 10, 30, 7});
        assertThat(w.width()).isCloseTo(0.05, within(1e-15));
        assertThat(w.windows()).hasSize(20);
        TimeWindows.Window second = w.windows().get(1);
        assertThat(second.count()).isEqualTo(2);
        assertThat(second.perSecond()).isCloseTo(40, within(1e-9));
        assertThat(second.p50Ms()).isEqualTo(10);
        assertThat(second.p99Ms()).isEqualTo(30);
        assertThat(w.windows().get(2).p50Ms()).isNaN();
        assertThat(w.windows().get(19).count()).isEqualTo(1);
    }
}
