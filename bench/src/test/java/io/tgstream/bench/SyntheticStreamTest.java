package io.tgstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.tgstream.data.EdgeStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SyntheticStreamTest {
    @Test
    void sameArgumentsGiveTheSameStream() {
        EdgeStream a = SyntheticStream.generate(500, 100, 2, 3);
        EdgeStream b = SyntheticStream.generate(500, 100, 2, 3);
        for (int e = 0; e < 500; e++) {
            assertThat(a.nodeId(a.src(e))).isEqualTo(b.nodeId(b.src(e)));
            assertThat(a.nodeId(a.dst(e))).isEqualTo(b.nodeId(b.dst(e)));
            assertThat(a.feature(e, 1)).isEqualTo(b.feature(e, 1));
        }
        assertThat(SyntheticStream.generate(500, 100, 0, 4).nodeId(0)).isNotNull();
    }

    @Test
    void degreesAreHeavyTailedAndEventsJoinTwoNodesInTimeOrder() {
        int events = 200_000;
        int nodes = 10_000;
        EdgeStream s = SyntheticStream.generate(events, nodes, 0, 1);
        int[] degree = new int[s.nodeCount()];
        for (int e = 0; e < events; e++) {
            assertThat(s.src(e)).isNotEqualTo(s.dst(e));
            if (e > 0) assertThat(s.timestamp(e)).isGreaterThanOrEqualTo(s.timestamp(e - 1));
            degree[s.src(e)]++;
            degree[s.dst(e)]++;
        }
        Arrays.sort(degree);
        double mean = 2.0 * events / s.nodeCount();
        // a uniform law would put the largest degree near the mean; rank^(-2/3) puts it hundreds of times above
        assertThat(degree[degree.length - 1]).isGreaterThan((int) (100 * mean));
        assertThat(degree[degree.length / 2]).isLessThan((int) mean);
    }
}
