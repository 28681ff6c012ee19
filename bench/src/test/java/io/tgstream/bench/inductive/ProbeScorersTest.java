package io.tgstream.bench.inductive;

import static org.assertj.core.api.Assertions.assertThat;

import io.tgstream.bench.SyntheticStream;
import io.tgstream.data.EdgeStream;
import io.tgstream.eval.ChronologicalSplit;
import io.tgstream.eval.EdgeBatch;
import io.tgstream.eval.LinkScorer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProbeScorersTest {
    /** Scores every pair 0 and keeps the events it is handed, in order. */
    private static final class Recording implements LinkScorer {
        final List<Integer> events = new ArrayList<>();

        @Override
        public void reset() {
            events.clear();
        }

        @Override
        public float[] score(int[] src, int[] dst, long[] t) {
            return new float[src.length];
        }

        @Override
        public void observe(EdgeBatch batch) {
            for (int i = 0; i < batch.size(); i++) {
                events.add(batch.event(i));
            }
        }
    }

    private static EdgeStream stream(String... pairs) {
        EdgeStream.Builder b = EdgeStream.builder("t", "s", 0);
        long t = 1;
        for (String p : pairs) {
            String[] uv = p.split("-");
            b.add(uv[0], uv[1], t++, new float[0], 0, 1);
        }
        return b.build();
    }

    @Test
    void everyEventReplayedHandsTheMaskedEventsInStreamOrder() {
        EdgeStream s = SyntheticStream.generate(600, 30, 0, 3);
        ChronologicalSplit split = ChronologicalSplit.of(s);
        int[] observed = java.util.stream.IntStream.range(0, s.size()).filter(split::isObserved).toArray();
        assertThat(observed.length).as("the split must hide some events for this test to mean anything")
                .isLessThan(s.size());
        Recording inner = new Recording();
        LinkScorer probe = ProbeScorers.everyEventReplayed(inner, split);
        probe.reset();
        // the evaluator's hand-over: observed events only, in batches
        for (int from = 0; from < observed.length; from += 50) {
            probe.observe(new EdgeBatch(s, Arrays.copyOfRange(observed, from, Math.min(from + 50, observed.length))));
        }
        assertThat(inner.events).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, observed[observed.length - 1] + 1).boxed().toList());
    }

    @Test
    void repeatBonusGoesToPairsObservedInEitherDirection() {
        EdgeStream s = stream("a-b", "c-d");
        LinkScorer probe = ProbeScorers.repeatBonus(new Recording(), 0.5);
        probe.reset();
        probe.observe(new EdgeBatch(s, new int[] {0}));
        int a = s.src(0);
        int b = s.dst(0);
        int c = s.src(1);
        float[] scores = probe.score(new int[] {a, b, a}, new int[] {b, a, c}, new long[3]);
        assertThat(scores).containsExactly(0.5f, 0.5f, 0f);
    }

    @Test
    void commonNeighbourBonusCountsSharedNeighboursOverAllObservedEvents() {
        EdgeStream s = stream("a-c", "b-c", "a-d", "b-d", "a-e");
        LinkScorer probe = ProbeScorers.commonNeighbourBonus(new Recording(), 2.0);
        probe.reset();
        probe.observe(new EdgeBatch(s, new int[] {0, 1, 2}));
        probe.observe(new EdgeBatch(s, new int[] {3, 4}));
        int a = s.src(0);
        int b = s.src(1);
        int e = s.dst(4);
        float[] scores = probe.score(new int[] {a, a}, new int[] {b, e}, new long[2]);
        // a and b share c and d; a and e share nothing
        assertThat(scores[0]).isCloseTo((float) (2.0 * Math.log(3)), org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(scores[1]).isZero();
    }

    @Test
    void recencyPenaltyGrowsWithTheHoursSinceAnEndpointWasLastSeen() {
        EdgeStream.Builder builder = EdgeStream.builder("t", "s", 0);
        builder.add("a", "b", 0, new float[0], 0, 1);
        builder.add("c", "b", 7_200, new float[0], 0, 1);
        builder.add("d", "e", 7_300, new float[0], 0, 1);
        EdgeStream s = builder.build();
        int a = s.src(0);
        int b = s.dst(0);
        int c = s.src(1);
        int d = s.src(2);
        LinkScorer destination = ProbeScorers.recencyPenalty(new Recording(), 0.5, false);
        LinkScorer both = ProbeScorers.recencyPenalty(new Recording(), 0.5, true);
        for (LinkScorer probe : List.of(destination, both)) {
            probe.reset();
            probe.observe(new EdgeBatch(s, new int[] {0, 1}));
        }
        long now = 7_200 + 3 * 3_600;
        // at 'now' b was last seen 3 hours ago (event 1), a 5 hours ago, d never
        float[] dst = destination.score(new int[] {c, a}, new int[] {b, d}, new long[] {now, now});
        assertThat(dst[0]).isCloseTo((float) (-0.5 * Math.log1p(3)), org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(dst[1]).isCloseTo((float) (-0.5 * Math.log1p(ProbeScorers.NEVER_SEEN_HOURS)),
                org.assertj.core.data.Offset.offset(1e-5f));
        float[] pair = both.score(new int[] {a}, new int[] {b}, new long[] {now});
        assertThat(pair[0]).isCloseTo((float) (-0.5 * (Math.log1p(5) + Math.log1p(3))),
                org.assertj.core.data.Offset.offset(1e-6f));
    }
}
