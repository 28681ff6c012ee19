package io.tgstream.state;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The Flink serializer of {@link NodeState} (never Kryo): a compact, self-describing binary record.
 *
 * <p>Record format, version {@value #FORMAT_V1}:
 * <pre>
 *   byte  version (1)
 *   int   d;  float[d] memory;  long lastUpdate
 *   int   presCount;  int m (d or 0);  float[m] presMean
 *   int   K;  int p;  int partnerCount;  float[K * p] partnerValues;  long[K] partnerTimes
 * </pre>
 * Every record starts with its format version, so a later version (e.g. with NAT dictionaries appended) reads old
 * records unchanged; the serializer's snapshot ({@link NodeStateSerializerSnapshot}) records the newest format it
 * wrote.
 */
public final class NodeStateSerializer extends TypeSerializer<NodeState> {
    private static final long serialVersionUID = 1L;

    /** The first record format. */
    public static final byte FORMAT_V1 = 1;
    /** The format this serializer writes. */
    public static final byte CURRENT_FORMAT = FORMAT_V1;
    /** Bound on any one dimension read back, so that a corrupt record fails clearly instead of allocating GBs. */
    static final int MAX_DIMENSION = 1 << 24;

    public static final NodeStateSerializer INSTANCE = new NodeStateSerializer();

    @Override
    public boolean isImmutableType() { return false; }

    @Override
    public TypeSerializer<NodeState> duplicate() { return this; } // stateless

    @Override
    public NodeState createInstance() { return NodeState.empty(0, false, 0, 0); }

    @Override
    public NodeState copy(NodeState from) { return from.copy(); }

    @Override
    public NodeState copy(NodeState from, NodeState reuse) { return from.copy(); }

    @Override
    public int getLength() { return -1; }

    /** Serialized size in bytes of a state (what RocksDB stores per node, before compression). */
    public static int serializedSize(NodeState s) {
        return 1 + 4 + 4 * s.memoryDim() + 8 + 4 + 4 + 4 * s.presMeanArray().length
                + 4 + 4 + 4 + 4 * s.partnerValuesArray().length + 8 * s.partnerSlots();
    }

    @Override
    public void serialize(NodeState s, DataOutputView out) throws IOException {
        out.writeByte(CURRENT_FORMAT);
        writeFloats(s.memoryArray(), out);
        out.writeLong(s.lastUpdate());
        out.writeInt(s.presCount());
        writeFloats(s.presMeanArray(), out);
        long[] times = s.partnerTimesArray();
        out.writeInt(times.length);
        out.writeInt(s.partnerDim());
        out.writeInt(s.partnerCount());
        float[] values = s.partnerValuesArray();
        for (float v : values) {
            out.writeFloat(v);
        }
        for (long t : times) {
            out.writeLong(t);
        }
    }

    private static void writeFloats(float[] a, DataOutputView out) throws IOException {
        out.writeInt(a.length);
        for (float v : a) {
            out.writeFloat(v);
        }
    }

    @Override
    public NodeState deserialize(DataInputView in) throws IOException {
        byte version = in.readByte();
        if (version != FORMAT_V1) {
            throw new IOException("node state record of format version " + version + ", but this build reads only "
                    + "version " + FORMAT_V1 + ": restore with the tgstream version that wrote the state");
        }
        float[] memory = readFloats(in, "memory");
        long lastUpdate = in.readLong();
        int presCount = in.readInt();
        float[] presMean = readFloats(in, "PRES mean");
        if (presMean.length != 0 && presMean.length != memory.length) {
            throw new IOException("corrupt node state: PRES mean of width " + presMean.length + " for memory of width "
                    + memory.length);
        }
        int k = dimension(in.readInt(), "K");
        int p = dimension(in.readInt(), "p");
        int partnerCount = in.readInt();
        if ((long) k * p > MAX_DIMENSION) {
            throw new IOException("corrupt node state: partner table " + k + " x " + p);
        }
        float[] values = new float[k * p];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readFloat();
        }
        long[] times = new long[k];
        for (int i = 0; i < k; i++) {
            times[i] = in.readLong();
        }
        return new NodeState(memory, lastUpdate, presMean, presCount, p, values, times, partnerCount);
    }

    private static float[] readFloats(DataInputView in, String what) throws IOException {
        float[] a = new float[dimension(in.readInt(), what)];
        for (int i = 0; i < a.length; i++) {
            a[i] = in.readFloat();
        }
        return a;
    }

    private static int dimension(int n, String what) throws IOException {
        if (n < 0 || n > MAX_DIMENSION) {
            throw new IOException("corrupt node state: " + what + " has length " + n);
        }
        return n;
    }

    @Override
    public NodeState deserialize(NodeState reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public boolean equals(Object obj) { return obj instanceof NodeStateSerializer; }

    @Override
    public int hashCode() { return NodeStateSerializer.class.hashCode(); }

    @Override
    public TypeSerializerSnapshot<NodeState> snapshotConfiguration() {
        return new NodeStateSerializerSnapshot(CURRENT_FORMAT);
    }

    private Object readResolve() {
        return INSTANCE;
    }
}
