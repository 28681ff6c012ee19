package io.tgstream.model.nat;

import io.tgstream.data.EdgeStream;
import io.tgstream.nn.GruCell;
import io.tgstream.nn.Parameters;
import io.tgstream.nn.TimeEncoding;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The refresh of a hop-1 value at the interaction (the locality rule: the partner's half is at hand there):
 * <pre>
 *   value' = GRU([s_v || e || phi(dt)], value)      s_v = the neighbour's memory as read in the batch,
 *                                                   e = edge features, dt = t - time stored with the old value
 * </pre>
 * How it learns: as TGN's memory. The refreshes of batch k are computed again inside the graph of batch k + 1 from the
 * stored raw inputs ({@link RefreshRequests} plus the memory rows), and batch k + 1's reads of those hop-1 values use
 * the fresh rows, so the loss of batch k + 1 reaches the GRU; the values are then stored as constants (hop-2 copies
 * and later batches read them detached). An evaluator computes the same function at the end of batch k.
 */
public final class ValueRefresh {
    private final GruCell gru;
    private final TimeEncoding time;
    private final int memoryDim;
    private final int featureDim;
    private final int valueDim;

    /**
     * Registers {@code name.gru.*} (input d + F_e + T, hidden F) and {@code name.time.*} (width T).
     *
     * @param featureDim F_e, the edge-feature width (0 for none)
     */
    public ValueRefresh(Parameters parameters, String name, int memoryDim, int featureDim, int timeDim, int valueDim) {
        this.memoryDim = memoryDim;
        this.featureDim = featureDim;
        this.valueDim = valueDim;
        this.time = new TimeEncoding(parameters, name + ".time", timeDim);
        this.gru = new GruCell(parameters, name + ".gru", memoryDim + featureDim + timeDim, valueDim);
    }

    /** What backward needs, and the new values [n, F]. */
    public record Forward(TimeEncoding.Forward time, GruCell.Forward gru, INDArray output) {
    }

    /**
     * New values for n rows.
     *
     * @param neighbourMemory s_v [n, d]
     * @param features        e [n, F_e], or null when F_e = 0
     * @param timeDeltas      dt [n, 1]
     * @param oldValues       [n, F]
     */
    public Forward forward(INDArray neighbourMemory, INDArray features, INDArray timeDeltas, INDArray oldValues) {
        TimeEncoding.Forward phi = time.forward(timeDeltas);
        INDArray input = featureDim == 0 || features == null
                ? Nd4j.hstack(neighbourMemory, phi.output())
                : Nd4j.hstack(neighbourMemory, features, phi.output());
        GruCell.Forward g = gru.forward(input, oldValues);
        return new Forward(phi, g, g.output());
    }

    /**
     * The refresh of a batch's requests.
     *
     * @param neighbourMemories the memory rows of {@link RefreshRequests#neighbours()}, row-major [n * d], as read in
     *                          the batch that made the requests
     */
    public Forward forward(RefreshRequests requests, EdgeStream stream, float[] neighbourMemories, DataType type) {
        int n = requests.size();
        if (neighbourMemories.length != n * memoryDim) {
            throw new IllegalArgumentException("expected " + n + " x " + memoryDim + " memory floats, got "
                    + neighbourMemories.length);
        }
        INDArray features = null;
        if (featureDim > 0) {
            if (stream.featureDim() != featureDim) {
                throw new IllegalArgumentException("the refresh was built for " + featureDim
                        + " edge features, the stream has " + stream.featureDim());
            }
            float[] e = new float[n * featureDim];
            for (int r = 0; r < n; r++) {
                stream.copyFeatures(requests.event(r), e, r * featureDim);
            }
            features = matrix(e, n, featureDim, type);
        }
        return forward(matrix(neighbourMemories, n, memoryDim, type), features,
                matrix(requests.timeDeltas(), n, 1, type), matrix(requests.oldValues(), n, valueDim, type));
    }

    /** Adds the parameter gradients for dL/dvalue' [n, F]. The inputs are stored state: no gradient flows into them. */
    public void backward(Forward f, INDArray dOut) {
        GruCell.InputGradients g = gru.backward(f.gru(), dOut);
        long from = memoryDim + featureDim;
        time.backward(f.time(), g.input().get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(from, from + time.dimension())));
    }

    /** Row-major floats of the values (what {@link NeighbourDictionaries#writeRefreshed} takes). */
    public static float[] floats(Forward f) {
        INDArray o = f.output();
        return (o.dataType() == DataType.FLOAT ? o : o.castTo(DataType.FLOAT)).dup('c').data().asFloat();
    }

    static INDArray matrix(float[] values, int rows, int cols, DataType type) {
        INDArray m = Nd4j.create(values, new long[] {rows, cols}, 'c');
        return type == DataType.FLOAT ? m : m.castTo(type);
    }

    public int valueDim() { return valueDim; }
}
