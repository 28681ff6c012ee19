package io.tgstream.model.nat;

import java.util.Arrays;

/**
 * The joint neighbourhoods of a batch of pairs (u, v), padded to K = 2 (1 + M1 + M2) entries per pair, from plain
 * arrays:
 * <pre>
 *   entries(u, v) = { hop 0: u itself, u's hop-1 slots, u's hop-2 slots, v itself, v's hop-1 slots, v's hop-2 slots }
 *   merged by key:  code = sum of the entries' hop bits ({@link HopCodes}), value = sum of the entries' values,
 *                   time = the latest of the entries' times, age = t_query - time
 * </pre>
 * Hop-0 entries carry a zero value and the node's last event time (the query time if it has none, age 0). Entries
 * appear in first-seen order of the list above (slot order within a table), which is deterministic; the merge uses a
 * small open-addressing table per pair, no hashing of Java objects. A hop-1 value still waiting for its refresh
 * (see {@link NeighbourDictionaries}) is not added: its refresh row is recorded instead ({@link #pendingRows}), so
 * that the scorer can add the value computed in its own graph.
 *
 * <p>Reads only the two endpoints' dictionaries as of the last applied batch: the locality rule.
 */
public final class JointNeighbourhood {
    private static final int TABLE = 256;
    private static final int NONE = -1;
    private final int rows;
    private final int slots;
    private final int valueDim;
    private final long[] keys;
    private final int[] codes;
    private final float[] values;
    private final int[] pendingA;
    private final int[] pendingB;
    private final float[] ages;
    private final float[] mask;
    private final int[] counts;

    private JointNeighbourhood(int rows, int slots, int valueDim) {
        this.rows = rows;
        this.slots = slots;
        this.valueDim = valueDim;
        int n = rows * slots;
        this.keys = new long[n];
        this.codes = new int[n];
        this.values = new float[n * valueDim];
        this.pendingA = new int[n];
        this.pendingB = new int[n];
        this.ages = new float[n];
        this.mask = new float[n];
        this.counts = new int[rows];
        Arrays.fill(pendingA, NONE);
        Arrays.fill(pendingB, NONE);
    }

    /** The joint neighbourhoods of the pairs (u[i], v[i]) queried at times[i]. */
    public static JointNeighbourhood ofPairs(NeighbourDictionaries d, int[] u, int[] v, long[] times) {
        if (u.length != v.length || u.length != times.length) {
            throw new IllegalArgumentException("pairs need as many sources, destinations and times; got " + u.length
                    + ", " + v.length + ", " + times.length);
        }
        JointNeighbourhood j = new JointNeighbourhood(u.length, d.config().maxJointEntries(), d.config().valueDim());
        Merger merger = new Merger(d, j);
        for (int r = 0; r < u.length; r++) {
            merger.start(r, times[r]);
            merger.side(u[r], 0);
            merger.side(v[r], 1);
            merger.finish();
        }
        return j;
    }

    /** One node's own neighbourhood (u side codes 1, 2, 4 only), padded to 1 + M1 + M2 entries: for node embeddings. */
    public static JointNeighbourhood ofNodes(NeighbourDictionaries d, int[] nodes, long[] times) {
        if (nodes.length != times.length) {
            throw new IllegalArgumentException("got " + nodes.length + " nodes and " + times.length + " times");
        }
        JointNeighbourhood j = new JointNeighbourhood(nodes.length, d.config().maxJointEntries() / 2,
                d.config().valueDim());
        Merger merger = new Merger(d, j);
        for (int r = 0; r < nodes.length; r++) {
            merger.start(r, times[r]);
            merger.side(nodes[r], 0);
            merger.finish();
        }
        return j;
    }

    /** Fills one row: a per-pair open-addressing table from key to entry, cleared after each row. */
    private static final class Merger {
        private final NeighbourDictionaries d;
        private final JointNeighbourhood j;
        private final int[] table = new int[TABLE];
        private final int[] usedCells = new int[TABLE];
        private final long[] latest;
        private int usedCount;
        private int row;
        private long queryTime;

        Merger(NeighbourDictionaries d, JointNeighbourhood j) {
            this.d = d;
            this.j = j;
            this.latest = new long[j.slots];
            Arrays.fill(table, NONE);
        }

        void start(int r, long t) {
            row = r;
            queryTime = t;
        }

        void side(int node, int side) {
            int m1 = d.config().hop1Slots();
            int m2 = d.config().hop2Slots();
            int f = j.valueDim;
            long selfTime = d.active[node] ? d.lastEvent[node] : queryTime;
            add(d.nodeKey(node), HopCodes.bit(side, 0), selfTime, null, 0, NONE);
            int used1 = d.hop1Used[node];
            for (int s = 0; s < m1; s++) {
                if ((used1 & (1 << s)) != 0) {
                    int idx = node * m1 + s;
                    add(d.hop1Key[idx], HopCodes.bit(side, 1), d.hop1Time[idx], d.hop1Value, idx * f,
                            d.pendingIndex(node, s));
                }
            }
            int used2 = d.hop2Used[node];
            for (int s = 0; s < m2; s++) {
                if ((used2 & (1 << s)) != 0) {
                    int idx = node * m2 + s;
                    add(d.hop2Key[idx], HopCodes.bit(side, 2), d.hop2Time[idx], d.hop2Value, idx * f, NONE);
                }
            }
        }

        private void add(long key, int bit, long time, float[] source, int sourceOffset, int pendingRow) {
            int cell = (int) SlotHash.mix(key) & (TABLE - 1);
            int base = row * j.slots;
            int entry;
            while (true) {
                int at = table[cell];
                if (at == NONE) {
                    entry = j.counts[row]++;
                    table[cell] = entry;
                    usedCells[usedCount++] = cell;
                    j.keys[base + entry] = key;
                    latest[entry] = time;
                    break;
                }
                if (j.keys[base + at] == key) {
                    entry = at;
                    latest[entry] = Math.max(latest[entry], time);
                    break;
                }
                cell = (cell + 1) & (TABLE - 1);
            }
            int e = base + entry;
            j.codes[e] |= bit;
            if (pendingRow != NONE) {
                if (j.pendingA[e] == NONE) {
                    j.pendingA[e] = pendingRow;
                } else {
                    j.pendingB[e] = pendingRow;
                }
            } else if (source != null) {
                int f = j.valueDim;
                for (int k = 0; k < f; k++) {
                    j.values[e * f + k] += source[sourceOffset + k];
                }
            }
        }

        void finish() {
            int base = row * j.slots;
            for (int entry = 0; entry < j.counts[row]; entry++) {
                j.ages[base + entry] = (float) (queryTime - latest[entry]);
                j.mask[base + entry] = 1f;
            }
            for (int i = 0; i < usedCount; i++) {
                table[usedCells[i]] = NONE;
            }
            usedCount = 0;
        }
    }

    /** Number of pairs (rows). */
    public int rows() { return rows; }

    /** K, the padded number of entries per row. */
    public int slots() { return slots; }

    public int valueDim() { return valueDim; }

    /** Number of valid entries of a row. */
    public int count(int row) { return counts[row]; }

    public long key(int row, int entry) { return keys[row * slots + entry]; }

    /** The hop code of an entry (0 for padding). */
    public int code(int row, int entry) { return codes[row * slots + entry]; }

    /** Component k of the stored part of an entry's summed value. */
    public float value(int row, int entry, int k) { return values[(row * slots + entry) * valueDim + k]; }

    public float age(int row, int entry) { return ages[row * slots + entry]; }

    /** The refresh rows (0, 1 or 2 of them, -1 for none) whose fresh values add to this entry's value. */
    public int[] pendingRows(int row, int entry) {
        int e = row * slots + entry;
        return new int[] {pendingA[e], pendingB[e]};
    }

    // flat views for the scorer (same package; never modified there)
    int[] codes() { return codes; }

    float[] values() { return values; }

    float[] ages() { return ages; }

    float[] mask() { return mask; }

    int[] pendingA() { return pendingA; }

    int[] pendingB() { return pendingB; }
}
