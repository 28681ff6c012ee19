package io.tgstream.nn;

import java.util.SplittableRandom;

/**
 * How a parameter tensor gets its first values: a rule that fills the tensor's elements (row-major order) from the
 * parameter's own seeded generator.
 */
@FunctionalInterface
public interface Initialisation {

    /** Fills {@code target} (the tensor in row-major order) using {@code random}, which is seeded for this tensor only. */
    void fill(double[] target, SplittableRandom random);

    /** Every element 0. */
    static Initialisation zeros() {
        return (target, random) -> java.util.Arrays.fill(target, 0.0);
    }

    /** Every element drawn from U(-bound, bound), as PyTorch initialises Linear and GRU weights with bound 1/sqrt(fan_in). */
    static Initialisation uniform(double bound) {
        if (!(bound >= 0.0) || Double.isInfinite(bound)) {
            throw new IllegalArgumentException("uniform initialisation needs a finite bound >= 0, got " + bound);
        }
        return (target, random) -> {
            for (int i = 0; i < target.length; i++) {
                target[i] = bound == 0.0 ? 0.0 : random.nextDouble(-bound, bound);
            }
        };
    }

    /** U(-1/sqrt(fanIn), 1/sqrt(fanIn)): PyTorch's default for Linear weights and biases and for every GRU tensor. */
    static Initialisation uniformFanIn(long fanIn) {
        if (fanIn < 1) {
            throw new IllegalArgumentException("fan-in must be >= 1, got " + fanIn);
        }
        return uniform(1.0 / Math.sqrt(fanIn));
    }

    /** Every element drawn from N(0, std^2) (Box-Muller on the tensor's own generator). */
    static Initialisation normal(double std) {
        if (!(std >= 0.0) || Double.isInfinite(std)) {
            throw new IllegalArgumentException("normal initialisation needs a finite std >= 0, got " + std);
        }
        return (target, random) -> {
            for (int i = 0; i < target.length; i += 2) {
                double u1 = 1.0 - random.nextDouble(); // in (0, 1], so log is finite
                double u2 = random.nextDouble();
                double radius = Math.sqrt(-2.0 * Math.log(u1)) * std;
                target[i] = radius * Math.cos(2.0 * Math.PI * u2);
                if (i + 1 < target.length) {
                    target[i + 1] = radius * Math.sin(2.0 * Math.PI * u2);
                }
            }
        };
    }

    /** Fixed values (copied), e.g. TGN's time-encoding frequencies; the length must match the tensor. */
    static Initialisation values(double[] values) {
        double[] copy = values.clone();
        return (target, random) -> {
            if (target.length != copy.length) {
                throw new IllegalArgumentException("initial values have " + copy.length + " elements, the tensor has "
                        + target.length);
            }
            System.arraycopy(copy, 0, target, 0, copy.length);
        };
    }
}
