package io.tgstream.model.nat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * The compact serialized form of one node's dictionaries, the part of the per-node state record (DESIGN.md section 4)
 * that NAT adds:
 * <pre>
 *   version (1 byte) | M1, M2, F (1 byte each) | flags (1 byte: bit 0 = has events) | last event time (int64)
 *   | hop-1 occupancy (int32 bit mask) | hop-2 occupancy (int32 bit mask)
 *   | per occupied slot, hop 1 then hop 2, in slot order: key (int64), time (int64), F x float32
 * </pre>
 * Size = 21 + (occupied slots) x (16 + 4F) bytes: at the defaults (F = 4) at most 21 + 48 x 32 = 1557 bytes.
 * Slot positions are implied by the masks. Values waiting for a refresh cannot be serialized (write them first).
 */
public final class DictionaryCodec {
    /** The format version written in the first byte. */
    public static final byte VERSION = 1;
    private static final int HEADER_BYTES = 1 + 3 + 1 + 8 + 4 + 4;

    private DictionaryCodec() {
    }

    /** The encoded size of one node's dictionaries in bytes. */
    public static int encodedSize(NeighbourDictionaries d, int node) {
        return HEADER_BYTES + (d.hop1Count(node) + d.hop2Count(node)) * slotBytes(d.config());
    }

    /** The largest encoded size under a config (every slot occupied). */
    public static int maxEncodedSize(DictionaryConfig config) {
        return HEADER_BYTES + (config.hop1Slots() + config.hop2Slots()) * slotBytes(config);
    }

    private static int slotBytes(DictionaryConfig config) {
        return 8 + 8 + 4 * config.valueDim();
    }

    /** Encodes one node's dictionaries. */
    public static byte[] encode(NeighbourDictionaries d, int node) {
        if (d.outstanding() != null) {
            for (int s = 0; s < d.config().hop1Slots(); s++) {
                if (d.hop1Occupied(node, s) && d.hop1PendingRow(node, s) >= 0) {
                    throw new IllegalStateException("node " + node + " has a hop-1 value waiting for its refresh: "
                            + "call writeRefreshed before serializing");
                }
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encodedSize(d, node));
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            int m1 = d.config().hop1Slots();
            int m2 = d.config().hop2Slots();
            int f = d.config().valueDim();
            out.writeByte(VERSION);
            out.writeByte(m1);
            out.writeByte(m2);
            out.writeByte(f);
            out.writeByte(d.active[node] ? 1 : 0);
            out.writeLong(d.lastEvent[node]);
            out.writeInt(d.hop1Used[node]);
            out.writeInt(d.hop2Used[node]);
            writeSlots(out, d.hop1Used[node], node * m1, m1, f, d.hop1Key, d.hop1Time, d.hop1Value);
            writeSlots(out, d.hop2Used[node], node * m2, m2, f, d.hop2Key, d.hop2Time, d.hop2Value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void writeSlots(DataOutputStream out, int used, int base, int m, int f, long[] keys, long[] times,
                                   float[] values) throws IOException {
        for (int s = 0; s < m; s++) {
            if ((used & (1 << s)) != 0) {
                out.writeLong(keys[base + s]);
                out.writeLong(times[base + s]);
                for (int j = 0; j < f; j++) {
                    out.writeFloat(values[(base + s) * f + j]);
                }
            }
        }
    }

    /**
     * Replaces one node's dictionaries with the decoded ones.
     *
     * @throws IllegalArgumentException if the bytes are of another version, another table size, or truncated
     */
    public static void decode(byte[] encoded, NeighbourDictionaries d, int node) {
        int m1 = d.config().hop1Slots();
        int m2 = d.config().hop2Slots();
        int f = d.config().valueDim();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("neighbour dictionary record has format version " + version
                        + ", this build reads version " + VERSION);
            }
            int recordM1 = in.readUnsignedByte();
            int recordM2 = in.readUnsignedByte();
            int recordF = in.readUnsignedByte();
            if (recordM1 != m1 || recordM2 != m2 || recordF != f) {
                throw new IllegalArgumentException("neighbour dictionary record was written with M1 = " + recordM1
                        + ", M2 = " + recordM2 + ", F = " + recordF + "; this store has " + m1 + ", " + m2 + ", " + f
                        + ": restore it with the dictionary config it was written with");
            }
            boolean active = (in.readByte() & 1) != 0;
            long last = in.readLong();
            int used1 = in.readInt();
            int used2 = in.readInt();
            int expected = HEADER_BYTES + (Integer.bitCount(used1) + Integer.bitCount(used2)) * (16 + 4 * f);
            if (encoded.length != expected) {
                throw new IllegalArgumentException("neighbour dictionary record has " + encoded.length
                        + " bytes, its masks need " + expected + ": truncated or corrupt");
            }
            d.active[node] = active;
            d.lastEvent[node] = last;
            d.hop1Used[node] = used1;
            d.hop2Used[node] = used2;
            readSlots(in, used1, node * m1, m1, f, d.hop1Key, d.hop1Time, d.hop1Value);
            readSlots(in, used2, node * m2, m2, f, d.hop2Key, d.hop2Time, d.hop2Value);
        } catch (IOException e) {
            throw new IllegalArgumentException("neighbour dictionary record is truncated (" + encoded.length
                    + " bytes)", e);
        }
    }

    private static void readSlots(DataInputStream in, int used, int base, int m, int f, long[] keys, long[] times,
                                  float[] values) throws IOException {
        for (int s = 0; s < m; s++) {
            int idx = base + s;
            if ((used & (1 << s)) != 0) {
                keys[idx] = in.readLong();
                times[idx] = in.readLong();
                for (int j = 0; j < f; j++) {
                    values[idx * f + j] = in.readFloat();
                }
            } else {
                keys[idx] = 0L;
                times[idx] = 0L;
                Arrays.fill(values, idx * f, (idx + 1) * f, 0f);
            }
        }
    }
}
