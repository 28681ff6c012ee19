package io.tgstream.model.nat;

import io.tgstream.data.EdgeStream;
import io.tgstream.data.NamedDataset;
import io.tgstream.nn.Nd4jRuntime;
import io.tgstream.nn.Parameters;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Measurements of the NAT parts (not a test; prints figures): dictionary replay of a data set in batches of 200 with
 * the value refresh, the encoded bytes per node at the end, and JointNeighbourhood + PairScorer forward + backward
 * per call at 200 and 2000 pairs (d = 100, FLOAT, defaults).
 * Run: {@code java -cp <test classpath> io.tgstream.model.nat.NatTiming <data dir> [dataset] [threads]}.
 */
public final class NatTiming {
    private static final int BATCH = 200;
    private static final int MEMORY_DIM = 100;
    private static final int REPEATS = 7;

    private NatTiming() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        NamedDataset dataset = NamedDataset.byName(args.length > 1 ? args[1] : "wikipedia");
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : Nd4jRuntime.DEFAULT_THREADS;
        Nd4jRuntime.configure(threads);
        EdgeStream s = dataset.load(dir.resolve(dataset.relativePath()), false).stream();
        System.out.printf(Locale.ROOT, "%s: %d events, %d nodes, %d features; threads %d%n", dataset.cliName(),
                s.size(), s.nodeCount(), s.featureDim(), threads);

        DictionaryConfig dc = DictionaryConfig.defaults(0);
        NeighbourDictionaries d = NeighbourDictionaries.forStream(s, dc);
        Parameters parameters = new Parameters(DataType.FLOAT, 0);
        ValueRefresh refresh = new ValueRefresh(parameters, "nat.refresh", MEMORY_DIM, s.featureDim(), 16,
                dc.valueDim());
        PairScorer scorer = new PairScorer(parameters, "nat.scorer", PairScorerConfig.defaults(MEMORY_DIM, dc));
        float[] memory = new float[s.nodeCount() * MEMORY_DIM];
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < memory.length; i++) memory[i] = (float) random.nextDouble(-1, 1);

        // replay 85% of the stream (train + validation), timing the dictionary work and the refresh separately
        int end = (int) (s.size() * 0.85);
        long applyNanos = 0;
        long refreshNanos = 0;
        int batches = 0;
        for (int from = 0; from < end; from += BATCH) {
            int[] events = range(from, Math.min(end, from + BATCH));
            long t0 = System.nanoTime();
            RefreshRequests r = d.applyBatch(s, events);
            long t1 = System.nanoTime();
            float[] values = ValueRefresh.floats(refresh.forward(r, s, rows(memory, r.neighbours()),
                    DataType.FLOAT));
            long t2 = System.nanoTime();
            d.writeRefreshed(r, values);
            applyNanos += System.nanoTime() - t2 + (t1 - t0);
            refreshNanos += t2 - t1;
            batches++;
        }
        System.out.printf(Locale.ROOT, "replay of %d events in %d batches of %d: dictionaries %.1f us/batch, value "
                        + "refresh (GRU forward) %.1f us/batch%n", end, batches, BATCH, applyNanos / 1e3 / batches,
                refreshNanos / 1e3 / batches);

        int[] sizes = new int[s.nodeCount()];
        int active = 0;
        for (int x = 0; x < s.nodeCount(); x++) {
            if (d.hasEvents(x)) sizes[active++] = DictionaryCodec.encode(d, x).length;
        }
        int[] a = Arrays.copyOf(sizes, active);
        Arrays.sort(a);
        double mean = Arrays.stream(a).average().orElse(0);
        System.out.printf(Locale.ROOT, "encoded bytes per node (%d nodes with events): mean %.0f, median %d, p90 %d, "
                        + "p99 %d, max %d; bound at defaults %d%n", active, mean, a[active / 2],
                a[(int) (active * 0.9)], a[(int) (active * 0.99)], a[active - 1], DictionaryCodec.maxEncodedSize(dc));

        for (int pairs : new int[] {200, 2000}) {
            time(s, d, scorer, memory, end, pairs, parameters);
        }
    }

    private static void time(EdgeStream s, NeighbourDictionaries d, PairScorer scorer, float[] memory, int from,
                             int pairs, Parameters parameters) {
        int[] u = new int[pairs];
        int[] v = new int[pairs];
        long[] t = new long[pairs];
        for (int i = 0; i < pairs; i++) {
            int e = from + (i / 2);
            u[i] = s.src(e);
            v[i] = i % 2 == 0 ? s.dst(e) : s.dst(from + ((i * 7919) % (s.size() - from)));
            t[i] = s.timestamp(e);
        }
        INDArray su = Nd4j.create(rows(memory, u), new long[] {pairs, MEMORY_DIM}, 'c');
        INDArray sv = Nd4j.create(rows(memory, v), new long[] {pairs, MEMORY_DIM}, 'c');
        INDArray upstream = Nd4j.ones(DataType.FLOAT, pairs, 1);
        double bestJoint = Double.MAX_VALUE;
        double bestForward = Double.MAX_VALUE;
        double bestBackward = Double.MAX_VALUE;
        double entries = 0;
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        double bestCpu = Double.MAX_VALUE;
        for (int r = 0; r < REPEATS; r++) {
            long c0 = cpu.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            JointNeighbourhood block = JointNeighbourhood.ofPairs(d, u, v, t);
            long t1 = System.nanoTime();
            long t2;
            long t3;
            try (org.nd4j.linalg.api.memory.MemoryWorkspace ws = io.tgstream.nn.BatchWorkspace.open("nat-timing")) {
                PairScorer.Forward f = scorer.forward(su, sv, block, null);
                t2 = System.nanoTime();
                scorer.backward(f, upstream);
                t3 = System.nanoTime();
            }
            bestCpu = Math.min(bestCpu, (cpu.getCurrentThreadCpuTime() - c0) / 1e6);
            parameters.zeroGradients();
            bestJoint = Math.min(bestJoint, (t1 - t0) / 1e6);
            bestForward = Math.min(bestForward, (t2 - t1) / 1e6);
            bestBackward = Math.min(bestBackward, (t3 - t2) / 1e6);
            entries = 0;
            for (int i = 0; i < pairs; i++) entries += block.count(i);
        }
        System.out.printf(Locale.ROOT, "%d pairs (mean %.1f valid entries of 98): JointNeighbourhood %.2f ms, "
                        + "PairScorer forward %.2f ms, backward %.2f ms, total %.2f ms wall; %.2f ms CPU of the "
                        + "calling thread (best of %d, inside a BatchWorkspace)%n", pairs,
                entries / pairs, bestJoint, bestForward, bestBackward, bestJoint + bestForward + bestBackward,
                bestCpu, REPEATS);
    }

    private static float[] rows(float[] memory, int[] nodes) {
        float[] out = new float[nodes.length * MEMORY_DIM];
        for (int i = 0; i < nodes.length; i++) {
            System.arraycopy(memory, nodes[i] * MEMORY_DIM, out, i * MEMORY_DIM, MEMORY_DIM);
        }
        return out;
    }

    private static int[] range(int from, int to) {
        return NatStreams.range(from, to);
    }
}
