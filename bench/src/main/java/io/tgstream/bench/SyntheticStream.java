package io.tgstream.bench;

import io.tgstream.data.EdgeStream;
import io.tgstream.data.NodeKeys;

/**
 * A synthetic temporal graph with power-law degrees: event e joins two nodes drawn from a Zipf-like law over n nodes,
 * at time t_e = e * step.
 * <pre>
 *   rank(u) = floor(n * u^a),  u ~ U(0, 1),  a = {@value #SKEW}      (P(rank &lt;= k) = (k / n)^(1/a))
 *   degree of rank k ~ k^(1/a - 1) = k^(-2/3)                     (a heavy tail; rank 0 is the biggest hub)
 *   node id  = "n" + ((rank * 0x9E3779B1) mod n)                   (spreads the hubs over the id space)
 * </pre>
 * Every draw is a hash of (seed, event, endpoint), so the stream is the same for the same arguments, in any order.
 */
public final class SyntheticStream {
    /** The exponent a of the rank law: 3 gives degrees ~ rank^(-2/3). */
    static final double SKEW = 3.0;
    /** Time between events, ms. */
    static final long STEP_MS = 10;

    private SyntheticStream() {
    }

    /** {@code events} events over {@code nodes} nodes, {@code featureDim} uniform features in [-1, 1]. */
    public static EdgeStream generate(int events, int nodes, int featureDim, long seed) {
        if (events < 1 || nodes < 2 || featureDim < 0) {
            throw new IllegalArgumentException("synthetic stream: need events >= 1, nodes >= 2, features >= 0; got "
                    + events + ", " + nodes + ", " + featureDim);
        }
        EdgeStream.Builder b = EdgeStream.builder("synthetic-" + events + "x" + nodes, "ms", featureDim);
        float[] features = new float[featureDim];
        for (int e = 0; e < events; e++) {
            int src = node(seed, e, 0, nodes);
            int dst = node(seed, e, 1, nodes);
            if (dst == src) {
                dst = (dst + 1) % nodes;
            }
            for (int j = 0; j < featureDim; j++) {
                features[j] = (float) (2 * uniform(seed, e, 2 + j) - 1);
            }
            b.add("n" + src, "n" + dst, e * STEP_MS, features, 0, 1);
        }
        return b.build();
    }

    private static int node(long seed, int event, int draw, int nodes) {
        int rank = (int) Math.min(nodes - 1, Math.floor(nodes * Math.pow(uniform(seed, event, draw), SKEW)));
        return (int) Math.floorMod(rank * 0x9E3779B1L, (long) nodes);
    }

    /** A uniform double in [0, 1) from (seed, event, draw). */
    private static double uniform(long seed, long event, int draw) {
        long h = NodeKeys.fmix64(seed * 0x9E3779B97F4A7C15L + event * 0xC2B2AE3D27D4EB4FL + draw);
        return (h >>> 11) * 0x1.0p-53;
    }
}
