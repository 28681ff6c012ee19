package io.tgstream.model.nat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tgstream.data.EdgeStream;
import io.tgstream.model.SmallStreams;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DictionaryCodecTest {
    private static final long SEED = 3;

    @Test
    void roundTripRestoresEveryNodeExactly() {
        EdgeStream s = SmallStreams.random(2000, 80, 0, 5);
        NeighbourDictionaries d = NeighbourDictionaries.forStream(s, DictionaryConfig.defaults(SEED));
        NatStreams.replay(d, s, 64);
        NeighbourDictionaries restored = NeighbourDictionaries.forStream(s, DictionaryConfig.defaults(SEED));
        for (int x = 0; x < s.nodeCount(); x++) {
            byte[] bytes = DictionaryCodec.encode(d, x);
            assertThat(bytes).hasSize(DictionaryCodec.encodedSize(d, x));
            DictionaryCodec.decode(bytes, restored, x);
        }
        for (int x = 0; x < s.nodeCount(); x++) {
            assertThat(DictionaryCodec.encode(restored, x)).isEqualTo(DictionaryCodec.encode(d, x));
        }
        // and the restored store goes on exactly like the original
        EdgeStream more = s;
        int[] last = NatStreams.range(more.size() - 10, more.size());
        NatStreams.applyAndWrite(d, more, last, 1f);
        NatStreams.applyAndWrite(restored, more, last, 1f);
        for (int x = 0; x < s.nodeCount(); x++) {
            assertThat(DictionaryCodec.encode(restored, x)).isEqualTo(DictionaryCodec.encode(d, x));
        }
    }

    @Test
    void aFullNodeTakesTheDocumentedMaximum() {
        // n_i first meets m_i, then the hub: the hub's hop-1 fills with the n_i, its hop-2 with the m_i
        Object[][] rows = new Object[600][];
        for (int i = 0; i < 300; i++) {
            rows[2 * i] = new Object[] {"n" + i, "m" + i, 2 * i + 1};
            rows[2 * i + 1] = new Object[] {"hub", "n" + i, 2 * i + 2};
        }
        EdgeStream s = NatStreams.of(rows);
        NeighbourDictionaries d = NeighbourDictionaries.forStream(s, DictionaryConfig.defaults(SEED));
        NatStreams.replay(d, s, 1);
        int hub = NatStreams.node(s, "hub");
        assertThat(d.hop1Count(hub)).isEqualTo(32);
        assertThat(d.hop2Count(hub)).isEqualTo(16);
        assertThat(DictionaryCodec.maxEncodedSize(DictionaryConfig.defaults(SEED))).isEqualTo(21 + 48 * 32);
        assertThat(DictionaryCodec.encodedSize(d, hub)).isEqualTo(1557);
        assertThat(DictionaryCodec.encode(d, hub)).hasSize(1557);
    }

    @Test
    void foreignTruncatedAndPendingRecordsGiveClearErrors() {
        EdgeStream s = NatStreams.of(new Object[][] {{"a", "b", 1}, {"a", "c", 2}});
        NeighbourDictionaries d = NeighbourDictionaries.forStream(s, DictionaryConfig.defaults(SEED));
        NatStreams.applyAndWrite(d, s, new int[] {0}, 1f);
        byte[] bytes = DictionaryCodec.encode(d, 0);
        byte[] otherVersion = bytes.clone();
        otherVersion[0] = 9;
        assertThatThrownBy(() -> DictionaryCodec.decode(otherVersion, d, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("format version 9");
        assertThatThrownBy(() -> DictionaryCodec.decode(Arrays.copyOf(bytes, bytes.length - 3), d, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
        NeighbourDictionaries small = NeighbourDictionaries.forStream(s, new DictionaryConfig(4, 2, 4, 0.9, SEED));
        assertThatThrownBy(() -> DictionaryCodec.decode(bytes, small, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("M1 = 32, M2 = 16, F = 4");
        d.applyBatch(s, new int[] {1});
        assertThatThrownBy(() -> DictionaryCodec.encode(d, 0))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("writeRefreshed");
    }
}
