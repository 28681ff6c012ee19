package io.tgstream.model.nat;

import io.tgstream.data.EdgeStream;
import java.util.Arrays;

/**
 * NAT's neighbour dictionaries of every node of an offline replay, in flat arrays indexed by dense node index: a
 * hop-1 hash table of M1 slots and a hop-2 table of M2 slots, each slot holding (neighbour key, time, F-float value),
 * plus the node's last event time (its hop-0 entry).
 *
 * <p>Writes, for event (u, v, t) with stream index e, in event order within a batch:
 * <ol>
 *   <li>v into u's hop-1 at slot(key_v, 1, M1), time t; if v is already there its value is kept until the refresh
 *       (see {@link RefreshRequests}) writes the new one, a new key starts from zeros;</li>
 *   <li>u into v's hop-1, the same way (skipped for a self-loop);</li>
 *   <li>every entry of v's hop-1 <em>as of the start of the batch</em>, in slot order, into u's hop-2 at
 *       slot(key, 2, M2), with its stored time and value;</li>
 *   <li>every entry of u's start-of-batch hop-1 into v's hop-2 (skipped for a self-loop).</li>
 * </ol>
 * A slot that is empty or holds the same key is written; a slot holding another key is overwritten only if the next
 * draw of node x's stream {@link SlotHash#draws}(e, key_x) is below alpha (draws are taken in the order above, one
 * per contested slot). Hop-2 copies come from the start-of-batch hop-1 because that is what the partner can send in
 * its half of the event in the stream (DESIGN.md section 3).
 *
 * <p>Batch protocol: {@link #applyBatch} returns the batch's refresh requests and leaves the refreshed slots marked
 * pending (readers see their row number through {@link #hop1PendingRow}); {@link #writeRefreshed} stores the new
 * values and must come before the next {@code applyBatch}. An evaluator calls both at the end of the batch; a trainer
 * may call {@code writeRefreshed} at the end of the next batch, after computing the values in that batch's graph.
 */
public final class NeighbourDictionaries {
    private static final int NONE = -1;
    private final DictionaryConfig config;
    private final SlotHash hash;
    private final long[] nodeKeys;
    private final int nodes;
    private final int m1;
    private final int m2;
    private final int f;
    final long[] hop1Key;
    final long[] hop1Time;
    final float[] hop1Value;
    final int[] hop1Used;
    private final int[] hop1Pending;
    final long[] hop2Key;
    final long[] hop2Time;
    final float[] hop2Value;
    final int[] hop2Used;
    final long[] lastEvent;
    final boolean[] active;
    private final int[] snapshotOf;
    private RefreshRequests outstanding;

    /** Empty dictionaries for nodes 0..n-1 with the given 64-bit keys (index -> key, as {@link EdgeStream#nodeKey}). */
    public NeighbourDictionaries(long[] nodeKeys, DictionaryConfig config) {
        this.config = config;
        this.hash = new SlotHash(config.seed());
        this.nodeKeys = nodeKeys.clone();
        this.nodes = nodeKeys.length;
        this.m1 = config.hop1Slots();
        this.m2 = config.hop2Slots();
        this.f = config.valueDim();
        this.hop1Key = new long[nodes * m1];
        this.hop1Time = new long[nodes * m1];
        this.hop1Value = new float[nodes * m1 * f];
        this.hop1Used = new int[nodes];
        this.hop1Pending = new int[nodes * m1];
        this.hop2Key = new long[nodes * m2];
        this.hop2Time = new long[nodes * m2];
        this.hop2Value = new float[nodes * m2 * f];
        this.hop2Used = new int[nodes];
        this.lastEvent = new long[nodes];
        this.active = new boolean[nodes];
        this.snapshotOf = new int[nodes];
        Arrays.fill(hop1Pending, NONE);
        Arrays.fill(snapshotOf, NONE);
    }

    /** Empty dictionaries for the nodes of a stream. */
    public static NeighbourDictionaries forStream(EdgeStream stream, DictionaryConfig config) {
        long[] keys = new long[stream.nodeCount()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = stream.nodeKey(i);
        }
        return new NeighbourDictionaries(keys, config);
    }

    /** Back to empty (start of an epoch or of a replay). */
    public void reset() {
        Arrays.fill(hop1Used, 0);
        Arrays.fill(hop2Used, 0);
        Arrays.fill(hop1Key, 0L);
        Arrays.fill(hop1Time, 0L);
        Arrays.fill(hop1Value, 0f);
        Arrays.fill(hop2Key, 0L);
        Arrays.fill(hop2Time, 0L);
        Arrays.fill(hop2Value, 0f);
        Arrays.fill(hop1Pending, NONE);
        Arrays.fill(lastEvent, 0L);
        Arrays.fill(active, false);
        outstanding = null;
    }

    /**
     * Applies one batch's insertions (events are stream indices in time order) and returns its refresh requests,
     * computed from the state before the batch.
     *
     * @throws IllegalStateException if the previous batch's refreshed values have not been written yet
     */
    public RefreshRequests applyBatch(EdgeStream stream, int[] events) {
        if (outstanding != null) {
            throw new IllegalStateException("the previous batch's refreshed values are not written yet: call "
                    + "writeRefreshed before applying the next batch");
        }
        if (stream.nodeCount() != nodes) {
            throw new IllegalArgumentException("the stream has " + stream.nodeCount() + " nodes, these dictionaries "
                    + nodes + ": build them with forStream(stream, config)");
        }
        RefreshRequests requests = refreshRequests(stream, events);
        int[] batchNodes = distinctNodes(stream, events);
        long[] snapKey = new long[batchNodes.length * m1];
        long[] snapTime = new long[batchNodes.length * m1];
        float[] snapValue = new float[batchNodes.length * m1 * f];
        int[] snapUsed = new int[batchNodes.length];
        for (int i = 0; i < batchNodes.length; i++) {
            int x = batchNodes[i];
            snapshotOf[x] = i;
            System.arraycopy(hop1Key, x * m1, snapKey, i * m1, m1);
            System.arraycopy(hop1Time, x * m1, snapTime, i * m1, m1);
            System.arraycopy(hop1Value, x * m1 * f, snapValue, i * m1 * f, m1 * f);
            snapUsed[i] = hop1Used[x];
        }
        int row = 0;
        for (int e : events) {
            int u = stream.src(e);
            int v = stream.dst(e);
            long t = stream.timestamp(e);
            SlotHash.Draws du = hash.draws(e, nodeKeys[u]);
            insertHop1(u, nodeKeys[v], t, row++, du);
            SlotHash.Draws dv = null;
            if (u != v) {
                dv = hash.draws(e, nodeKeys[v]);
                insertHop1(v, nodeKeys[u], t, row++, dv);
            }
            copyIntoHop2(u, snapshotOf[v], snapKey, snapTime, snapValue, snapUsed, du);
            if (u != v) {
                copyIntoHop2(v, snapshotOf[u], snapKey, snapTime, snapValue, snapUsed, dv);
            }
            lastEvent[u] = t;
            lastEvent[v] = t;
            active[u] = true;
            active[v] = true;
        }
        for (int x : batchNodes) {
            snapshotOf[x] = NONE;
        }
        outstanding = requests;
        return requests;
    }

    private RefreshRequests refreshRequests(EdgeStream stream, int[] events) {
        int n = 0;
        for (int e : events) {
            n += stream.src(e) == stream.dst(e) ? 1 : 2;
        }
        int[] owners = new int[n];
        int[] neighbours = new int[n];
        int[] rowEvents = new int[n];
        float[] dt = new float[n];
        float[] old = new float[n * f];
        int row = 0;
        for (int e : events) {
            int u = stream.src(e);
            int v = stream.dst(e);
            long t = stream.timestamp(e);
            row = request(u, v, e, t, row, owners, neighbours, rowEvents, dt, old);
            if (u != v) {
                row = request(v, u, e, t, row, owners, neighbours, rowEvents, dt, old);
            }
        }
        return new RefreshRequests(f, owners, neighbours, rowEvents, dt, old);
    }

    private int request(int owner, int neighbour, int e, long t, int row, int[] owners, int[] neighbours,
                        int[] rowEvents, float[] dt, float[] old) {
        owners[row] = owner;
        neighbours[row] = neighbour;
        rowEvents[row] = e;
        int slot = findHop1(owner, nodeKeys[neighbour]);
        if (slot >= 0) {
            int idx = owner * m1 + slot;
            dt[row] = (float) (t - hop1Time[idx]);
            System.arraycopy(hop1Value, idx * f, old, row * f, f);
        }
        return row + 1;
    }

    private int[] distinctNodes(EdgeStream stream, int[] events) {
        int[] out = new int[2 * events.length];
        int n = 0;
        for (int e : events) {
            for (int x : new int[] {stream.src(e), stream.dst(e)}) {
                if (snapshotOf[x] == NONE) {
                    snapshotOf[x] = n;
                    out[n++] = x;
                }
            }
        }
        return Arrays.copyOf(out, n);
    }

    private void insertHop1(int node, long key, long t, int row, SlotHash.Draws draws) {
        int slot = hash.slot(key, 1, m1);
        int idx = node * m1 + slot;
        int bit = 1 << slot;
        boolean used = (hop1Used[node] & bit) != 0;
        if (used && hop1Key[idx] == key) {
            hop1Time[idx] = t;
            hop1Pending[idx] = row;
            return;
        }
        if (used && !(draws.nextDouble() < config.replaceProbability())) {
            return;
        }
        hop1Used[node] |= bit;
        hop1Key[idx] = key;
        hop1Time[idx] = t;
        Arrays.fill(hop1Value, idx * f, (idx + 1) * f, 0f);
        hop1Pending[idx] = row;
    }

    private void copyIntoHop2(int node, int snap, long[] snapKey, long[] snapTime, float[] snapValue, int[] snapUsed,
                              SlotHash.Draws draws) {
        int used = snapUsed[snap];
        for (int s = 0; s < m1; s++) {
            if ((used & (1 << s)) == 0) {
                continue;
            }
            int from = snap * m1 + s;
            long key = snapKey[from];
            int slot = hash.slot(key, 2, m2);
            int idx = node * m2 + slot;
            int bit = 1 << slot;
            boolean occupied = (hop2Used[node] & bit) != 0;
            if (occupied && hop2Key[idx] != key && !(draws.nextDouble() < config.replaceProbability())) {
                continue;
            }
            hop2Used[node] |= bit;
            hop2Key[idx] = key;
            hop2Time[idx] = snapTime[from];
            System.arraycopy(snapValue, from * f, hop2Value, idx * f, f);
        }
    }

    /**
     * Stores the refreshed values of the last applied batch: row r of {@code values} ([size * F], row-major) goes to
     * the slot that row r marked, unless a later row or another key took the slot since.
     */
    public void writeRefreshed(RefreshRequests requests, float[] values) {
        if (requests != outstanding) {
            throw new IllegalStateException("these refresh requests are not the last applied batch's");
        }
        if (values.length != requests.size() * f) {
            throw new IllegalArgumentException("expected " + requests.size() + " x " + f + " refreshed values, got "
                    + values.length + " floats");
        }
        for (int row = 0; row < requests.size(); row++) {
            int owner = requests.owner(row);
            int idx = owner * m1 + hash.slot(nodeKeys[requests.neighbour(row)], 1, m1);
            if (hop1Pending[idx] == row) {
                System.arraycopy(values, row * f, hop1Value, idx * f, f);
                hop1Pending[idx] = NONE;
            }
        }
        outstanding = null;
    }

    /** The requests of the last applied batch whose values are not written yet, or null. */
    public RefreshRequests outstanding() { return outstanding; }

    public DictionaryConfig config() { return config; }

    public SlotHash hash() { return hash; }

    public int nodeCount() { return nodes; }

    public long nodeKey(int node) { return nodeKeys[node]; }

    /** Whether the node has taken part in an applied event. */
    public boolean hasEvents(int node) { return active[node]; }

    /** The time of the node's last applied event (0 if none). */
    public long lastEventTime(int node) { return lastEvent[node]; }

    public boolean hop1Occupied(int node, int slot) { return (hop1Used[node] & (1 << slot)) != 0; }

    public long hop1Key(int node, int slot) { return hop1Key[node * m1 + slot]; }

    public long hop1Time(int node, int slot) { return hop1Time[node * m1 + slot]; }

    public float hop1Value(int node, int slot, int j) { return hop1Value[(node * m1 + slot) * f + j]; }

    /** The refresh row whose value this hop-1 slot is waiting for, or -1 when its value is stored. */
    public int hop1PendingRow(int node, int slot) { return hop1Pending[node * m1 + slot]; }

    public boolean hop2Occupied(int node, int slot) { return (hop2Used[node] & (1 << slot)) != 0; }

    public long hop2Key(int node, int slot) { return hop2Key[node * m2 + slot]; }

    public long hop2Time(int node, int slot) { return hop2Time[node * m2 + slot]; }

    public float hop2Value(int node, int slot, int j) { return hop2Value[(node * m2 + slot) * f + j]; }

    /** Number of occupied hop-1 / hop-2 slots. */
    public int hop1Count(int node) { return Integer.bitCount(hop1Used[node]); }

    public int hop2Count(int node) { return Integer.bitCount(hop2Used[node]); }

    /** The hop-1 slot holding {@code key}, or -1. */
    public int findHop1(int node, long key) {
        int slot = hash.slot(key, 1, m1);
        return hop1Occupied(node, slot) && hop1Key[node * m1 + slot] == key ? slot : NONE;
    }

    /** The hop-2 slot holding {@code key}, or -1. */
    public int findHop2(int node, long key) {
        int slot = hash.slot(key, 2, m2);
        return hop2Occupied(node, slot) && hop2Key[node * m2 + slot] == key ? slot : NONE;
    }

    int pendingIndex(int node, int slot) { return hop1Pending[node * m1 + slot]; }
}
