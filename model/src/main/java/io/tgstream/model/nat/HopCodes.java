package io.tgstream.model.nat;

/**
 * NAT's 6-bit joint-neighbourhood code: the u side marks hop 0/1/2 with bits 1/2/4, the v side with 8/16/32; an entry's
 * code is the sum of the bits of every dictionary entry that shares its key (a key sits at most once per table, so
 * the sum is also the bitwise or). Code 0 marks padding.
 */
public final class HopCodes {
    /** Number of distinct codes, the rows of the code embedding. */
    public static final int CODES = 64;
    /** Bits of one side. */
    static final int SIDE_BITS = 3;
    private static final int SIDE_MASK = 0b111;

    private HopCodes() {
    }

    /** The bit of hop 0, 1 or 2 on the u side (0) or the v side (1). */
    public static int bit(int side, int hop) {
        return 1 << (hop + SIDE_BITS * side);
    }

    /** Whether the code has a bit on both sides: a neighbour common to u and v (or one endpoint seen by the other). */
    public static boolean common(int code) {
        return (code & SIDE_MASK) != 0 && ((code >>> SIDE_BITS) & SIDE_MASK) != 0;
    }

    /** The smallest hop (0, 1, 2) of the side (0 = u, 1 = v) in the code, or -1 if the side has no bit. */
    public static int nearestHop(int code, int side) {
        int bits = (code >>> (SIDE_BITS * side)) & SIDE_MASK;
        return bits == 0 ? -1 : Integer.numberOfTrailingZeros(bits);
    }
}
