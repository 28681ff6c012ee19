package io.tgstream.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * JODIE's time-projection embedding of a node's memory: h = s * (1 + dt w + b), element-wise, with s [rows, d], a
 * column of time deltas dt [rows, 1] (normalised by the caller, e.g. divided by the mean gap), and w, b of shape
 * [1, d] initialised N(0, 1) as JODIE's NormalLinear(1, d) does. It reads only the node's own state, so it obeys the
 * locality rule.
 *
 * <p>Backward, with g = 1 + dt w + b and e = dh * s: ds = dh * g, dw += dt^T e, db += sum over rows of e,
 * d(dt) = e w^T.
 */
public final class TimeProjectionEmbedding {
    private static final String LAYER = "TimeProjectionEmbedding";
    private final Parameter weight;
    private final Parameter bias;
    private final int dimension;

    /** Registers {@code name.weight} [1, d] and {@code name.bias} [1, d]. */
    public TimeProjectionEmbedding(Parameters parameters, String name, int dimension) {
        this.dimension = dimension;
        // NormalLinear(1, d): std = 1 / sqrt(fan_in) with fan_in = 1
        this.weight = parameters.add(name + ".weight", Initialisation.normal(1.0), 1, dimension);
        this.bias = parameters.add(name + ".bias", Initialisation.normal(1.0), 1, dimension);
    }

    /** What backward needs: the memory, the time deltas and the gain g = 1 + dt w + b. */
    public record Forward(INDArray memory, INDArray timeDeltas, INDArray gain, INDArray output) {
    }

    /** Gradients with respect to the two inputs. */
    public record InputGradients(INDArray memory, INDArray timeDeltas) {
    }

    public Forward forward(INDArray memory, INDArray timeDeltas) {
        RowBatches.requireRows(LAYER, "memory", memory, dimension);
        RowBatches.requireRows(LAYER, "time deltas", timeDeltas, 1);
        RowBatches.requireSameRows(LAYER, memory, timeDeltas);
        RowBatches.requireType(LAYER, memory, weight);
        RowBatches.requireType(LAYER, timeDeltas, weight);
        INDArray gain = timeDeltas.mmul(weight.value()).addiRowVector(bias.value()).addi(1.0);
        return new Forward(memory, timeDeltas, gain, memory.mul(gain));
    }

    /** Adds this batch's parameter gradients and returns dL/ds and dL/d(dt). */
    public InputGradients backward(Forward f, INDArray dOut) {
        RowBatches.requireRows(LAYER, "output gradient", dOut, dimension);
        INDArray dMemory = dOut.mul(f.gain());
        INDArray e = dOut.mul(f.memory());
        Nd4j.gemm(f.timeDeltas(), e, weight.gradient(), true, false, 1.0, 1.0);
        bias.gradient().addi(e.sum(true, 0));
        return new InputGradients(dMemory, Nd4j.gemm(e, weight.value(), false, true));
    }

    public int dimension() { return dimension; }
}
