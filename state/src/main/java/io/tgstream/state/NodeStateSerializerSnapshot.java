package io.tgstream.state;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The versioned snapshot of {@link NodeStateSerializer} stored in checkpoints and savepoints.
 *
 * <p>Snapshot version 1 stores the newest record format the serializer wrote (one byte). Because every record carries
 * its own format byte, a newer serializer that reads all older formats is compatible as is; a state written by a
 * newer format than this build knows is refused with a message that says so.
 */
public final class NodeStateSerializerSnapshot implements TypeSerializerSnapshot<NodeState> {
    /** Version of this snapshot's own layout. */
    static final int SNAPSHOT_VERSION = 1;

    private byte writtenFormat;

    /** For Flink's reflective instantiation on restore. */
    public NodeStateSerializerSnapshot() {
        this(NodeStateSerializer.CURRENT_FORMAT);
    }

    NodeStateSerializerSnapshot(byte writtenFormat) {
        this.writtenFormat = writtenFormat;
    }

    /** The newest record format of the state this snapshot describes. */
    public byte writtenFormat() { return writtenFormat; }

    @Override
    public int getCurrentVersion() { return SNAPSHOT_VERSION; }

    @Override
    public void writeSnapshot(DataOutputView out) throws IOException {
        out.writeByte(writtenFormat);
    }

    @Override
    public void readSnapshot(int readVersion, DataInputView in, ClassLoader userCodeClassLoader) throws IOException {
        if (readVersion != SNAPSHOT_VERSION) {
            throw new IOException("node state serializer snapshot of version " + readVersion
                    + " is unknown to this build (knows " + SNAPSHOT_VERSION + ")");
        }
        writtenFormat = in.readByte();
    }

    @Override
    public TypeSerializer<NodeState> restoreSerializer() {
        return NodeStateSerializer.INSTANCE;
    }

    @Override
    public TypeSerializerSchemaCompatibility<NodeState> resolveSchemaCompatibility(
            TypeSerializerSnapshot<NodeState> oldSerializerSnapshot) {
        if (!(oldSerializerSnapshot instanceof NodeStateSerializerSnapshot old)) {
            return TypeSerializerSchemaCompatibility.incompatible();
        }
        return old.writtenFormat <= NodeStateSerializer.CURRENT_FORMAT
                ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                : TypeSerializerSchemaCompatibility.incompatible();
    }
}
