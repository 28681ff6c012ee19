package io.tgstream.model.nat;

/**
 * The shape of NAT's per-node neighbour dictionaries and the seed of their hashing and replacement draws.
 *
 * <p>The value width defaults to 4, NAT's own choice: the value only has to say "how this neighbour and I have
 * interacted", the code and the time encoding carry the rest, and 4 floats keep a full record (48 slots of key, time,
 * value = 32 bytes each) at about 1.5 KB, inside the 2 KB node budget beside a 100-float memory.
 *
 * @param hop1Slots           M1, slots of the hop-1 table (1..32)
 * @param hop2Slots           M2, slots of the hop-2 table (1..32)
 * @param valueDim            F, floats per slot value
 * @param replaceProbability  alpha: an occupied slot holding another key is overwritten with this probability
 * @param seed                seed of the slot hash and of the replacement draws
 */
public record DictionaryConfig(int hop1Slots, int hop2Slots, int valueDim, double replaceProbability, long seed) {
    /** NAT's M1. */
    public static final int DEFAULT_HOP1_SLOTS = 32;
    /** NAT's M2. */
    public static final int DEFAULT_HOP2_SLOTS = 16;
    /** NAT's value width (see the class comment). */
    public static final int DEFAULT_VALUE_DIM = 4;
    /** NAT's alpha. */
    public static final double DEFAULT_REPLACE_PROBABILITY = 0.9;
    /** Slot occupancy is kept in one int bit mask per table. */
    static final int MAX_SLOTS = 32;

    public DictionaryConfig {
        require(hop1Slots >= 1 && hop1Slots <= MAX_SLOTS, "hop1Slots must lie in 1.." + MAX_SLOTS + ", got " + hop1Slots);
        require(hop2Slots >= 1 && hop2Slots <= MAX_SLOTS, "hop2Slots must lie in 1.." + MAX_SLOTS + ", got " + hop2Slots);
        require(valueDim >= 1, "valueDim must be positive, got " + valueDim);
        require(replaceProbability >= 0 && replaceProbability <= 1,
                "replaceProbability must lie in [0, 1], got " + replaceProbability);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("neighbour dictionary config: " + message);
        }
    }

    /** NAT's defaults with the given seed. */
    public static DictionaryConfig defaults(long seed) {
        return new DictionaryConfig(DEFAULT_HOP1_SLOTS, DEFAULT_HOP2_SLOTS, DEFAULT_VALUE_DIM,
                DEFAULT_REPLACE_PROBABILITY, seed);
    }

    /** The maximum number of joint-neighbourhood entries of a pair: (1 + M1 + M2) per side. */
    public int maxJointEntries() {
        return 2 * (1 + hop1Slots + hop2Slots);
    }
}
