package io.tgstream.nn;

import java.util.function.DoubleSupplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Compares hand-written gradients with central finite differences in double precision: every element x_i of a tensor
 * is moved by +-STEP, the loss is re-evaluated, and (L(x + h) - L(x - h)) / 2h must agree with the analytic value to a
 * relative error of at most {@link #TOLERANCE}.
 */
public final class GradientCheck {
    static final double STEP = 1e-6;
    static final double TOLERANCE = 1e-4;
    /** Below this magnitude (|a| + |n|) the comparison is absolute; finite differences cannot resolve less. */
    private static final double FLOOR = 1e-6;

    private GradientCheck() {
    }

    /** Relative error as used by the check: |a - n| / max(|a| + |n|, FLOOR). */
    static double relativeError(double analytic, double numeric) {
        return Math.abs(analytic - numeric) / Math.max(Math.abs(analytic) + Math.abs(numeric), FLOOR);
    }

    /**
     * Checks the analytic gradient of {@code loss} with respect to {@code tensor} (a DOUBLE array that the loss reads;
     * perturbed in place and restored).
     */
    public static void check(String what, INDArray tensor, INDArray analytic, DoubleSupplier loss) {
        check(what, tensor, analytic, loss, STEP, 1);
    }

    /**
     * As {@link #check(String, INDArray, INDArray, DoubleSupplier)}, with the finite-difference step {@code step} and
     * only every {@code stride}-th element (whole-model checks: a loss of order 1 built from many ops carries rounding
     * noise that a step of 1e-6 magnifies past the tolerance for its smallest gradients, and each evaluation is a
     * whole forward pass).
     */
    static void check(String what, INDArray tensor, INDArray analytic, DoubleSupplier loss, double step, int stride) {
        if (tensor.dataType() != DataType.DOUBLE) {
            throw new IllegalArgumentException("gradient checks run in DOUBLE, " + what + " is " + tensor.dataType());
        }
        if (!tensor.isView() && tensor.ordering() != 'c') {
            throw new IllegalArgumentException(what + " must be a c-ordered array");
        }
        INDArray flatTensor = tensor;
        INDArray flatAnalytic = analytic.dup('c').reshape(analytic.length());
        if (!java.util.Arrays.equals(tensor.shape(), analytic.shape())) {
            throw new AssertionError(what + ": analytic gradient has shape " + java.util.Arrays.toString(analytic.shape())
                    + ", the tensor " + java.util.Arrays.toString(tensor.shape()));
        }
        double worst = 0.0;
        String worstAt = "";
        for (long i = 0; i < flatTensor.length(); i += stride) {
            double original = flatTensor.getDouble(i);
            flatTensor.putScalar(i, original + step);
            double plus = loss.getAsDouble();
            flatTensor.putScalar(i, original - step);
            double minus = loss.getAsDouble();
            flatTensor.putScalar(i, original);
            double numeric = (plus - minus) / (2 * step);
            double a = flatAnalytic.getDouble(i);
            double error = relativeError(a, numeric);
            if (!(error <= worst)) {
                worst = error;
                worstAt = "element " + i + ": analytic " + a + ", numeric " + numeric;
            }
        }
        if (!(worst <= TOLERANCE)) {
            throw new AssertionError(what + ": gradient differs from finite differences, relative error " + worst
                    + " at " + worstAt);
        }
    }

    /** Checks every parameter of the registry at once against its accumulated gradient. */
    public static void checkParameters(Parameters parameters, DoubleSupplier loss) {
        checkParameters(parameters, loss, STEP, 1);
    }

    /** {@link #checkParameters(Parameters, DoubleSupplier)} with a step and a stride (see the six-argument check). */
    public static void checkParameters(Parameters parameters, DoubleSupplier loss, double step, int stride) {
        // perturb the flat buffer itself (a parameter's value() is a reshaped view of it)
        INDArray flat = parameters.flatValues();
        INDArray analytic = parameters.flatGradients().dup();
        for (Parameter p : parameters.list()) {
            long from = p.offset();
            INDArray slice = flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(from, from + p.length()));
            INDArray gradient = analytic.get(NDArrayIndex.point(0), NDArrayIndex.interval(from, from + p.length()));
            check("parameter " + p.name(), slice, gradient, loss, step, stride);
        }
    }

    /** sum(output * upstream): a scalar loss whose gradient with respect to the output is {@code upstream}. */
    static double weightedSum(INDArray output, INDArray upstream) {
        return output.mul(upstream).sumNumber().doubleValue();
    }

    /** A DOUBLE tensor of the given shape with entries in [-1, 1), from a seeded generator. */
    static INDArray random(long seed, long... shape) {
        long n = 1;
        for (long d : shape) n *= d;
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) v[i] = r.nextDouble(-1.0, 1.0);
        return Nd4j.createFromArray(v).reshape('c', shape);
    }
}
