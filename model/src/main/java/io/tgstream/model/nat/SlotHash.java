package io.tgstream.model.nat;

/**
 * The two seeded functions behind the dictionaries: where a key goes, and whether it may evict another key.
 * <pre>
 *   mix(z)                 = SplitMix64's finaliser (z ^ z>>>30) * C1, (z ^ z>>>27) * C2, z ^ z>>>31
 *   slot(key, hop, M)      = unsigned( mix(key + mix(seed + hop * G)) ) mod M          (hop 1 or 2, G = golden gamma)
 *   draws(seq, node)       : state_0 = mix(seed + mix(seq + mix(nodeKey))), state_i = state_{i-1} + G,
 *                            u_i = (mix(state_i) >>> 11) * 2^-53       (a SplitMix64 stream)
 * </pre>
 * The draw stream is seeded by (seed, event sequence, node key) only, never by a shared generator, so the same
 * event replayed anywhere (offline, or in the node's own Flink partition) draws the same numbers.
 */
public final class SlotHash {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    private final long seed;
    private final long hop1Salt;
    private final long hop2Salt;

    public SlotHash(long seed) {
        this.seed = seed;
        this.hop1Salt = mix(seed + GOLDEN_GAMMA);
        this.hop2Salt = mix(seed + 2 * GOLDEN_GAMMA);
    }

    /** The slot of {@code key} in a table of {@code slots} slots of hop 1 or 2. */
    public int slot(long key, int hop, int slots) {
        long salt = hop == 1 ? hop1Salt : hop2Salt;
        return (int) Long.remainderUnsigned(mix(key + salt), slots);
    }

    /** The replacement draws of one node in one event. */
    public Draws draws(long sequence, long nodeKey) {
        return new Draws(mix(seed + mix(sequence + mix(nodeKey))));
    }

    /** SplitMix64's output function. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** A SplitMix64 stream of uniform doubles in [0, 1). */
    public static final class Draws {
        private long state;

        private Draws(long state) {
            this.state = state;
        }

        public double nextDouble() {
            state += GOLDEN_GAMMA;
            return (mix(state) >>> 11) * 0x1.0p-53;
        }
    }
}
