package io.tgstream.bench.kernels;

import io.tgstream.model.MemoryModelConfig;
import io.tgstream.state.NodeState;
import io.tgstream.state.NodeStateSerializer;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Serialization and deserialization of one node record ({@link NodeStateSerializer}, time per record) at its largest
 * default shape: d = 100 memory, PRES statistics, a full list of recent partners.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NodeStateKernel {
    private NodeState state;
    private DataOutputSerializer out;
    private DataInputDeserializer in;
    private byte[] bytes;

    /** A node record of the default dimensions with every field filled. */
    public static NodeState fullRecord(boolean pres, int partnerSlots) {
        int d = MemoryModelConfig.DEFAULT_MEMORY_DIM;
        int p = MemoryModelConfig.DEFAULT_PARTNER_DIM;
        NodeState s = NodeState.empty(d, pres, partnerSlots, p);
        float[] memory = new float[d];
        float[] partner = new float[p];
        for (int round = 1; round <= Math.max(2, partnerSlots); round++) {
            for (int i = 0; i < d; i++) memory[i] = (float) Math.sin(round * 31 + i);
            s.commitMemory(memory, 0, round * 1000L);
            if (partnerSlots > 0) {
                for (int j = 0; j < p; j++) partner[j] = (float) Math.cos(round * 17 + j);
                s.addPartner(partner, 0, round * 1000L);
            }
        }
        return s;
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        state = fullRecord(true, MemoryModelConfig.DEFAULT_RECENT_PARTNERS);
        out = new DataOutputSerializer(NodeStateSerializer.serializedSize(state));
        NodeStateSerializer.INSTANCE.serialize(state, out);
        bytes = out.getCopyOfBuffer();
        in = new DataInputDeserializer();
    }

    @Benchmark
    public int serialize() throws IOException {
        out.clear();
        NodeStateSerializer.INSTANCE.serialize(state, out);
        return out.length();
    }

    @Benchmark
    public NodeState deserialize() throws IOException {
        in.setBuffer(bytes);
        return NodeStateSerializer.INSTANCE.deserialize(in);
    }
}
