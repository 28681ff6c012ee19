package io.tgstream.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The node-state serializer: round trips of every kind, edge values, the snapshot, and the committed v1 format. */
class NodeStateSerializerTest {
    private static final Logger LOG = LoggerFactory.getLogger(NodeStateSerializerTest.class);
    private final NodeStateSerializer serializer = NodeStateSerializer.INSTANCE;

    private static NodeState[] samples() {
        NodeState empty = NodeState.empty(0, false, 0, 0);
        NodeState fresh = NodeState.empty(100, true, 10, 16);
        NodeState nan = NodeState.empty(3, true, 2, 1);
        nan.commitMemory(new float[] {Float.NaN, Float.NEGATIVE_INFINITY, -0f}, 0, -5L);
        nan.addPartner(new float[] {Float.NaN}, 0, Long.MIN_VALUE);
        NodeState maximal = NodeState.empty(100, true, 10, 16);
        float[] m = new float[100];
        for (int round = 0; round < 25; round++) {
            for (int i = 0; i < m.length; i++) {
                m[i] = (float) Math.sin(round * 100 + i) * Float.MAX_VALUE;
            }
            maximal.commitMemory(m, 0, Long.MAX_VALUE - round);
            maximal.addPartner(m, round, round);
        }
        return new NodeState[] {empty, fresh, nan, maximal, NodeStateSamples.full()};
    }

    private byte[] bytes(NodeState s) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(s, out);
        return out.getCopyOfBuffer();
    }

    @Test
    void serializeThenDeserializeGivesAnEqualState() throws IOException {
        for (NodeState s : samples()) {
            byte[] b = bytes(s);
            assertThat(b).hasSize(NodeStateSerializer.serializedSize(s));
            NodeState back = serializer.deserialize(new DataInputDeserializer(b));
            assertThat(back).isEqualTo(s).isNotSameAs(s);
            assertThat(serializer.deserialize(serializer.createInstance(), new DataInputDeserializer(b))).isEqualTo(s);
            assertThat(bytes(back)).isEqualTo(b);
        }
    }

    @Test
    void copiesAreDeepAndEqual() {
        for (NodeState s : samples()) {
            NodeState c = serializer.copy(s);
            assertThat(c).isEqualTo(s).isNotSameAs(s);
            assertThat(serializer.copy(s, serializer.createInstance())).isEqualTo(s);
            if (c.memoryDim() > 0) {
                c.commitMemory(new float[c.memoryDim()], 0, 1);
                assertThat(c).as("mutating a copy leaves the original").isNotEqualTo(s);
            }
        }
    }

    @Test
    void streamCopyReproducesTheBytesOfSeveralRecordsInARow() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        for (NodeState s : samples()) {
            serializer.serialize(s, out);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        DataOutputSerializer copied = new DataOutputSerializer(64);
        for (int i = 0; i < samples().length; i++) {
            serializer.copy(in, copied);
        }
        assertThat(in.available()).isZero();
        assertThat(copied.getCopyOfBuffer()).isEqualTo(out.getCopyOfBuffer());
    }

    @Test
    void nanAndInfinitiesSurviveBitForBit() throws IOException {
        NodeState s = samples()[2];
        NodeState back = serializer.deserialize(new DataInputDeserializer(bytes(s)));
        assertThat(Float.isNaN(back.memory(0))).isTrue();
        assertThat(back.memory(1)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(Float.floatToRawIntBits(back.memory(2))).isEqualTo(Float.floatToRawIntBits(-0f));
        assertThat(back.partnerTime(0)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void duplicateAndJavaSerializationGiveAnEqualSerializer() throws Exception {
        TypeSerializer<NodeState> dup = serializer.duplicate();
        assertThat(dup).isEqualTo(serializer);
        assertThat(dup.hashCode()).isEqualTo(serializer.hashCode());
        NodeStateSerializer viaJava = InstantiationUtil.clone(serializer);
        assertThat(viaJava).isEqualTo(serializer);
        assertThat(viaJava.deserialize(new DataInputDeserializer(bytes(NodeStateSamples.full()))))
                .isEqualTo(NodeStateSamples.full());
    }

    @Test
    void snapshotRoundTripRestoresACompatibleSerializer() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, serializer.snapshotConfiguration());
        TypeSerializerSnapshot<NodeState> read = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        assertThat(read).isInstanceOf(NodeStateSerializerSnapshot.class);
        assertThat(read.restoreSerializer()).isEqualTo(serializer);
        TypeSerializerSchemaCompatibility<NodeState> c =
                serializer.snapshotConfiguration().resolveSchemaCompatibility(read);
        assertThat(c.isCompatibleAsIs()).isTrue();
    }

    @Test
    void aSnapshotOfAFutureFormatIsIncompatible() {
        NodeStateSerializerSnapshot future = new NodeStateSerializerSnapshot((byte) (NodeStateSerializer.CURRENT_FORMAT + 1));
        assertThat(serializer.snapshotConfiguration().resolveSchemaCompatibility(future).isIncompatible()).isTrue();
    }

    @Test
    void theCommittedV1ResourceStillRestores() throws IOException {
        byte[] bytes;
        try (InputStream in = getClass().getResourceAsStream(NodeStateSamples.V1_RESOURCE)) {
            assertThat(in).as("committed resource " + NodeStateSamples.V1_RESOURCE).isNotNull();
            bytes = in.readAllBytes();
        }
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        TypeSerializerSnapshot<NodeState> snapshot =
                TypeSerializerSnapshot.readVersionedSnapshot(in, getClass().getClassLoader());
        assertThat(serializer.snapshotConfiguration().resolveSchemaCompatibility(snapshot).isCompatibleAsIs()).isTrue();
        TypeSerializer<NodeState> restored = snapshot.restoreSerializer();
        for (NodeState expected : NodeStateSamples.v1Records()) {
            assertThat(restored.deserialize(in)).isEqualTo(expected);
        }
        assertThat(in.available()).isZero();
    }

    @Test
    void corruptOrForeignRecordsFailWithAClearMessage() {
        assertThatThrownBy(() -> serializer.deserialize(new DataInputDeserializer(new byte[] {9, 0, 0, 0, 0})))
                .isInstanceOf(IOException.class).hasMessageContaining("format version 9");
        assertThatThrownBy(() -> serializer.deserialize(new DataInputDeserializer(new byte[] {1, -1, -1, -1, -1})))
                .isInstanceOf(IOException.class).hasMessageContaining("corrupt node state");
    }

    @Test
    void bytesPerNodeAtDefaultsStayUnderTheTwoKilobyteTarget() throws IOException {
        // d = 100, PRES on, K = 10 recent partners of p = 16: the largest memory-model record at defaults
        NodeState withPartners = NodeState.empty(100, true, 10, 16);
        NodeState timeProjection = NodeState.empty(100, false, 0, 0);
        int full = bytes(withPartners).length;
        int lean = bytes(timeProjection).length;
        LOG.info("node state bytes at d=100: time projection, no PRES = {}; PRES + 10x16 recent partners = {}",
                lean, full);
        assertThat(full).isLessThanOrEqualTo(2048);
        assertThat(lean).isEqualTo(NodeStateSerializer.serializedSize(timeProjection));
        assertThat(Arrays.asList(lean, full)).doesNotHaveDuplicates();
    }
}
