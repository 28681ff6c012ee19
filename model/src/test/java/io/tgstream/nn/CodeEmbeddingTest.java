package io.tgstream.nn;

import static io.tgstream.nn.GradientCheck.random;
import static io.tgstream.nn.GradientCheck.weightedSum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class CodeEmbeddingTest {

    @Test
    void forwardGathersTheRowsOfTheCodes() {
        Parameters parameters = new Parameters(DataType.FLOAT, 3);
        CodeEmbedding embedding = new CodeEmbedding(parameters, "code", 64, 5);
        int[] codes = {0, 34, 34, 63, 9};
        INDArray out = embedding.forward(codes);
        INDArray table = parameters.get("code.weight").value();
        for (int i = 0; i < codes.length; i++) {
            assertThat(out.getRow(i).equals(table.getRow(codes[i]))).isTrue();
        }
        assertThat(out.dataType()).isEqualTo(DataType.FLOAT);
    }

    @Test
    void backwardMatchesFiniteDifferences() {
        Parameters parameters = new Parameters(DataType.DOUBLE, 3);
        CodeEmbedding embedding = new CodeEmbedding(parameters, "code", 8, 3);
        // a second table in the same registry must get nothing from the first one's backward
        CodeEmbedding other = new CodeEmbedding(parameters, "other", 4, 2);
        int[] codes = {1, 5, 5, 0, 7, 5};
        INDArray upstream = random(4, codes.length, 3);
        embedding.backward(codes, upstream);
        GradientCheck.checkParameters(parameters, () -> weightedSum(embedding.forward(codes), upstream));
        assertThat(parameters.get("other.weight").gradient().amaxNumber().doubleValue()).isZero();
        assertThat(other.codes()).isEqualTo(4);
        // rows of codes that never occur get nothing
        assertThat(parameters.get("code.weight").gradient().getRow(2).amaxNumber().doubleValue()).isZero();
    }

    @Test
    void codesOutsideTheTableAreRejected() {
        CodeEmbedding embedding = new CodeEmbedding(new Parameters(DataType.FLOAT, 3), "code", 64, 2);
        assertThatThrownBy(() -> embedding.forward(new int[] {64})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside 0..63");
    }
}
