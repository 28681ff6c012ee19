package io.tgstream.operators.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.tgstream.data.EdgeStream;
import io.tgstream.eval.ChronologicalSplit;
import io.tgstream.model.EmbeddingKind;
import io.tgstream.model.MemoryModel;
import io.tgstream.model.MemoryModelConfig;
import io.tgstream.model.MemoryModelFile;
import io.tgstream.model.MemoryReplay;
import io.tgstream.operators.sequence.BatchWatermarks;
import io.tgstream.operators.sequence.SequencedEdge;
import io.tgstream.train.MemoryTrainer;
import io.tgstream.train.TrainingConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
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
 * Probes on the node loop (MiniCluster, RocksDB): every probe is scored against the state before its batch, exactly
 * as the offline replay scores the same pair, and the edges' scores stay those of a replay without any probe, so a
 * probe changed no state. Probes include nodes no edge has touched yet and pairs whose nodes are busy in the batch.
 */
class NodeLoopProbeTest {
    static final int EVENTS = 480;
    static final int BATCH = 40;
    static final int PROBES_PER_BATCH = 6;
    static final int NODES = 60;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4)
                    .build());

    @TempDir
    Path dir;

    private static EdgeStream stream() {
        SplittableRandom r = new SplittableRandom(11);
        EdgeStream.Builder b = EdgeStream.builder("synthetic", "s", 0);
        long t = 10;
        for (int i = 0; i < EVENTS; i++) {
            // nodes 0..29 only: 30..59 appear in probes alone, so some probes read nodes that have no state at all
            int u = (int) (30 * Math.pow(r.nextDouble(), 2));
            int v = r.nextInt(30);
            t += r.nextInt(3) == 0 ? 0 : 1 + r.nextInt(20);
            b.add("n" + u, "n" + v, t, new float[0], 0, 1);
        }
        for (int n = 30; n < NODES; n++) {
            b.add("n" + n, "n" + n, t + 1, new float[0], 0, 1); // gives probe-only nodes a dense index, never streamed
        }
        return b.build();
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void probesAreScoredLikeTheOfflineReplayAndChangeNoState(int parallelism) throws Exception {
        EdgeStream stream = stream();
        MemoryModelConfig config = new MemoryModelConfig(12, 6, 0, EmbeddingKind.RECENT_PARTNERS, 3, 4, true,
                MemoryModelConfig.DEFAULT_PRES_GAMMA, MemoryModelConfig.DEFAULT_COHERENCE_WEIGHT, 10.0, 3);
        MemoryModel trained = new MemoryModel(config, DataType.FLOAT);
        new MemoryTrainer(trained, ChronologicalSplit.of(stream),
                TrainingConfig.defaults().withBatchSize(BATCH).withEpochs(1).withSeed(3), null).train();
        Path file = dir.resolve("m.tgm");
        MemoryModelFile.save(trained, file);
        MemoryModel model = MemoryModelFile.load(file);

        // probes of batch k: pairs at the time of the batch's first edge, placed before the batch's edges
        SplittableRandom r = new SplittableRandom(7);
        List<SequencedEdge> input = new ArrayList<>();
        Map<String, Float> expected = new HashMap<>();
        MemoryReplay replay = new MemoryReplay(model, stream);
        long probeSeq = 0;
        for (int start = 0; start < EVENTS; start += BATCH) {
            int end = Math.min(EVENTS, start + BATCH);
            long k = start / BATCH;
            int[] ps = new int[PROBES_PER_BATCH];
            int[] pd = new int[PROBES_PER_BATCH];
            long[] pt = new long[PROBES_PER_BATCH];
            for (int i = 0; i < PROBES_PER_BATCH; i++) {
                ps[i] = i == 0 ? stream.src(start) : denseIndex(stream, "n" + r.nextInt(NODES));
                pd[i] = i == 1 ? ps[i] : denseIndex(stream, "n" + r.nextInt(NODES));
                pt[i] = stream.timestamp(start);
                SequencedEdge p = new SequencedEdge(
                        stream.event(start).asProbe("p" + k + "/" + i), -++probeSeq, k);
                p.srcId = stream.nodeId(ps[i]);
                p.dstId = stream.nodeId(pd[i]);
                p.src = stream.nodeKey(ps[i]);
                p.dst = stream.nodeKey(pd[i]);
                p.ts = pt[i];
                input.add(p);
            }
            float[] probeScores = replay.score(ps, pd, pt);
            for (int i = 0; i < PROBES_PER_BATCH; i++) {
                expected.put("p" + k + "/" + i, probeScores[i]);
            }
            int[] src = new int[end - start];
            int[] dst = new int[end - start];
            long[] t = new long[end - start];
            int[] events = new int[end - start];
            for (int e = start; e < end; e++) {
                src[e - start] = stream.src(e);
                dst[e - start] = stream.dst(e);
                t[e - start] = stream.timestamp(e);
                events[e - start] = e;
                input.add(new SequencedEdge(stream.event(e), e, k));
            }
            float[] edgeScores = replay.score(src, dst, t);
            for (int e = start; e < end; e++) {
                expected.put(Long.toString(e), edgeScores[e - start]);
            }
            replay.apply(events);
        }

        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(200));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.setBufferTimeout(2);
        DataStream<SequencedEdge> sequenced = env.fromData(input, TypeInformation.of(SequencedEdge.class))
                .assignTimestampsAndWatermarks(BatchWatermarks.strategy());
        DataStream<NodeScore> scores = NodeLoop.attach(sequenced,
                new NodeOperatorSettings(file.toString(), "v", false), parallelism);

        Map<String, Float> actual = new HashMap<>();
        try (CloseableIterator<NodeScore> it = scores.executeAndCollect("probes")) {
            while (it.hasNext()) {
                NodeScore s = it.next();
                String id = s.probeId != null ? s.probeId : Long.toString(s.seq);
                assertThat(actual.put(id, s.score)).as("one score per edge and probe: %s", id).isNull();
            }
        }
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        for (Map.Entry<String, Float> e : expected.entrySet()) {
            assertThat(Math.abs(actual.get(e.getKey()) - e.getValue())).as(e.getKey()).isLessThanOrEqualTo(1e-5f);
        }
    }

    private static int denseIndex(EdgeStream stream, String id) {
        for (int n = 0; n < stream.nodeCount(); n++) {
            if (stream.nodeId(n).equals(id)) {
                return n;
            }
        }
        throw new IllegalArgumentException(id);
    }
}
