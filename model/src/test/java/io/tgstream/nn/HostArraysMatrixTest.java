package io.tgstream.nn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The bulk matrix copy: the same matrix as Nd4j.create, in and out of a workspace, FLOAT and DOUBLE. */
class HostArraysMatrixTest {
    @Test
    void equalsTheElementwiseCreation() {
        double[] v = new double[3 * 5];
        for (int i = 0; i < v.length; i++) v[i] = Math.sin(i) * 1e3;
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            INDArray expected = Nd4j.create(v, new long[] {3, 5}, 'c').castTo(type);
            assertThat(HostArrays.matrix(v, 3, 5, type)).isEqualTo(expected);
            try (MemoryWorkspace ws = BatchWorkspace.open("host-matrix-test")) {
                Nd4j.create(type, 7, 3);                     // not at the start of the block
                INDArray m = HostArrays.matrix(v, 3, 5, type);
                assertThat(m.dataType()).isEqualTo(type);
                assertThat(m.equals(expected)).isTrue();
                assertThat(m.getDouble(2, 4)).isEqualTo(expected.getDouble(2, 4));
            }
            assertThat(HostArrays.matrix(new double[0], 0, 5, type).length()).isZero();
        }
    }
}
