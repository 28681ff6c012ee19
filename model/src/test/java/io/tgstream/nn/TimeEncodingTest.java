package io.tgstream.nn;

import static io.tgstream.nn.GradientCheck.random;
import static io.tgstream.nn.GradientCheck.weightedSum;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class TimeEncodingTest {

    @Test
    void initialFrequenciesSpanNineDecades() {
        double[] w = TimeEncoding.initialFrequencies(4);
        // linspace(0, 9, 4) = 0, 3, 6, 9
        assertThat(w).containsExactly(1.0, 1e-3, 1e-6, 1e-9);
        assertThat(TimeEncoding.initialFrequencies(1)).containsExactly(1.0);
    }

    @Test
    void backwardMatchesFiniteDifferences() {
        Parameters parameters = new Parameters(DataType.DOUBLE, 5);
        TimeEncoding encoding = new TimeEncoding(parameters, "time", 6);
        // move the parameters away from their initial values so that every term of the gradient is exercised
        parameters.flatValues().addi(random(30, 1, 12));
        INDArray dt = random(31, 7, 1).muli(3.0);
        INDArray upstream = random(32, 7, 6);
        INDArray dDt = encoding.backward(encoding.forward(dt), upstream);
        DoubleSupplier loss = () -> weightedSum(encoding.forward(dt).output(), upstream);
        GradientCheck.check("dt", dt, dDt, loss);
        GradientCheck.checkParameters(parameters, loss);
    }

    @Test
    void matchesPyTorchWithTgnInitialisation() {
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            GoldenValues golden = GoldenValues.load("time_encoding.txt");
            Parameters parameters = new Parameters(type, 1);
            TimeEncoding encoding = new TimeEncoding(parameters, "time", 8);
            // the layer's own initialisation, not copied from the file
            golden.assertClose("weight", parameters.get("time.weight").value(), type == DataType.DOUBLE ? 1e-15 : 1e-7);
            golden.assertClose("bias", parameters.get("time.bias").value(), 0.0);
            golden.copyInto(parameters, "time.weight", "weight");
            TimeEncoding.Forward f = encoding.forward(golden.get("dt", type));
            // in float, cos(2.5e6 * w) has an argument error of ~0.1 ulp of 2.5e6, so compare the small-dt rows tightly
            if (type == DataType.DOUBLE) {
                golden.assertClose("out", f.output(), 1e-9);
                INDArray dDt = encoding.backward(f, golden.get("upstream", type));
                golden.assertClose("d_dt", dDt, 1e-9);
                golden.assertClose("d_weight", parameters.get("time.weight").gradient(), 1e-6);
                golden.assertClose("d_bias", parameters.get("time.bias").gradient(), 1e-9);
            } else {
                INDArray firstRows = f.output().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 4),
                        org.nd4j.linalg.indexing.NDArrayIndex.all());
                INDArray expected = golden.get("out").get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 4),
                        org.nd4j.linalg.indexing.NDArrayIndex.all());
                assertThat(GoldenValues.maxAbsDifference(expected, firstRows)).isLessThan(1e-5);
            }
        }
    }
}
