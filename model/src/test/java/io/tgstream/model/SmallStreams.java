package io.tgstream.model;

import io.tgstream.data.EdgeEvent;
import io.tgstream.data.EdgeStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Small hand-made and seeded synthetic streams for the model's tests. */
public final class SmallStreams {
    private SmallStreams() {}

    /** Ten events over nodes a..e at times 10, 20, ..., 100, with features (i, -i) for event i. */
    public static EdgeStream tenEvents() {
        String[][] pairs = {{"a", "b"}, {"c", "d"}, {"a", "c"}, {"b", "d"}, {"a", "b"},
                            {"e", "a"}, {"c", "b"}, {"d", "e"}, {"a", "d"}, {"b", "c"}};
        List<EdgeEvent> events = new ArrayList<>();
        for (int i = 0; i < pairs.length; i++) {
            events.add(new EdgeEvent(pairs[i][0], pairs[i][1], 10L * (i + 1), new float[] {i, -i}, 0, 1));
        }
        return EdgeStream.of("ten-events", "s", 2, events);
    }

    /** A seeded random stream of n events over the given number of nodes, with F features, one event per time unit. */
    public static EdgeStream random(int n, int nodes, int featureDim, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<EdgeEvent> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int u = random.nextInt(nodes);
            int v = random.nextInt(nodes);
            float[] f = new float[featureDim];
            for (int j = 0; j < featureDim; j++) {
                f[j] = (float) random.nextGaussian();
            }
            events.add(new EdgeEvent("n" + u, "n" + v, 5L * i + random.nextInt(5), f, 0, 1));
        }
        events.sort(java.util.Comparator.comparingLong(EdgeEvent::timestamp));
        return EdgeStream.of("random", "s", featureDim, events);
    }

    /** A tiny config for gradient checks: d = 4, time 3, K = 3 partners of width 2. */
    public static MemoryModelConfig tinyConfig(int featureDim, EmbeddingKind kind, boolean pres) {
        return new MemoryModelConfig(4, 3, featureDim, kind, 3, 2, pres, 0.7, 0.1, 7.0, 11L);
    }

    /** Tiny dictionaries and pair scorer for gradient checks (d = 4): M1 = 8, M2 = 4, values of 3. */
    public static ModelParts tinyParts(boolean memory) {
        io.tgstream.model.nat.DictionaryConfig dc = new io.tgstream.model.nat.DictionaryConfig(8, 4, 3, 0.9, 5);
        return new ModelParts(memory, dc, new io.tgstream.model.nat.PairScorerConfig(4, 3, 4, 4, 8, 2, 6, 10));
    }
}
