package io.tgstream.operators.node;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.runtime.state.KeyGroupedInternalPriorityQueue;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.TimerHeapInternalTimer;
import org.apache.flink.streaming.api.operators.TimerSerializer;

/**
 * The TTL deadlines of the nodes that hold state, one entry per node, earliest first, kept in the keyed state backend
 * (RocksDB, checkpointed and rescaled by key group with the rest of the keyed state).
 *
 * <p>It is the storage Flink's own timers use (a keyed priority queue of (time, key) ordered by time), created
 * directly rather than as a timer service: the head's timer service runs on the batch axis and fires on feedback
 * markers, while deadlines are event times that a sweep polls when the stream time advances. The one place that
 * touches those {@code @Internal} classes.
 */
final class NodeDeadlines {
    private final KeyGroupedInternalPriorityQueue<TimerHeapInternalTimer<Object, VoidNamespace>> queue;

    private NodeDeadlines(KeyGroupedInternalPriorityQueue<TimerHeapInternalTimer<Object, VoidNamespace>> queue) {
        this.queue = queue;
    }

    /** The queue named {@code name} in {@code backend}: a new one, or the one restored from a checkpoint. */
    @SuppressWarnings("unchecked")
    static NodeDeadlines open(KeyedStateBackend<?> backend, String name) {
        TypeSerializer<Object> keys = (TypeSerializer<Object>) backend.getKeySerializer();
        return new NodeDeadlines(backend.create(name, new TimerSerializer<>(keys, VoidNamespaceSerializer.INSTANCE)));
    }

    /** Adds (deadline, key); adding the same pair twice keeps one. */
    void add(Object key, long deadline) {
        queue.add(new TimerHeapInternalTimer<>(deadline, key, VoidNamespace.INSTANCE));
    }

    /** Removes and returns the key of the earliest entry if its deadline is before {@code time}, else null. */
    Object pollBefore(long time) {
        TimerHeapInternalTimer<Object, VoidNamespace> head = queue.peek();
        if (head == null || head.getTimestamp() >= time) {
            return null;
        }
        queue.poll();
        return head.getKey();
    }
}
