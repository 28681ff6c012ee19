package io.tgstream.nn;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Argument checks shared by the layers: inputs are row batches of an expected width and of the parameters' type. */
final class RowBatches {
    private RowBatches() {
    }

    /** Requires a [rows, width] matrix. */
    static void requireRows(String layer, String what, INDArray x, long width) {
        if (x == null) {
            throw new IllegalArgumentException(layer + ": " + what + " is null");
        }
        if (x.rank() != 2 || x.size(1) != width) {
            throw new IllegalArgumentException(layer + ": " + what + " must have shape [rows, " + width + "], got "
                    + Arrays.toString(x.shape()));
        }
    }

    /** Requires the same number of rows in both. */
    static void requireSameRows(String layer, INDArray a, INDArray b) {
        if (a.size(0) != b.size(0)) {
            throw new IllegalArgumentException(layer + ": inputs have " + a.size(0) + " and " + b.size(0)
                    + " rows; they must describe the same rows");
        }
    }

    /** Requires the input to have the parameters' data type (FLOAT or DOUBLE). */
    static void requireType(String layer, INDArray x, Parameter p) {
        if (x.dataType() != p.value().dataType()) {
            throw new IllegalArgumentException(layer + ": input is " + x.dataType() + " but the parameters are "
                    + p.value().dataType() + "; cast the input with castTo");
        }
    }
}
