package io.tgstream.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataOutputSerializer;

/** Fixed node states for the serializer tests, and the writer of the committed v1 resource (run once by hand). */
final class NodeStateSamples {
    /** Test resource: a versioned v1 serializer snapshot followed by two v1 records ({@link #v1Records()}). */
    static final String V1_RESOURCE = "/io/tgstream/state/node-state-v1.bin";

    private NodeStateSamples() {}

    /** A state with every section filled: d = 4, PRES, K = 3 slots of p = 2, ring wrapped once. */
    static NodeState full() {
        NodeState s = NodeState.empty(4, true, 3, 2);
        s.commitMemory(new float[] {0.5f, -1.25f, 3f, Float.MIN_VALUE}, 0, 17L);
        s.commitMemory(new float[] {0.75f, -1f, 2f, -0f}, 0, 42L);
        for (int i = 0; i < 4; i++) {
            s.addPartner(new float[] {i, -i * 0.5f}, 0, 100L + i);
        }
        return s;
    }

    /** The records in the v1 resource, in order. */
    static NodeState[] v1Records() {
        NodeState noPres = NodeState.empty(2, false, 0, 5);
        noPres.commitMemory(new float[] {Float.NaN, Float.POSITIVE_INFINITY}, 0, Long.MAX_VALUE);
        return new NodeState[] {full(), noPres};
    }

    /** Writes the v1 resource (how the committed file was made): {@code main(<path>)}. */
    public static void main(String[] args) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, NodeStateSerializer.INSTANCE.snapshotConfiguration());
        for (NodeState s : v1Records()) {
            NodeStateSerializer.INSTANCE.serialize(s, out);
        }
        Files.write(Path.of(args[0]), out.getCopyOfBuffer());
    }
}
