package io.tgstream.operators.feedback;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputViewStreamWrapper;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputViewStreamWrapper;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyedStateCheckpointOutputStream;

/**
 * The channel state of one checkpoint: the feedback records (and the highest marker) that a head
 * subtask took from its queue in {@code snapshotState(id)} up to the tail's sentinel {@code id}
 * (Chandy-Lamport), written to raw keyed state one section per key group, so that the log
 * follows its keys when the job is rescaled.
 *
 * <p>Section layout of a key group: {@code int version, long marker, int count, count x (long
 * timestamp, record)}. The marker is written into every key group of the range, because a marker
 * logged by any subtask holds for the whole checkpoint (every head forwarded that watermark before
 * its barrier), and after rescaling a subtask must still see it.
 */
final class InFlightFeedbackLog<T> {

    private static final int FORMAT_VERSION = 1;

    private final TypeSerializer<T> serializer;
    private final Map<Integer, KeyGroupBuffer> buffers = new TreeMap<>();
    private long marker = Long.MIN_VALUE;
    private long recordCount;

    InFlightFeedbackLog(TypeSerializer<T> serializer) {
        this.serializer = serializer;
    }

    long recordCount() {
        return recordCount;
    }

    void addRecord(int keyGroup, T record, long timestamp) throws IOException {
        KeyGroupBuffer buffer = buffers.computeIfAbsent(keyGroup, kg -> new KeyGroupBuffer());
        buffer.out.writeLong(timestamp);
        serializer.serialize(record, buffer.out);
        buffer.count++;
        recordCount++;
    }

    void addMarker(long watermark) {
        marker = Math.max(marker, watermark);
    }

    /** Writes the log into a checkpoint's raw keyed state stream. */
    void writeTo(KeyedStateCheckpointOutputStream stream, KeyGroupRange keyGroups)
            throws IOException {
        DataOutputViewStreamWrapper view = new DataOutputViewStreamWrapper(stream);
        for (int keyGroup = keyGroups.getStartKeyGroup();
                keyGroup <= keyGroups.getEndKeyGroup();
                keyGroup++) {
            KeyGroupBuffer buffer = buffers.get(keyGroup);
            if (buffer == null && marker == Long.MIN_VALUE) {
                continue;
            }
            stream.startNewKeyGroup(keyGroup);
            view.writeInt(FORMAT_VERSION);
            view.writeLong(marker);
            view.writeInt(buffer == null ? 0 : buffer.count);
            if (buffer != null) {
                view.write(buffer.out.getSharedBuffer(), 0, buffer.out.length());
            }
        }
        view.flush();
    }

    /**
     * Reads one key group's section of a restored log, handing each record to {@code records} and
     * returning the marker logged with it ({@link Long#MIN_VALUE} if none).
     */
    static <T> long read(
            InputStream in, TypeSerializer<T> serializer, BiConsumer<T, Long> records)
            throws IOException {
        DataInputViewStreamWrapper view = new DataInputViewStreamWrapper(in);
        int version = view.readInt();
        if (version != FORMAT_VERSION) {
            throw new IOException(
                    "Unknown feedback log format version "
                            + version
                            + " in the restored checkpoint; it was written by another tgstream"
                            + " version: restore with the version that wrote it.");
        }
        long marker = view.readLong();
        int count = view.readInt();
        for (int i = 0; i < count; i++) {
            long timestamp = view.readLong();
            records.accept(serializer.deserialize(view), timestamp);
        }
        return marker;
    }

    private static final class KeyGroupBuffer {
        final DataOutputSerializer out = new DataOutputSerializer(256);
        int count;
    }
}
