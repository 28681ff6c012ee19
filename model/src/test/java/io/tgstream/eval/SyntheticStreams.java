package io.tgstream.eval;

import io.tgstream.data.EdgeStream;
import java.util.SplittableRandom;

/** Seeded random edge streams for protocol tests: repeated pairs, node arrivals over time, ties in time. */
final class SyntheticStreams {
    private SyntheticStreams() {}

    static EdgeStream random(int events, int nodes, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        EdgeStream.Builder b = EdgeStream.builder("synthetic", "s", 0);
        long t = 0;
        for (int e = 0; e < events; e++) {
            t += rng.nextInt(3); // ties happen
            int active = Math.max(2, (int) ((long) nodes * (e + 1) / events)); // nodes arrive over time
            int s = rng.nextInt(active);
            int d = rng.nextInt(4) == 0 && s > 0 ? s - 1 : rng.nextInt(active); // some pairs repeat often
            b.add("n" + s, "n" + d, t, null, 0, 1);
        }
        return b.build();
    }
}
