package io.tgstream.cluster;

import io.tgstream.data.EdgeStream;
import io.tgstream.eval.ChronologicalSplit;
import io.tgstream.model.EmbeddingKind;
import io.tgstream.model.MemoryModel;
import io.tgstream.model.MemoryModelConfig;
import io.tgstream.model.MemoryModelFile;
import io.tgstream.model.TimeScale;
import io.tgstream.train.MemoryTrainer;
import io.tgstream.train.TrainingConfig;
import io.tgstream.stream.ParityFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * What the local-cluster tests share: where the repository and its shared Flink settings are, a started cluster that
 * is stopped even if the test JVM dies, and a seeded event stream with a small model and its offline reference scores.
 */
final class ClusterTestFixture {
    private ClusterTestFixture() {}

    static Path repositoryRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !(Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("docker")))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("no directory with pom.xml and docker/ above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    static Path sharedFlinkConfig() {
        return repositoryRoot().resolve(LocalFlinkConfig.SHARED_CONFIG);
    }

    /**
     * Starts a cluster under {@code dir} on this JVM's classpath (the test classpath holds the jobs module's runtime
     * classpath) and registers a shutdown hook that stops it, so that no process outlives the tests.
     */
    static LocalCluster startCluster(Path dir, int taskManagers) {
        Thread hook = new Thread(() -> {
            try {
                LocalCluster.open(dir, null).stop();
            } catch (RuntimeException e) {
                // nothing was recorded: nothing to stop
            }
        }, "stop-local-cluster");
        Runtime.getRuntime().addShutdownHook(hook);
        return LocalCluster.start(dir, sharedFlinkConfig(), System.getProperty("java.class.path"), taskManagers);
    }

    /**
     * A seeded stream of {@code n} events among {@code nodes} nodes with 2 features: popular low-numbered nodes,
     * occasional self-loops, repeated timestamps.
     */
    static EdgeStream stream(int n, int nodes, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        EdgeStream.Builder b = EdgeStream.builder("cluster-synthetic", "s", 2);
        long t = 5_000;
        for (int i = 0; i < n; i++) {
            int u = (int) (nodes * Math.pow(r.nextDouble(), 2));
            int v = r.nextInt(8) == 0 ? u : r.nextInt(nodes);
            if (r.nextInt(4) != 0) {
                t += 1 + r.nextInt(40);
            }
            b.add("v" + u, "v" + v, t, new float[] {(float) r.nextGaussian(), (float) r.nextDouble()}, 0, 1);
        }
        return b.build();
    }

    /** Trains a small PRES memory model (d = 16) for one epoch and writes it to {@code file}; returns it as loaded. */
    static MemoryModel model(EdgeStream stream, Path file) throws Exception {
        ChronologicalSplit split = ChronologicalSplit.of(stream);
        double tau = TimeScale.of(stream, IntStream.range(0, stream.size()).toArray());
        MemoryModelConfig config = new MemoryModelConfig(16, 8, 2, EmbeddingKind.RECENT_PARTNERS, 4, 4, true,
                MemoryModelConfig.DEFAULT_PRES_GAMMA, MemoryModelConfig.DEFAULT_COHERENCE_WEIGHT, tau, 11);
        MemoryModel m = new MemoryModel(config, DataType.FLOAT);
        new MemoryTrainer(m, split, TrainingConfig.defaults().withBatchSize(50).withEpochs(1).withSeed(11), null)
                .train();
        MemoryModelFile.save(m, file);
        return MemoryModelFile.load(file);
    }

    /** The failure-free reference: each batch of B events scored from the state before it, then applied. */
    static float[] offlineScores(MemoryModel model, EdgeStream stream, int batchSize) {
        return ParityFixture.referenceScores(model, stream, batchSize);
    }
}
