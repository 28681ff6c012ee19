package io.tgstream.nn;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The Adam optimiser with PyTorch's defaults and bias correction, run as a few ops over the flat parameter buffer:
 * <pre>
 *   m = b1 m + (1 - b1) g,   v = b2 v + (1 - b2) g^2,   t = t + 1
 *   p = p - (lr / (1 - b1^t)) m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 * </pre>
 * with b1 = 0.9, b2 = 0.999, eps = 1e-8 (torch.optim.Adam, no weight decay, no amsgrad).
 */
public final class Adam {
    public static final double DEFAULT_BETA1 = 0.9;
    public static final double DEFAULT_BETA2 = 0.999;
    public static final double DEFAULT_EPSILON = 1e-8;

    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private INDArray firstMoment;
    private INDArray secondMoment;
    private long steps;

    /** Adam with PyTorch's default betas and epsilon. */
    public Adam(double learningRate) {
        this(learningRate, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON);
    }

    public Adam(double learningRate, double beta1, double beta2, double epsilon) {
        if (!(learningRate > 0.0) || !(beta1 >= 0.0 && beta1 < 1.0) || !(beta2 >= 0.0 && beta2 < 1.0)
                || !(epsilon > 0.0)) {
            throw new IllegalArgumentException("Adam needs lr > 0, betas in [0, 1) and eps > 0; got lr=" + learningRate
                    + " betas=(" + beta1 + ", " + beta2 + ") eps=" + epsilon);
        }
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    /** One update of every parameter from its accumulated gradient (the gradients are left as they are). */
    public void step(Parameters parameters) {
        INDArray g = parameters.flatGradients();
        INDArray p = parameters.flatValues();
        if (firstMoment == null) {
            // the moments live across steps: never in a workspace the caller may have opened around this step
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                firstMoment = Nd4j.zeros(g.dataType(), g.shape());
                secondMoment = Nd4j.zeros(g.dataType(), g.shape());
            }
        } else if (firstMoment.length() != g.length()) {
            throw new IllegalStateException("Adam was stepping " + firstMoment.length() + " parameters, the model now has "
                    + g.length() + ": register every layer before the first step");
        }
        steps++;
        firstMoment.muli(beta1).addi(g.mul(1.0 - beta1));
        secondMoment.muli(beta2).addi(g.mul(g).muli(1.0 - beta2));
        double correction1 = 1.0 - Math.pow(beta1, steps);
        double correction2 = 1.0 - Math.pow(beta2, steps);
        INDArray denominator = Transforms.sqrt(secondMoment, true).divi(Math.sqrt(correction2)).addi(epsilon);
        p.subi(firstMoment.div(denominator).muli(learningRate / correction1));
    }

    /** Number of steps taken (t). */
    public long steps() { return steps; }

    public double learningRate() { return learningRate; }
}
