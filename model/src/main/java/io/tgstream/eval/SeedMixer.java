package io.tgstream.eval;

import io.tgstream.data.NodeKeys;
import java.util.SplittableRandom;

/**
 * Derives independent, reproducible random streams from a tuple of longs (seed, purpose, sequence, ...), so that no
 * random choice depends on a shared mutable generator or on the order in which work is done.
 */
final class SeedMixer {
    private SeedMixer() {}

    /** A seed mixing every part: h = fmix64(h * golden + part) over the parts. */
    static long mix(long... parts) {
        long h = 0x9e3779b97f4a7c15L;
        for (long p : parts) {
            h = NodeKeys.fmix64(h * 0x9e3779b97f4a7c15L + p);
        }
        return h;
    }

    /** A fresh generator for the given parts. */
    static SplittableRandom random(long... parts) {
        return new SplittableRandom(mix(parts));
    }
}
