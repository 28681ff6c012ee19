package io.tgstream.eval;

import java.util.Arrays;

/**
 * Numbers directed node pairs (src, dst) 0, 1, 2, ... in order of first insertion: an open-addressing hash table from
 * the packed pair to its number, without boxing (EdgeBank, the samplers and the trainer's historical negatives look up
 * millions of pairs).
 */
public final class PairIndex {
    private static final long EMPTY = -1L;
    private long[] keys;
    private int[] values;
    private int size;
    private int mask;

    public PairIndex(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[cap];
        Arrays.fill(keys, EMPTY);
        values = new int[cap];
        mask = cap - 1;
    }

    /** The pair as one long: src in the high 32 bits, dst in the low. */
    public static long pack(int src, int dst) {
        return ((long) src << 32) | (dst & 0xffffffffL);
    }

    public static int srcOf(long pair) { return (int) (pair >>> 32); }
    public static int dstOf(long pair) { return (int) pair; }

    public int size() { return size; }

    /** The pair's number, or -1 when absent. */
    public int get(int src, int dst) {
        long k = pack(src, dst);
        int i = slot(k);
        while (true) {
            long kk = keys[i];
            if (kk == k) return values[i];
            if (kk == EMPTY) return -1;
            i = (i + 1) & mask;
        }
    }

    /** The pair's number, inserting it (with the next number) when absent. */
    public int getOrAdd(int src, int dst) {
        long k = pack(src, dst);
        int i = slot(k);
        while (true) {
            long kk = keys[i];
            if (kk == k) return values[i];
            if (kk == EMPTY) {
                keys[i] = k;
                values[i] = size;
                if (++size * 2 > keys.length) rehash();
                return size - 1;
            }
            i = (i + 1) & mask;
        }
    }

    public void clear() {
        Arrays.fill(keys, EMPTY);
        size = 0;
    }

    private int slot(long k) {
        return (int) io.tgstream.data.NodeKeys.fmix64(k) & mask;
    }

    private void rehash() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        Arrays.fill(keys, EMPTY);
        values = new int[keys.length];
        mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] == EMPTY) continue;
            int i = slot(oldKeys[j]);
            while (keys[i] != EMPTY) i = (i + 1) & mask;
            keys[i] = oldKeys[j];
            values[i] = oldValues[j];
        }
    }
}
