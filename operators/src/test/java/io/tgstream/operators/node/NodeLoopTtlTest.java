package io.tgstream.operators.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.tgstream.data.EdgeEvent;
import io.tgstream.data.EdgeStream;
import io.tgstream.data.NodeKeys;
import io.tgstream.model.EmbeddingKind;
import io.tgstream.model.MemoryModel;
import io.tgstream.model.MemoryModelConfig;
import io.tgstream.model.MemoryModelFile;
import io.tgstream.model.MemoryReplay;
import io.tgstream.model.NodeExpiry;
import io.tgstream.operators.sequence.BatchWatermarks;
import io.tgstream.operators.sequence.SequencedEdge;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import java.util.SplittableRandom;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The node TTL on the node loop (MiniCluster, RocksDB): an idle node is evicted exactly at the first batch whose
 * stream time is more than the TTL past its last edge, reads as a node never seen when it comes back, the nodes
 * within the TTL are untouched, the eviction counter counts exactly the evicted nodes, and on a stream with churn
 * every score equals the offline replay's with the same TTL.
 */
class NodeLoopTtlTest {
    static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4)
                    .setConfiguration(METRICS.addToConfiguration(new Configuration())).build());

    @TempDir
    Path dir;

    /**
     * The scores of a run, by event (edges only), and what its node operator's last attempt counted per subtask: the
     * evictions and the node states held at the end.
     */
    record Run(float[] scores, long evicted, long nodeStates) {
    }

    private Path model(int featureDim) throws Exception {
        MemoryModelConfig config = new MemoryModelConfig(12, 6, featureDim, EmbeddingKind.RECENT_PARTNERS, 3, 4, true,
                MemoryModelConfig.DEFAULT_PRES_GAMMA, MemoryModelConfig.DEFAULT_COHERENCE_WEIGHT, 10.0, 3);
        Path file = dir.resolve("m.tgm");
        MemoryModelFile.save(new MemoryModel(config, DataType.FLOAT), file);
        return file;
    }

    /** Streams the first {@code events} events of {@code stream} in count batches of {@code batch}. */
    private static Run stream(EdgeStream stream, int events, int batch, Path model, NodeExpiry expiry,
                              int parallelism) throws Exception {
        return stream(stream, events, batch, model, expiry, parallelism, -1);
    }

    /** As above; with {@code failAt >= 0} the job fails once at the first edge from there on after 2 checkpoints. */
    private static Run stream(EdgeStream stream, int events, int batch, Path model, NodeExpiry expiry,
                              int parallelism, long failAt) throws Exception {
        List<SequencedEdge> input = new ArrayList<>();
        for (int e = 0; e < events; e++) {
            input.add(new SequencedEdge(stream.event(e), e, e / batch));
        }
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(failAt >= 0 ? 50 : 200));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.setBufferTimeout(2);
        DataStream<SequencedEdge> sequenced = env.fromData(input, TypeInformation.of(SequencedEdge.class))
                .assignTimestampsAndWatermarks(BatchWatermarks.strategy());
        if (failAt >= 0) {
            FailOnce.arm(failAt);
            sequenced = sequenced.map(new FailOnce()).returns(TypeInformation.of(SequencedEdge.class));
        }
        DataStream<NodeScore> scores = NodeLoop.attach(sequenced,
                new NodeOperatorSettings(model.toString(), "v", false).withExpiry(expiry), parallelism);
        float[] out = new float[events];
        java.util.Arrays.fill(out, Float.NaN);
        JobClient job;
        try (CloseableIterator<NodeScore> it = scores.collectAsync()) {
            job = env.executeAsync("ttl");
            while (it.hasNext()) {
                NodeScore s = it.next();
                assertThat(Float.isNaN(out[(int) s.seq])).as("one score per event: %s", s.seq).isTrue();
                out[(int) s.seq] = s.score;
            }
        }
        job.getJobExecutionResult().get();
        if (failAt >= 0) {
            assertThat(FailOnce.fired()).as("the injected failure happened").isTrue();
        }
        Map<Integer, Map<String, Metric>> last = lastAttemptMetrics(job.getJobID());
        assertThat(last).as("node operator subtasks").hasSize(parallelism);
        long evicted = 0;
        long states = 0;
        for (Map<String, Metric> m : last.values()) {
            evicted += ((Counter) m.get(NodeOperator.NODES_EVICTED)).getCount();
            states += ((Number) ((Gauge<?>) m.get(NodeOperator.NODE_STATES)).getValue()).longValue();
        }
        return new Run(out, evicted, states);
    }

    /** Per subtask of the node operator, the metrics of its last attempt (retained after the job ended). */
    private static Map<Integer, Map<String, Metric>> lastAttemptMetrics(JobID job) {
        Map<Integer, Map<String, Metric>> metrics = new HashMap<>();
        Map<Integer, Integer> attempts = new HashMap<>();
        for (Map.Entry<MetricGroup, Map<String, Metric>> g : METRICS.getMetricsByGroup().entrySet()) {
            Map<String, String> vars = g.getKey().getAllVariables();
            if (!job.toString().equals(vars.get("<job_id>")) || !g.getValue().containsKey(NodeOperator.NODE_STATES)) {
                continue;
            }
            int subtask = Integer.parseInt(vars.get("<subtask_index>"));
            int attempt = Integer.parseInt(vars.get("<task_attempt_num>"));
            if (attempt >= attempts.getOrDefault(subtask, -1)) {
                attempts.put(subtask, attempt);
                metrics.put(subtask, g.getValue());
            }
        }
        return metrics;
    }

    private static float[] offline(MemoryModel model, EdgeStream stream, int events, int batch, MemoryReplay replay) {
        float[] scores = new float[events];
        for (int start = 0; start < events; start += batch) {
            int end = Math.min(events, start + batch);
            int[] ev = new int[end - start];
            int[] src = new int[ev.length];
            int[] dst = new int[ev.length];
            long[] t = new long[ev.length];
            for (int i = 0; i < ev.length; i++) {
                ev[i] = start + i;
                src[i] = stream.src(start + i);
                dst[i] = stream.dst(start + i);
                t[i] = stream.timestamp(start + i);
            }
            System.arraycopy(replay.score(src, dst, t), 0, scores, start, ev.length);
            replay.apply(ev);
        }
        return scores;
    }

    /**
     * Ten events a-b@10 c-d@20 | a-c@30 b-d@40 | a-b@50 e-a@60 | c-b@70 d-e@80 | a-d@90 b-c@100 in batches of 2,
     * ttl 20, hand-derived: stream times 20, 40, 60, 80 at batches 1..4; at batch 3 (tau 60) c (last edge 30 &lt; 40)
     * is evicted, d (40) sits on the boundary and stays; at batch 4 (tau 80) a (60) sits on the boundary: 1 eviction.
     * z-z@1000 is never streamed: z is the node never seen.
     */
    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void anIdleNodeIsEvictedAtTheDefinedBatchAndComesBackAsANewNode(int parallelism) throws Exception {
        List<EdgeEvent> events = new ArrayList<>();
        String[][] pairs = {{"a", "b"}, {"c", "d"}, {"a", "c"}, {"b", "d"}, {"a", "b"},
                            {"e", "a"}, {"c", "b"}, {"d", "e"}, {"a", "d"}, {"b", "c"}};
        for (int i = 0; i < pairs.length; i++) {
            events.add(new EdgeEvent(pairs[i][0], pairs[i][1], 10L * (i + 1), new float[] {i, -i}, 0, 1));
        }
        events.add(new EdgeEvent("z", "z", 1000, new float[] {0, 0}, 0, 1));
        EdgeStream stream = EdgeStream.of("ten", "s", 2, events);
        Path file = model(2);
        MemoryModel model = MemoryModelFile.load(file);

        Run ttl = stream(stream, 10, 2, file, NodeExpiry.after(20), parallelism);
        Run never = stream(stream, 10, 2, file, NodeExpiry.NEVER, parallelism);
        assertThat(ttl.evicted()).as("c, once").isEqualTo(1);
        assertThat(never.evicted()).isZero();
        assertThat(ttl.nodeStates()).as("a to e, c anew").isEqualTo(5);
        assertThat(never.nodeStates()).isEqualTo(5);
        for (int e = 0; e < 6; e++) {
            assertThat(Math.abs(ttl.scores()[e] - never.scores()[e])).as("event %d, before any eviction", e)
                    .isLessThanOrEqualTo(1e-6f);
        }
        // event 6 is c-b@70: c reads as z, a node never seen, in the replay without TTL; d-e@80 is untouched
        MemoryReplay plain = new MemoryReplay(model, stream);
        plain.apply(new int[] {0, 1});
        plain.apply(new int[] {2, 3});
        plain.apply(new int[] {4, 5});
        int z = stream.nodeIndexOfKey(NodeKeys.of("z"));
        int b = stream.nodeIndexOfKey(NodeKeys.of("b"));
        float fresh = plain.score(new int[] {z}, new int[] {b}, new long[] {70})[0];
        assertThat(Math.abs(ttl.scores()[6] - fresh)).isLessThanOrEqualTo(1e-5f);
        assertThat(Math.abs(never.scores()[6] - fresh)).as("c's old state makes a difference").isGreaterThan(1e-4f);
        assertThat(Math.abs(ttl.scores()[7] - never.scores()[7])).as("d on the boundary: untouched")
                .isLessThanOrEqualTo(1e-6f);
        // and every score is the offline replay's with the same TTL
        float[] expected = offline(model, stream, 10, 2, new MemoryReplay(model, stream, NodeExpiry.after(20)));
        for (int e = 0; e < 10; e++) {
            assertThat(Math.abs(ttl.scores()[e] - expected[e])).as("event %d", e).isLessThanOrEqualTo(1e-5f);
        }
    }

    /**
     * Churn: node ids drift upwards with time (each node is busy for a while, then goes quiet), and now and then an
     * old node comes back after its eviction. The stream with a TTL gives the offline replay's scores with the same
     * TTL, counts its evictions, and differs from the scores without TTL.
     */
    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void withChurnEveryScoreIsTheOfflineReplayWithTheSameTtl(int parallelism) throws Exception {
        int n = 800;
        int batch = 20;
        EdgeStream stream = churn(n, 9);
        Path file = model(0);
        MemoryModel model = MemoryModelFile.load(file);
        NodeExpiry expiry = NodeExpiry.after(60);

        Run run = stream(stream, n, batch, file, expiry, parallelism);
        MemoryReplay replay = new MemoryReplay(model, stream, expiry);
        float[] expected = offline(model, stream, n, batch, replay);
        float[] withoutTtl = offline(model, stream, n, batch, new MemoryReplay(model, stream));

        assertThat(replay.evictedNodes()).as("evictions happen").isGreaterThan(20);
        assertThat(run.evicted()).isEqualTo(replay.evictedNodes());
        assertThat(run.nodeStates()).isEqualTo(replay.nodesWithState());
        int changed = 0;
        for (int e = 0; e < n; e++) {
            assertThat(Math.abs(run.scores()[e] - expected[e])).as("event %d", e).isLessThanOrEqualTo(1e-5f);
            if (Math.abs(expected[e] - withoutTtl[e]) > 1e-4f) {
                changed++;
            }
        }
        assertThat(changed).as("scores the TTL changed").isGreaterThan(n / 20);
    }

    /**
     * A failure after two checkpoints, at parallelism 2: the job restores the node states, their TTL deadlines (keyed
     * state, by key group) and the fan-out's clock from a checkpoint and goes on. Every score stays the offline
     * replay's with the TTL (a lost clock would evict other nodes), and the node states held at the end are exactly
     * the replay's (with lost deadlines the nodes that went quiet before the checkpoint would never be evicted).
     */
    @org.junit.jupiter.api.Test
    void aRestoreKeepsTheDeadlinesAndTheClock() throws Exception {
        int n = 1600;
        int batch = 20;
        EdgeStream stream = churn(n, 5);
        Path file = model(0);
        MemoryModel model = MemoryModelFile.load(file);
        NodeExpiry expiry = NodeExpiry.after(60);

        Run run = stream(stream, n, batch, file, expiry, 2, 900);
        MemoryReplay replay = new MemoryReplay(model, stream, expiry);
        float[] expected = offline(model, stream, n, batch, replay);
        for (int e = 0; e < n; e++) {
            assertThat(Math.abs(run.scores()[e] - expected[e])).as("event %d", e).isLessThanOrEqualTo(1e-5f);
        }
        assertThat(run.nodeStates()).as("node states at the end").isEqualTo(replay.nodesWithState());
        assertThat(run.evicted()).as("evictions after the restore").isPositive()
                .isLessThan(replay.evictedNodes());
    }

    /** The clock needs the total order: a TTL on a parallel sequenced stream is refused when the job is built. */
    @org.junit.jupiter.api.Test
    void aTtlNeedsTheSequencedStreamAtParallelismOne() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DataStream<SequencedEdge> parallel = env.fromData(List.of(new SequencedEdge(EdgeEvent.of("a", "b", 1), 0, 0)),
                TypeInformation.of(SequencedEdge.class)).map(e -> e).returns(SequencedEdge.class).setParallelism(2);
        NodeOperatorSettings settings = new NodeOperatorSettings("m.tgm", "v", false);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> NodeLoop.attach(parallel, settings.withExpiry(NodeExpiry.after(10)), 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parallelism 1");
        assertThat(NodeLoop.attach(parallel, settings, 2)).as("without a TTL it is accepted").isNotNull();
    }

    /** Fails the job once, at the first edge at or after {@code at} once two checkpoints completed; slows the input. */
    static final class FailOnce implements MapFunction<SequencedEdge, SequencedEdge>, CheckpointListener {
        private static final long serialVersionUID = 1L;
        static final AtomicBoolean ARMED = new AtomicBoolean();
        static final AtomicLong CHECKPOINTS = new AtomicLong();
        static volatile long at;

        static void arm(long atEdge) {
            at = atEdge;
            CHECKPOINTS.set(0);
            ARMED.set(true);
        }

        static boolean fired() {
            return !ARMED.get();
        }

        @Override
        public SequencedEdge map(SequencedEdge e) throws Exception {
            Thread.sleep(1); // so that checkpoints complete while the input is still coming
            if (e.seq >= at && CHECKPOINTS.get() >= 2 && ARMED.compareAndSet(true, false)) {
                throw new IllegalStateException("injected failure at edge " + e.seq);
            }
            return e;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            CHECKPOINTS.incrementAndGet();
        }
    }

    /** n events ~2 time units apart (ties too); event i picks nodes from [i / 8, i / 8 + 24), 1 in 12 from all. */
    static EdgeStream churn(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        EdgeStream.Builder b = EdgeStream.builder("churn", "s", 0);
        long t = 0;
        for (int i = 0; i < n; i++) {
            int base = i / 8;
            int u = r.nextInt(12) == 0 ? r.nextInt(base + 1) : base + r.nextInt(24);
            int v = base + r.nextInt(24);
            t += r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(3);
            b.add("n" + u, "n" + v, t, new float[0], 0, 1);
        }
        return b.build();
    }
}
