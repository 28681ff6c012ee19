package io.tgstream.operators.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.tgstream.state.NodeState;
import io.tgstream.state.NodeStateSerializer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TTL deadlines in RocksDB (Flink harness): polled earliest first, kept by a snapshot and split by key group when
 * the operator is restored at another parallelism; and (heavy) what a sweep through them costs against a pass over
 * every key with {@code applyToAllKeys}.
 */
class NodeDeadlinesTest {
    private static final Logger LOG = LoggerFactory.getLogger(NodeDeadlinesTest.class);
    static final int MAX_PARALLELISM = 128;

    /** Stores a node state for each input key, last updated at key * 10, with its deadline (ttl 100). */
    static final class Probe extends AbstractStreamOperator<Long> implements OneInputStreamOperator<Long, Long> {
        static final long TTL = 100;
        transient NodeDeadlines deadlines;
        transient ValueState<NodeState> states;
        final int d;

        Probe(int d) {
            this.d = d;
        }

        @Override
        public void open() throws Exception {
            super.open();
            deadlines = NodeDeadlines.open(getKeyedStateBackend(), "node-ttl-deadlines");
            states = getPartitionedState(new ValueStateDescriptor<>("node-state", NodeStateSerializer.INSTANCE));
        }

        @Override
        public void processElement(StreamRecord<Long> r) throws Exception {
            NodeState s = NodeState.empty(d, false, 10, 16);
            s.commitMemory(new float[d], 0, r.getValue() * 10);
            states.update(s);
            deadlines.add(r.getValue(), s.lastUpdate() + TTL);
        }

        /** The keys whose deadline is before {@code time}, in poll order, their states cleared. */
        List<Long> sweep(long time) throws Exception {
            List<Long> keys = new ArrayList<>();
            for (Object key = deadlines.pollBefore(time); key != null; key = deadlines.pollBefore(time)) {
                setCurrentKey(key);
                states.clear();
                keys.add((Long) key);
            }
            return keys;
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<Long, Long, Long> harness(int d, int parallelism,
                                                                                    int subtask) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new Probe(d), (Long x) -> x, Types.LONG,
                MAX_PARALLELISM, parallelism, subtask);
        EmbeddedRocksDBStateBackend rocksDb = new EmbeddedRocksDBStateBackend();
        // the harness has next to no managed memory: RocksDB would flush its memtable on every write
        rocksDb.getMemoryConfiguration().setUseManagedMemory(false);
        h.setStateBackend(rocksDb);
        return h;
    }

    @Test
    void deadlinesComeEarliestFirstAndSurviveARestoreAtAnotherParallelism() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(4, 1, 0)) {
            h.open();
            for (long key : new long[] {7, 3, 12, 5, 40, 21, 9, 33}) {
                h.processElement(new StreamRecord<>(key));
            }
            // deadlines key * 10 + 100: before 171 are keys 3, 5 (150, 160 < 171) but not 7 (170 is not < 170)
            assertThat(((Probe) h.getOperator()).sweep(170)).containsExactly(3L, 5L);
            snapshot = h.snapshot(1, 1);
        }
        Set<Long> all = new HashSet<>();
        for (int subtask = 0; subtask < 2; subtask++) {
            OperatorSubtaskState part = AbstractStreamOperatorTestHarness.repartitionOperatorState(
                    snapshot, MAX_PARALLELISM, 1, 2, subtask);
            try (var h = harness(4, 2, subtask)) {
                h.initializeState(part);
                h.open();
                List<Long> keys = ((Probe) h.getOperator()).sweep(Long.MAX_VALUE);
                KeyGroupRange range = KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(
                        MAX_PARALLELISM, 2, subtask);
                for (long key : keys) {
                    assertThat(range.contains(KeyGroupRangeAssignment.assignToKeyGroup(key, MAX_PARALLELISM)))
                            .as("key %d restored at its owner", key).isTrue();
                }
                assertThat(keys).isSorted();
                all.addAll(keys);
            }
        }
        assertThat(all).containsExactlyInAnyOrder(7L, 12L, 40L, 21L, 9L, 33L);
    }

    /**
     * The cost of finding 1 % expired nodes among N = 50,000 node states of ~1 KB (d = 100, K = 10 partners of 16):
     * a sweep through the deadlines, against one pass over all keys ({@code applyToAllKeys}) reading each state.
     * Figures are logged, not asserted.
     */
    @Test
    @Tag("heavy")
    void aSweepCostsTheExpiredNodesNotAllNodes() throws Exception {
        int n = 50_000;
        try (var h = harness(100, 1, 0)) {
            h.open();
            Probe p = (Probe) h.getOperator();
            long t0 = System.nanoTime();
            for (long key = 0; key < n; key++) {
                h.processElement(new StreamRecord<>(key));
            }
            double writeUs = (System.nanoTime() - t0) / 1e3 / n;
            for (int round = 0; round < 3; round++) {
                AtomicLong expired = new AtomicLong();
                long tau = (round + 1) * (n / 100) * 10L + Probe.TTL; // 1 % of the nodes more each round
                long s0 = System.nanoTime();
                p.getKeyedStateBackend().applyToAllKeys(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                        new ValueStateDescriptor<>("node-state", NodeStateSerializer.INSTANCE),
                        (key, state) -> {
                            NodeState s = state.value();
                            if (s != null && s.lastUpdate() + Probe.TTL < tau) {
                                expired.incrementAndGet();
                            }
                        });
                double scanMs = (System.nanoTime() - s0) / 1e6;
                long w0 = System.nanoTime();
                List<Long> swept = p.sweep(tau);
                double sweepMs = (System.nanoTime() - w0) / 1e6;
                assertThat(swept).hasSize((int) expired.get()).hasSize(n / 100);
                LOG.info("N {} states: write+deadline {} us/node; round {}: applyToAllKeys pass {} ms, deadline sweep "
                        + "of {} expired (poll, clear) {} ms", n, String.format("%.1f", writeUs), round,
                        String.format("%.0f", scanMs), swept.size(), String.format("%.1f", sweepMs));
            }
        }
    }
}
