package io.tgstream.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each named data set loads with its quirks handled; figures are the ones stated in the data sets' SOURCE.md files. */
class NamedDatasetTest {

    private static void assertSorted(EdgeStream s) {
        for (int e = 1; e < s.size(); e++) assertThat(s.timestamp(e)).isGreaterThanOrEqualTo(s.timestamp(e - 1));
    }

    @Test
    void uci() {
        EdgeStream s = SharedData.load(NamedDataset.UCI);
        assertThat(s.size()).isEqualTo(59_835);
        assertThat(s.nodeCount()).isEqualTo(1_899);
        assertThat(s.featureDim()).isZero();
        assertThat(s.nodeId(s.src(0))).isEqualTo("1"); // not the index column's "0"
        assertThat(s.lastTimestamp()).isEqualTo(16_736_181L);
        assertSorted(s);
    }

    @Test
    void enron() {
        EdgeStream s = SharedData.load(NamedDataset.ENRON);
        assertThat(s.size()).isEqualTo(125_235);
        assertThat(s.nodeCount()).isEqualTo(184);
        assertThat(s.lastTimestamp()).isEqualTo(113_740_399L); // written as a decimal in the file
    }

    @Test
    void wikipediaKeepsItemIdsAsInTheFile() {
        EdgeStream s = SharedData.load(NamedDataset.WIKIPEDIA);
        assertThat(s.size()).isEqualTo(157_474);
        assertThat(s.nodeCount()).isEqualTo(9_227);
        assertThat(s.nodeId(s.dst(0))).isEqualTo("8227");
        int banned = 0;
        for (int e = 0; e < s.size(); e++) banned += s.label(e);
        assertThat(banned).isEqualTo(217);
    }

    @Test
    void bitcoinAlphaIsSortedAndCarriesRatingAsFeatureAndSign() {
        EdgeStream s = SharedData.load(NamedDataset.BITCOIN_ALPHA);
        assertThat(s.size()).isEqualTo(24_186);
        assertThat(s.nodeCount()).isEqualTo(3_783);
        assertThat(s.featureDim()).isEqualTo(1);
        assertSorted(s);
        int negative = 0;
        for (int e = 0; e < s.size(); e++) {
            float r = s.feature(e, 0);
            assertThat(r).isBetween(-10f, 10f);
            assertThat(s.sign(e)).isEqualTo(r < 0 ? -1 : 1);
            if (r < 0) negative++;
        }
        assertThat(negative).isPositive();
        assertThat(s.firstTimestamp()).isEqualTo(1_289_192_400L);
    }

    @Test
    void uslegisHasDiscreteTimeAndWeightFeature() {
        EdgeStream s = SharedData.load(NamedDataset.USLEGIS);
        assertThat(s.size()).isEqualTo(60_396);
        assertThat(s.nodeCount()).isEqualTo(225);
        assertThat(s.timeUnit()).isEqualTo("congress");
        Set<Long> steps = new HashSet<>();
        for (int e = 0; e < s.size(); e++) {
            steps.add(s.timestamp(e));
            assertThat(s.feature(e, 0)).isBetween(1f, 314f);
        }
        assertThat(steps).hasSize(12).contains(0L, 11L);
        assertThat(s.nodeId(s.src(0))).isEqualTo("10569");
    }

    @Test
    void unknownNameListsKnownOnes() {
        assertThatThrownBy(() -> NamedDataset.byName("reddit"))
                .isInstanceOf(DatasetLookupException.class)
                .hasMessageContaining("'reddit'")
                .hasMessageContaining("uci, enron, wikipedia, bitcoin-alpha, uslegis")
                .hasMessageContaining("--data FILE");
        assertThat(NamedDataset.byName(" UCI ")).isEqualTo(NamedDataset.UCI);
    }
}
