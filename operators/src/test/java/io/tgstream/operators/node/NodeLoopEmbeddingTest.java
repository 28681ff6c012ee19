package io.tgstream.operators.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.tgstream.data.EdgeStream;
import io.tgstream.eval.ChronologicalSplit;
import io.tgstream.model.EmbeddingKind;
import io.tgstream.model.MemoryModel;
import io.tgstream.model.MemoryModelConfig;
import io.tgstream.model.MemoryModelFile;
import io.tgstream.model.MemoryReplay;
import io.tgstream.model.MemoryRows;
import io.tgstream.operators.sequence.BatchWatermarks;
import io.tgstream.operators.sequence.SequencedEdge;
import io.tgstream.train.MemoryTrainer;
import io.tgstream.train.TrainingConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
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
 * The node loop on a MiniCluster with RocksDB, without Kafka: after every batch, each node the batch touched emits
 * exactly one embedding, equal to the offline replay's embedding of that node's state after the batch (time delta 0).
 */
class NodeLoopEmbeddingTest {
    static final int EVENTS = 600;
    static final int BATCH = 40;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4)
                    .build());

    @TempDir
    Path dir;

    private static EdgeStream stream() {
        SplittableRandom r = new SplittableRandom(5);
        EdgeStream.Builder b = EdgeStream.builder("synthetic", "s", 0);
        long t = 10;
        for (int i = 0; i < EVENTS; i++) {
            int u = (int) (60 * Math.pow(r.nextDouble(), 2));
            int v = r.nextInt(8) == 0 ? u : r.nextInt(60);
            t += r.nextInt(3) == 0 ? 0 : 1 + r.nextInt(20);
            b.add("n" + u, "n" + v, t, new float[0], 0, 1);
        }
        return b.build();
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void everyUpdatedNodeEmitsTheOfflineEmbeddingOfItsNewState(int parallelism) throws Exception {
        EdgeStream stream = stream();
        MemoryModelConfig config = new MemoryModelConfig(12, 6, 0, EmbeddingKind.RECENT_PARTNERS, 3, 4, true,
                MemoryModelConfig.DEFAULT_PRES_GAMMA, MemoryModelConfig.DEFAULT_COHERENCE_WEIGHT, 10.0, 3);
        MemoryModel trained = new MemoryModel(config, DataType.FLOAT);
        new MemoryTrainer(trained, ChronologicalSplit.of(stream),
                TrainingConfig.defaults().withBatchSize(BATCH).withEpochs(1).withSeed(3), null).train();
        Path file = dir.resolve("m.tgm");
        MemoryModelFile.save(trained, file);
        MemoryModel model = MemoryModelFile.load(file);

        Map<String, float[]> expected = expectedEmbeddings(model, stream);

        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(200));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.setBufferTimeout(2);
        List<SequencedEdge> edges = new ArrayList<>();
        for (int e = 0; e < EVENTS; e++) {
            edges.add(new SequencedEdge(stream.event(e), e, e / BATCH));
        }
        DataStream<SequencedEdge> sequenced = env.fromData(edges, TypeInformation.of(SequencedEdge.class))
                .assignTimestampsAndWatermarks(BatchWatermarks.strategy());
        DataStream<NodeEmbedding> embeddings = NodeLoop.attach(sequenced,
                new NodeOperatorSettings(file.toString(), "v", true), parallelism).getSideOutput(NodeOperator.EMBEDDINGS);

        Map<String, NodeEmbedding> actual = new HashMap<>();
        try (CloseableIterator<NodeEmbedding> it = embeddings.executeAndCollect("embeddings")) {
            while (it.hasNext()) {
                NodeEmbedding e = it.next();
                assertThat(actual.put(e.nodeId + "@" + e.batch, e)).as("one embedding per node and batch").isNull();
            }
        }
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        for (Map.Entry<String, float[]> e : expected.entrySet()) {
            float[] v = actual.get(e.getKey()).vector;
            for (int i = 0; i < v.length; i++) {
                assertThat(Math.abs(v[i] - e.getValue()[i])).as("%s[%d]", e.getKey(), i).isLessThanOrEqualTo(1e-5f);
            }
        }
    }

    /** node@batch -> embed(s, 0, partners) of the node's state right after the batch, for the nodes it touched. */
    private static Map<String, float[]> expectedEmbeddings(MemoryModel model, EdgeStream stream) {
        MemoryReplay replay = new MemoryReplay(model, stream);
        MemoryRows rows = new MemoryRows(model, replay.table());
        int d = model.config().memoryDim();
        Map<String, float[]> out = new HashMap<>();
        for (int start = 0; start < stream.size(); start += BATCH) {
            int end = Math.min(stream.size(), start + BATCH);
            int[] events = new int[end - start];
            LinkedHashSet<Integer> touched = new LinkedHashSet<>();
            for (int i = 0; i < events.length; i++) {
                events[i] = start + i;
                touched.add(stream.src(start + i));
                touched.add(stream.dst(start + i));
            }
            replay.apply(events);
            int[] nodes = touched.stream().mapToInt(Integer::intValue).toArray();
            long[] times = new long[nodes.length];
            for (int i = 0; i < nodes.length; i++) {
                times[i] = replay.table().lastUpdate(nodes[i]);
            }
            float[] h = MemoryModel.floats(model.embed(model.matrix(rows.memories(nodes), nodes.length, d),
                    rows.timeDeltas(nodes, times), rows.partnerBlock(nodes, times)).output());
            for (int i = 0; i < nodes.length; i++) {
                float[] v = new float[d];
                System.arraycopy(h, i * d, v, 0, d);
                out.put(stream.nodeId(nodes[i]) + "@" + (start / BATCH), v);
            }
        }
        return out;
    }
}
