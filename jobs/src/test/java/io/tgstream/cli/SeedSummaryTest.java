package io.tgstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The seed summary of the ablation tables against hand-computed means and deviations. */
class SeedSummaryTest {

    @Test
    void meanAndSampleDeviationOfThreeRuns() {
        // 0.80, 0.82, 0.90: mean 0.84, squares 0.0016 + 0.0004 + 0.0036 = 0.0056, / 2 = 0.0028, sd = 0.052915
        SeedSummary s = SeedSummary.of(List.of(0.80, 0.82, 0.90), x -> x);
        assertThat(s.mean()).isCloseTo(0.84, within(1e-12));
        assertThat(s.deviation()).isCloseTo(Math.sqrt(0.0028), within(1e-12));
        assertThat(s.meanAndDeviation()).isEqualTo("84.00 ± 5.29");
        assertThat(s.perSeed()).isEqualTo("80.00, 82.00, 90.00");
    }

    @Test
    void aSingleRunHasNoSpread() {
        SeedSummary s = SeedSummary.of(List.of(0.5), x -> x);
        assertThat(s.mean()).isEqualTo(0.5);
        assertThat(s.deviation()).isZero();
    }

    @Test
    void runsOfOneVariantAndBatchFormOneRow() {
        AblationCommand.Row a = row(AblationCommand.Variant.MEMORY, 200, 0);
        AblationCommand.Row b = row(AblationCommand.Variant.MEMORY, 200, 1);
        AblationCommand.Row c = row(AblationCommand.Variant.MEMORY_PRES, 200, 0);
        AblationCommand.Row d = row(AblationCommand.Variant.MEMORY, 2000, 0);
        assertThat(AblationCommand.groups(List.of(a, b, c, d)))
                .containsExactly(List.of(a, b), List.of(c), List.of(d));
    }

    private static AblationCommand.Row row(AblationCommand.Variant v, int batch, long seed) {
        return new AblationCommand.Row(v, batch, seed, 1, 1, 1.0, 1.0, 0.5, new double[3], new double[3], 0.1,
                Double.NaN);
    }
}
