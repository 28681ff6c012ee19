package io.tgstream.bench.kernels;

import io.tgstream.model.MemoryModel;
import io.tgstream.model.MemoryReplay;
import io.tgstream.train.TrainingStep;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
 * The memory model's kernels on one batch of B events, as the trainer, the offline replay and the stream call them
 * (time per call):
 * <ul>
 *   <li>{@code embedDecode}: score B events = read 2B memories, embed them, decode B pairs ({@link MemoryReplay#score});</li>
 *   <li>{@code trainStep}: one training batch's forward and backward with B negatives ({@link TrainingStep});</li>
 *   <li>{@code gruUpdate}: the memory update s' = GRU([s_u || s_v || phi(dt) || e], s_u) of B rows.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MemoryModelKernels {
    @Param({"200", "2000"})
    public int batch;

    private KernelFixture f;
    private MemoryReplay replay;
    private TrainingStep step;
    private int[] measuredEvents;
    private int[] src;
    private int[] dst;
    private long[] times;
    private int[] negatives;
    private INDArray own;
    private INDArray partner;
    private INDArray timeDelta;
    private INDArray features;

    @Setup(Level.Trial)
    public void setUp() {
        f = new KernelFixture(batch);
        replay = new MemoryReplay(f.model, f.stream);
        step = new TrainingStep(f.model, f.stream);
        SplittableRandom random = new SplittableRandom(KernelFixture.SEED);
        for (int i = 0; i < KernelFixture.WARM_BATCHES; i++) {
            int[] events = f.events(i);
            replay.apply(events);
            int[] neg = random.ints(events.length, 0, f.stream.nodeCount()).toArray();
            TrainingStep.Outcome o = step.forwardBackward(events, neg);
            step.commit(events, o);
        }
        f.model.parameters().zeroGradients();
        measuredEvents = f.events(KernelFixture.WARM_BATCHES);
        src = f.sources(measuredEvents);
        dst = f.destinations(measuredEvents);
        times = f.times(measuredEvents);
        negatives = random.ints(batch, 0, f.stream.nodeCount()).toArray();
        int d = f.model.config().memoryDim();
        own = Nd4j.rand(f.model.dataType(), batch, d);
        partner = Nd4j.rand(f.model.dataType(), batch, d);
        timeDelta = Nd4j.rand(f.model.dataType(), batch, 1).muli(1000);
        features = Nd4j.rand(f.model.dataType(), batch, KernelFixture.FEATURES);
    }

    @Benchmark
    public float[] embedDecode() {
        return replay.score(src, dst, times);
    }

    @Benchmark
    public double trainStep() {
        double loss = step.forwardBackward(measuredEvents, negatives).loss();
        f.model.parameters().zeroGradients();
        return loss;
    }

    @Benchmark
    public INDArray gruUpdate() {
        MemoryModel.UpdateForward u = f.model.updateMemory(own, partner, timeDelta, features, null, null);
        return u.output();
    }
}
