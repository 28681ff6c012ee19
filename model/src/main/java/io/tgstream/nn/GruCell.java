package io.tgstream.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A GRU cell on a batch of rows, with PyTorch's GRUCell equations and fused gate matrices:
 * <pre>
 *   g_i = x W_ih + b_ih,  g_h = h W_hh + b_hh           (W_ih [in, 3H], W_hh [H, 3H], gate blocks r | z | n)
 *   r = sigmoid(g_i,r + g_h,r),  z = sigmoid(g_i,z + g_h,z)
 *   n = tanh(g_i,n + r * g_h,n)
 *   h' = (1 - z) * n + z * h
 * </pre>
 * Backward, with dh' given: dz = dh' (h - n), dn = dh' (1 - z), a_n = dn (1 - n^2), a_r = a_n g_h,n r (1 - r),
 * a_z = dz z (1 - z); dg_i = [a_r | a_z | a_n], dg_h = [a_r | a_z | a_n r]; dx = dg_i W_ih^T,
 * dh = dg_h W_hh^T + dh' z, dW_ih += x^T dg_i, dW_hh += h^T dg_h, db += column sums.
 *
 * <p>The weights are the transposes of PyTorch's {@code weight_ih} / {@code weight_hh} (so x W needs no transpose).
 */
public final class GruCell {
    private static final String LAYER = "GruCell";
    private final Parameter weightIh;
    private final Parameter weightHh;
    private final Parameter biasIh;
    private final Parameter biasHh;
    private final int inputSize;
    private final int hiddenSize;

    /** Registers {@code name.weight_ih}, {@code .weight_hh}, {@code .bias_ih}, {@code .bias_hh}, all U(+-1/sqrt(H)). */
    public GruCell(Parameters parameters, String name, int inputSize, int hiddenSize) {
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        Initialisation init = Initialisation.uniformFanIn(hiddenSize);
        this.weightIh = parameters.add(name + ".weight_ih", init, inputSize, 3L * hiddenSize);
        this.weightHh = parameters.add(name + ".weight_hh", init, hiddenSize, 3L * hiddenSize);
        this.biasIh = parameters.add(name + ".bias_ih", init, 1, 3L * hiddenSize);
        this.biasHh = parameters.add(name + ".bias_hh", init, 1, 3L * hiddenSize);
    }

    /**
     * What backward needs. {@code rz} holds r | z side by side, {@code hiddenN} is g_h,n, {@code hMinusN} is h - n.
     */
    public record Forward(INDArray input, INDArray hidden, INDArray rz, INDArray hiddenN, INDArray n,
                          INDArray hMinusN, INDArray output) {
    }

    /** Gradients with respect to the two inputs. */
    public record InputGradients(INDArray input, INDArray hidden) {
    }

    /** h' for every row of x [rows, in] and h [rows, H]. */
    public Forward forward(INDArray x, INDArray h) {
        RowBatches.requireRows(LAYER, "input", x, inputSize);
        RowBatches.requireRows(LAYER, "hidden state", h, hiddenSize);
        RowBatches.requireSameRows(LAYER, x, h);
        RowBatches.requireType(LAYER, x, weightIh);
        RowBatches.requireType(LAYER, h, weightIh);
        long hs = hiddenSize;
        INDArray gi = x.mmul(weightIh.value()).addiRowVector(biasIh.value());
        INDArray gh = h.mmul(weightHh.value()).addiRowVector(biasHh.value());
        INDArray rz = Transforms.sigmoid(columns(gi, 0, 2 * hs).add(columns(gh, 0, 2 * hs)), false);
        INDArray r = columns(rz, 0, hs);
        INDArray z = columns(rz, hs, 2 * hs);
        INDArray ghn = columns(gh, 2 * hs, 3 * hs);
        INDArray n = Transforms.tanh(r.mul(ghn).addi(columns(gi, 2 * hs, 3 * hs)), false);
        INDArray hMinusN = h.sub(n);
        INDArray out = hMinusN.mul(z).addi(n);
        return new Forward(x, h, rz, ghn, n, hMinusN, out);
    }

    /** Adds this batch's parameter gradients and returns dL/dx and dL/dh. */
    public InputGradients backward(Forward f, INDArray dOut) {
        RowBatches.requireRows(LAYER, "output gradient", dOut, hiddenSize);
        long hs = hiddenSize;
        long rows = dOut.size(0);
        INDArray r = columns(f.rz(), 0, hs);
        INDArray z = columns(f.rz(), hs, 2 * hs);

        INDArray dGi = Nd4j.create(dOut.dataType(), rows, 3 * hs);
        INDArray aR = columns(dGi, 0, hs);
        INDArray aZ = columns(dGi, hs, 2 * hs);
        INDArray aN = columns(dGi, 2 * hs, 3 * hs);

        INDArray oneMinusZ = z.rsub(1.0);
        // a_n = dh' (1 - z) (1 - n^2)
        aN.assign(dOut.mul(oneMinusZ).muli(f.n().mul(f.n()).rsubi(1.0)));
        // a_z = dh' (h - n) z (1 - z)
        aZ.assign(dOut.mul(f.hMinusN()).muli(z).muli(oneMinusZ));
        // a_r = a_n g_h,n r (1 - r)
        aR.assign(aN.mul(f.hiddenN()).muli(r).muli(r.rsub(1.0)));

        INDArray dGh = dGi.dup();
        columns(dGh, 2 * hs, 3 * hs).muli(r);

        Nd4j.gemm(f.input(), dGi, weightIh.gradient(), true, false, 1.0, 1.0);
        Nd4j.gemm(f.hidden(), dGh, weightHh.gradient(), true, false, 1.0, 1.0);
        biasIh.gradient().addi(dGi.sum(true, 0));
        biasHh.gradient().addi(dGh.sum(true, 0));

        INDArray dx = Nd4j.gemm(dGi, weightIh.value(), false, true);
        INDArray dh = Nd4j.gemm(dGh, weightHh.value(), false, true).addi(dOut.mul(z));
        return new InputGradients(dx, dh);
    }

    private static INDArray columns(INDArray m, long from, long to) {
        return m.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to));
    }

    public int inputSize() { return inputSize; }

    public int hiddenSize() { return hiddenSize; }
}
