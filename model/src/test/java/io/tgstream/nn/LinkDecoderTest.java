package io.tgstream.nn;

import static io.tgstream.nn.GradientCheck.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The decoder and the loss, separately and composed as the trainer uses them. */
class LinkDecoderTest {

    @Test
    void decoderAndLossBackwardMatchFiniteDifferences() {
        Parameters parameters = new Parameters(DataType.DOUBLE, 9);
        LinkDecoder decoder = new LinkDecoder(parameters, "decoder", 3, 5);
        INDArray hu = random(50, 7, 3);
        INDArray hv = random(51, 7, 3);
        INDArray targets = Nd4j.createFromArray(new double[][] {{1}, {0}, {1}, {1}, {0}, {0}, {1}});
        LinkDecoder.Forward f = decoder.forward(hu, hv);
        BceWithLogits.Loss loss = BceWithLogits.of(f.logits(), targets);
        LinkDecoder.InputGradients g = decoder.backward(f, loss.gradient());
        DoubleSupplier value = () -> BceWithLogits.of(decoder.forward(hu, hv).logits(), targets).value();
        GradientCheck.check("source", hu, g.source(), value);
        GradientCheck.check("destination", hv, g.destination(), value);
        GradientCheck.checkParameters(parameters, value);
    }

    @Test
    void lossGradientMatchesFiniteDifferencesForAConstantTarget() {
        INDArray logits = random(52, 6, 1).muli(4.0);
        for (double target : new double[] {0.0, 1.0}) {
            BceWithLogits.Loss loss = BceWithLogits.of(logits, target);
            GradientCheck.check("logits", logits, loss.gradient(), () -> BceWithLogits.of(logits, target).value());
        }
    }

    @Test
    void matchesPyTorchMlpAndBceWithLogits() {
        GoldenValues golden = GoldenValues.load("link_decoder.txt");
        Parameters parameters = new Parameters(DataType.DOUBLE, 1);
        LinkDecoder decoder = new LinkDecoder(parameters, "decoder", 3, 4);
        for (String p : new String[] {"fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"}) {
            golden.copyInto(parameters, "decoder." + p, p);
        }
        LinkDecoder.Forward f = decoder.forward(golden.get("source"), golden.get("destination"));
        golden.assertClose("logits", f.logits(), 1e-12);
        BceWithLogits.Loss loss = BceWithLogits.of(f.logits(), golden.get("targets"));
        assertThat(loss.value()).isCloseTo(golden.get("loss").getDouble(0), org.assertj.core.data.Offset.offset(1e-12));
        LinkDecoder.InputGradients g = decoder.backward(f, loss.gradient());
        golden.assertClose("d_source", g.source(), 1e-12);
        golden.assertClose("d_destination", g.destination(), 1e-12);
        for (String p : new String[] {"fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"}) {
            golden.assertClose("d_" + p, parameters.get("decoder." + p).gradient(), 1e-12);
        }
    }

    @Test
    void lossIsFiniteAndExactForExtremeLogits() {
        GoldenValues golden = GoldenValues.load("bce_extreme.txt");
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            BceWithLogits.Loss loss = BceWithLogits.of(golden.get("logits", type), golden.get("targets", type));
            double expected = golden.get("loss").getDouble(0);
            assertThat(loss.value()).isFinite().isCloseTo(expected, org.assertj.core.data.Offset.offset(expected * 1e-6));
            golden.assertClose("d_logits", loss.gradient(), 1e-7);
        }
    }

    @Test
    void lossRejectsMismatchedShapes() {
        assertThatThrownBy(() -> BceWithLogits.of(random(1, 3, 1), random(2, 4, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 logits but 4 targets");
        assertThatThrownBy(() -> BceWithLogits.of(random(1, 3, 2), 1.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[rows >= 1, 1]");
    }
}
