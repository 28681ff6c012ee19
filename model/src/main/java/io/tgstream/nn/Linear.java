package io.tgstream.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A fully connected layer on a batch of rows: y = x W + b, with x of shape [rows, in], W [in, out], b [1, out].
 *
 * <p>Backward: dx = dy W^T, dW += x^T dy, db += sum over rows of dy.
 */
public final class Linear {
    private static final String LAYER = "Linear";
    private final Parameter weight;
    private final Parameter bias;
    private final int in;
    private final int out;

    /** Registers {@code name.weight} [in, out] and {@code name.bias} [1, out], both U(+-1/sqrt(in)) as in PyTorch. */
    public Linear(Parameters parameters, String name, int in, int out) {
        this.in = in;
        this.out = out;
        this.weight = parameters.add(name + ".weight", Initialisation.uniformFanIn(in), in, out);
        this.bias = parameters.add(name + ".bias", Initialisation.uniformFanIn(in), 1, out);
    }

    /** What backward needs: the input, and the output y. */
    public record Forward(INDArray input, INDArray output) {
    }

    public Forward forward(INDArray x) {
        RowBatches.requireRows(LAYER, "input", x, in);
        RowBatches.requireType(LAYER, x, weight);
        INDArray y = x.mmul(weight.value()).addiRowVector(bias.value());
        return new Forward(x, y);
    }

    /** Adds this batch's parameter gradients and returns dL/dx. */
    public INDArray backward(Forward forward, INDArray dy) {
        RowBatches.requireRows(LAYER, "output gradient", dy, out);
        Nd4j.gemm(forward.input(), dy, weight.gradient(), true, false, 1.0, 1.0);
        bias.gradient().addi(dy.sum(true, 0));
        return Nd4j.gemm(dy, weight.value(), false, true);
    }

    public int inputSize() { return in; }

    public int outputSize() { return out; }
}
