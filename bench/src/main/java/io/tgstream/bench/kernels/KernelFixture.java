package io.tgstream.bench.kernels;

import io.tgstream.bench.SyntheticStream;
import io.tgstream.data.EdgeStream;
import io.tgstream.model.MemoryModel;
import io.tgstream.model.MemoryModelConfig;
import io.tgstream.model.TimeScale;
import io.tgstream.nn.Nd4jRuntime;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The inputs every model kernel benchmark shares: a synthetic stream shaped like wikipedia (about 9k nodes; 172
 * edge features, the width of JODIE's LIWC vectors) long enough for {@value #WARM_BATCHES} warm-up batches and one
 * measured batch, and a model with the project's default configuration, on ND4J with its default thread count.
 */
final class KernelFixture {
    /** Batches replayed before the measured one, so that memories and partner lists are not empty. */
    static final int WARM_BATCHES = 5;
    static final int NODES = 9_000;
    static final int FEATURES = 172;
    static final long SEED = 7;

    final EdgeStream stream;
    final MemoryModel model;
    final int batch;

    KernelFixture(int batch) {
        Nd4jRuntime.configure(Nd4jRuntime.DEFAULT_THREADS);
        this.batch = batch;
        this.stream = SyntheticStream.generate((WARM_BATCHES + 2) * batch, NODES, FEATURES, SEED);
        this.model = new MemoryModel(MemoryModelConfig.defaults(FEATURES,
                TimeScale.of(stream, IntStream.range(0, stream.size()).toArray())), DataType.FLOAT);
    }

    /** Stream indices of batch i. */
    int[] events(int i) {
        return IntStream.range(i * batch, (i + 1) * batch).toArray();
    }

    int[] sources(int[] events) {
        return IntStream.of(events).map(stream::src).toArray();
    }

    int[] destinations(int[] events) {
        return IntStream.of(events).map(stream::dst).toArray();
    }

    long[] times(int[] events) {
        return IntStream.of(events).mapToLong(stream::timestamp).toArray();
    }
}
