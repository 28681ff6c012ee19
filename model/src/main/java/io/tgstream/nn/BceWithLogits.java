package io.tgstream.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Binary cross-entropy on logits, averaged over rows, in the numerically stable form
 * l(x, y) = max(x, 0) - x y + log(1 + exp(-|x|)), with gradient dl/dx = (sigmoid(x) - y) / rows.
 */
public final class BceWithLogits {
    private BceWithLogits() {
    }

    /** The mean loss and its gradient with respect to the logits (same shape as the logits). */
    public record Loss(double value, INDArray gradient) {
    }

    /** Loss of logits [rows, 1] against targets in [0, 1] of the same shape. */
    public static Loss of(INDArray logits, INDArray targets) {
        requireColumn(logits, "logits");
        requireColumn(targets, "targets");
        if (logits.size(0) != targets.size(0)) {
            throw new IllegalArgumentException("BceWithLogits: " + logits.size(0) + " logits but " + targets.size(0)
                    + " targets");
        }
        long rows = logits.size(0);
        INDArray perRow = Transforms.relu(logits, true).subi(logits.mul(targets)).addi(softplusOfMinusAbs(logits));
        INDArray gradient = Transforms.sigmoid(logits, true).subi(targets).divi(rows);
        return new Loss(perRow.sumNumber().doubleValue() / rows, gradient);
    }

    /** Loss of logits [rows, 1] when every row has the same target (1 for positives, 0 for negatives). */
    public static Loss of(INDArray logits, double target) {
        requireColumn(logits, "logits");
        if (!(target >= 0.0 && target <= 1.0)) {
            throw new IllegalArgumentException("BceWithLogits: target must be in [0, 1], got " + target);
        }
        long rows = logits.size(0);
        INDArray perRow = Transforms.relu(logits, true).subi(logits.mul(target)).addi(softplusOfMinusAbs(logits));
        INDArray gradient = Transforms.sigmoid(logits, true).subi(target).divi(rows);
        return new Loss(perRow.sumNumber().doubleValue() / rows, gradient);
    }

    /** log(1 + exp(-|x|)): the argument of log1p is in (0, 1], so neither overflow nor cancellation occurs. */
    private static INDArray softplusOfMinusAbs(INDArray x) {
        return Transforms.log1p(Transforms.exp(Transforms.abs(x, true).negi(), false), false);
    }

    private static void requireColumn(INDArray x, String what) {
        if (x == null || x.rank() != 2 || x.size(1) != 1 || x.size(0) < 1) {
            throw new IllegalArgumentException("BceWithLogits: " + what + " must have shape [rows >= 1, 1], got "
                    + (x == null ? "null" : java.util.Arrays.toString(x.shape())));
        }
    }
}
