package io.tgstream.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The link scorer: a 2-layer MLP on the pair of embeddings, giving a logit per row:
 * score = relu([h_u || h_v] W1 + b1) W2 + b2, with W1 [2d, hidden], W2 [hidden, 1].
 *
 * <p>The concatenation is never built: [h_u || h_v] W1 = h_u W1[0:d] + h_v W1[d:2d]. Backward, with a the
 * pre-activation and q = relu(a): dW2 += q^T ds, db2 += sum ds, da = (ds W2^T) * 1[a > 0],
 * dW1[0:d] += h_u^T da, dW1[d:2d] += h_v^T da, db1 += sum da, dh_u = da W1[0:d]^T, dh_v = da W1[d:2d]^T.
 */
public final class LinkDecoder {
    private static final String LAYER = "LinkDecoder";
    private final Parameter weight1;
    private final Parameter bias1;
    private final Parameter weight2;
    private final Parameter bias2;
    private final int embeddingSize;
    private final int hiddenSize;

    /** Registers {@code name.fc1.weight} [2d, hidden], {@code .fc1.bias}, {@code .fc2.weight} [hidden, 1], {@code .fc2.bias}. */
    public LinkDecoder(Parameters parameters, String name, int embeddingSize, int hiddenSize) {
        this.embeddingSize = embeddingSize;
        this.hiddenSize = hiddenSize;
        Initialisation first = Initialisation.uniformFanIn(2L * embeddingSize);
        Initialisation second = Initialisation.uniformFanIn(hiddenSize);
        this.weight1 = parameters.add(name + ".fc1.weight", first, 2L * embeddingSize, hiddenSize);
        this.bias1 = parameters.add(name + ".fc1.bias", first, 1, hiddenSize);
        this.weight2 = parameters.add(name + ".fc2.weight", second, hiddenSize, 1);
        this.bias2 = parameters.add(name + ".fc2.bias", second, 1, 1);
    }

    /** What backward needs, and the logits [rows, 1]. {@code hidden} is relu(a). */
    public record Forward(INDArray source, INDArray destination, INDArray hidden, INDArray logits) {
    }

    /** Gradients with respect to the two embeddings. */
    public record InputGradients(INDArray source, INDArray destination) {
    }

    /** Logits for the pairs (source row i, destination row i). */
    public Forward forward(INDArray source, INDArray destination) {
        RowBatches.requireRows(LAYER, "source embeddings", source, embeddingSize);
        RowBatches.requireRows(LAYER, "destination embeddings", destination, embeddingSize);
        RowBatches.requireSameRows(LAYER, source, destination);
        RowBatches.requireType(LAYER, source, weight1);
        RowBatches.requireType(LAYER, destination, weight1);
        INDArray a = source.mmul(sourceBlock());
        Nd4j.gemm(destination, destinationBlock(), a, false, false, 1.0, 1.0);
        INDArray hidden = Transforms.relu(a.addiRowVector(bias1.value()), false);
        INDArray logits = hidden.mmul(weight2.value()).addiRowVector(bias2.value());
        return new Forward(source, destination, hidden, logits);
    }

    /** Adds this batch's parameter gradients and returns dL/dh_u and dL/dh_v. */
    public InputGradients backward(Forward f, INDArray dLogits) {
        RowBatches.requireRows(LAYER, "logit gradient", dLogits, 1);
        Nd4j.gemm(f.hidden(), dLogits, weight2.gradient(), true, false, 1.0, 1.0);
        bias2.gradient().addi(dLogits.sum(true, 0));
        // relu' = 1 where the output is positive: sign(relu(a)) is exactly that indicator
        INDArray da = Nd4j.gemm(dLogits, weight2.value(), false, true).muli(Transforms.sign(f.hidden(), true));
        INDArray w1Gradient = weight1.gradient();
        Nd4j.gemm(f.source(), da, rows(w1Gradient, 0, embeddingSize), true, false, 1.0, 1.0);
        Nd4j.gemm(f.destination(), da, rows(w1Gradient, embeddingSize, 2L * embeddingSize), true, false, 1.0, 1.0);
        bias1.gradient().addi(da.sum(true, 0));
        return new InputGradients(Nd4j.gemm(da, sourceBlock(), false, true),
                Nd4j.gemm(da, destinationBlock(), false, true));
    }

    private INDArray sourceBlock() {
        return rows(weight1.value(), 0, embeddingSize);
    }

    private INDArray destinationBlock() {
        return rows(weight1.value(), embeddingSize, 2L * embeddingSize);
    }

    private static INDArray rows(INDArray m, long from, long to) {
        return m.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
    }

    public int embeddingSize() { return embeddingSize; }

    public int hiddenSize() { return hiddenSize; }
}
