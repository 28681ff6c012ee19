package io.tgstream.bench.kernels;

import io.tgstream.model.nat.DictionaryConfig;
import io.tgstream.model.nat.JointNeighbourhood;
import io.tgstream.model.nat.NeighbourDictionaries;
import io.tgstream.model.nat.PairScorer;
import io.tgstream.model.nat.PairScorerConfig;
import io.tgstream.model.nat.RefreshRequests;
import io.tgstream.nn.BatchWorkspace;
import io.tgstream.nn.Parameters;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * NAT's pair scoring of B pairs (time per call): build the pairs' joint neighbourhoods from the neighbour
 * dictionaries, then the attention over them and the MLP ({@link PairScorer#forward}), inside a batch workspace as
 * the trainer runs it. The dictionaries are filled by replaying the warm-up batches (values refreshed with random
 * rows: their numbers do not change the work).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PairScorerKernel {
    @Param({"200", "2000"})
    public int batch;

    private NeighbourDictionaries dictionaries;
    private PairScorer scorer;
    private int[] u;
    private int[] v;
    private long[] t;
    private INDArray su;
    private INDArray sv;

    @Setup(Level.Trial)
    public void setUp() {
        KernelFixture f = new KernelFixture(batch);
        DictionaryConfig dc = DictionaryConfig.defaults(KernelFixture.SEED);
        dictionaries = NeighbourDictionaries.forStream(f.stream, dc);
        SplittableRandom random = new SplittableRandom(KernelFixture.SEED);
        for (int i = 0; i < KernelFixture.WARM_BATCHES; i++) {
            RefreshRequests r = dictionaries.applyBatch(f.stream, f.events(i));
            float[] values = new float[r.size() * r.valueDim()];
            for (int j = 0; j < values.length; j++) values[j] = (float) random.nextDouble(-1, 1);
            dictionaries.writeRefreshed(r, values);
        }
        int d = f.model.config().memoryDim();
        scorer = new PairScorer(new Parameters(DataType.FLOAT, KernelFixture.SEED), "nat.scorer",
                PairScorerConfig.defaults(d, dc));
        int[] events = f.events(KernelFixture.WARM_BATCHES);
        u = f.sources(events);
        v = f.destinations(events);
        t = f.times(events);
        su = Nd4j.rand(DataType.FLOAT, batch, d);
        sv = Nd4j.rand(DataType.FLOAT, batch, d);
    }

    @Benchmark
    public float jointNeighbourhoodAndAttention() {
        JointNeighbourhood block = JointNeighbourhood.ofPairs(dictionaries, u, v, t);
        try (MemoryWorkspace ws = BatchWorkspace.open("bench-pair-scorer")) {
            return scorer.forward(su, sv, block, null).logits().getFloat(0);
        }
    }
}
