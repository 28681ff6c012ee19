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
import org.apache.flink.util.ResourceGuard;

/**
 * The channel state of one checkpoint: every feedback record a head subtask takes from its queue
 * between its {@code snapshotState(id)} and the tail's sentinel {@code id} (Chandy-Lamport).
 *
 * <p>Records are buffered per key group and written to the raw keyed state stream when the
 * sentinel arrives, one section per key group, so that the log follows its keys when the job is
 * rescaled. Until then the log holds a lease on the stream, which keeps Flink's asynchronous
 * checkpoint part from closing it; the lease must be released on commit and on abort.
 *
 * <p>Section layout of a key group: {@code int version, long marker, int count, count x (long
 * timestamp, record)}. The highest marker logged is written into every key group of the range,
 * because any marker logged by any subtask holds for the whole checkpoint (all heads forwarded
 * that watermark before their barrier), and after rescaling a subtask must still see it.
 */
final class InFlightFeedbackLog<T> {

    private static final int FORMAT_VERSION = 1;

    private final long checkpointId;
    private final KeyedStateCheckpointOutputStream stream;
    private final ResourceGuard.Lease lease;
    private final KeyGroupRange keyGroups;
    private final TypeSerializer<T> serializer;
    private final Map<Integer, KeyGroupBuffer> buffers = new TreeMap<>();
    private long marker = Long.MIN_VALUE;
    private long recordCount;
    private boolean closed;

    InFlightFeedbackLog(
            long checkpointId,
            KeyedStateCheckpointOutputStream stream,
            KeyGroupRange keyGroups,
            TypeSerializer<T> serializer)
            throws IOException {
        this.checkpointId = checkpointId;
        this.stream = stream;
        this.lease = stream.acquireLease();
        this.keyGroups = keyGroups;
        this.serializer = serializer;
    }

    long checkpointId() {
        return checkpointId;
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

    /** Writes the log into the checkpoint's raw keyed state and lets Flink close the stream. */
    void commit() throws IOException {
        try {
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
        } finally {
            release();
        }
    }

    /** Drops the log (checkpoint aborted or operator closing) and releases the stream. */
    void discard() {
        buffers.clear();
        release();
    }

    private void release() {
        if (!closed) {
            closed = true;
            lease.close();
        }
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
