package io.tgstream.nn;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Cosine and sine for the time encodings' inner loops, about three times cheaper than {@link Math#cos} on this
 * machine and accurate to a few units in the last place of a double (far below the float rounding the encodings
 * tolerate): the argument is reduced by multiples of pi/2 split into three parts (Cody and Waite: the first two
 * have 26 significant bits, so n times each is exact for |n| < 2^26), and the remainder r, |r| <= pi/4, goes through
 * the Taylor series of sin and cos up to r^17 and r^18 (truncation error below 1e-19), in fused multiply-adds. Arguments beyond 2^26 pi/2
 * fall back to {@link Math}.
 */
final class Trig {
    private static final double LIMIT = 0x1p26 * Math.PI / 2;
    private static final double TWO_OVER_PI = 2 / Math.PI;
    private static final double PIO2_1;
    private static final double PIO2_2;
    private static final double PIO2_3;
    private static final double S3 = -1.0 / 6;
    private static final double S5 = 1.0 / 120;
    private static final double S7 = -1.0 / 5040;
    private static final double S9 = 1.0 / 362880;
    private static final double S11 = -1.0 / 39916800;
    private static final double S13 = 1.0 / 6227020800.0;
    private static final double S15 = -1.0 / 1307674368000.0;
    private static final double S17 = 1.0 / 355687428096000.0;
    private static final double C2 = -1.0 / 2;
    private static final double C4 = 1.0 / 24;
    private static final double C6 = -1.0 / 720;
    private static final double C8 = 1.0 / 40320;
    private static final double C10 = -1.0 / 3628800;
    private static final double C12 = 1.0 / 479001600;
    private static final double C14 = -1.0 / 87178291200.0;
    private static final double C16 = 1.0 / 20922789888000.0;
    private static final double C18 = -1.0 / 6402373705728000.0;

    static {
        BigDecimal halfPi = new BigDecimal("1.57079632679489661923132169163975144209858469968755291048747229615390820");
        PIO2_1 = truncate(halfPi.doubleValue());
        BigDecimal rest = halfPi.subtract(new BigDecimal(PIO2_1), MathContext.UNLIMITED);
        PIO2_2 = truncate(rest.doubleValue());
        PIO2_3 = rest.subtract(new BigDecimal(PIO2_2), MathContext.UNLIMITED).doubleValue();
    }

    private Trig() {
    }

    /** x with only its 26 leading significant bits. */
    private static double truncate(double x) {
        return Double.longBitsToDouble(Double.doubleToRawLongBits(x) & ~((1L << 27) - 1));
    }

    static double cos(double x) {
        if (!(Math.abs(x) < LIMIT)) {
            return Math.cos(x);
        }
        double n = Math.rint(x * TWO_OVER_PI);
        double r = Math.fma(-n, PIO2_3, Math.fma(-n, PIO2_2, Math.fma(-n, PIO2_1, x)));
        long quadrant = (long) n & 3;
        // cos(r + q pi/2): q = 0: cos r, 1: -sin r, 2: -cos r, 3: sin r (selected without branches: q is random)
        return select(quadrant & 1, cosKernel(r), sinKernel(r), ((quadrant + 1) & 2) << 62);
    }

    static double sin(double x) {
        if (!(Math.abs(x) < LIMIT)) {
            return Math.sin(x);
        }
        double n = Math.rint(x * TWO_OVER_PI);
        double r = Math.fma(-n, PIO2_3, Math.fma(-n, PIO2_2, Math.fma(-n, PIO2_1, x)));
        long quadrant = (long) n & 3;
        // sin(r + q pi/2): q = 0: sin r, 1: cos r, 2: -sin r, 3: -cos r
        return select(quadrant & 1, sinKernel(r), cosKernel(r), (quadrant & 2) << 62);
    }

    /** cos and sin of a[0..n-1] at once (one reduction, both kernels): c[co + j] = cos a[j], s[so + j] = sin a[j]. */
    static void cosSin(double[] a, int n, double[] c, int co, double[] s, int so) {
        for (int j = 0; j < n; j++) {
            double x = a[j];
            if (!(Math.abs(x) < LIMIT)) {
                c[co + j] = Math.cos(x);
                s[so + j] = Math.sin(x);
                continue;
            }
            double m = Math.rint(x * TWO_OVER_PI);
            double r = Math.fma(-m, PIO2_3, Math.fma(-m, PIO2_2, Math.fma(-m, PIO2_1, x)));
            long quadrant = (long) m & 3;
            double cr = cosKernel(r);
            double sr = sinKernel(r);
            c[co + j] = select(quadrant & 1, cr, sr, ((quadrant + 1) & 2) << 62);
            s[so + j] = select(quadrant & 1, sr, cr, (quadrant & 2) << 62);
        }
    }

    /** (odd == 0 ? even : oddValue) with its sign bit flipped by signBit (0 or 1L << 63). */
    private static double select(long odd, double even, double oddValue, long signBit) {
        long mask = -odd;
        long bits = (Double.doubleToRawLongBits(oddValue) & mask) | (Double.doubleToRawLongBits(even) & ~mask);
        return Double.longBitsToDouble(bits ^ signBit);
    }

    private static double sinKernel(double r) {
        double r2 = r * r;
        double p = Math.fma(r2, S17, S15);
        p = Math.fma(r2, p, S13);
        p = Math.fma(r2, p, S11);
        p = Math.fma(r2, p, S9);
        p = Math.fma(r2, p, S7);
        p = Math.fma(r2, p, S5);
        p = Math.fma(r2, p, S3);
        return Math.fma(r * r2, p, r);
    }

    private static double cosKernel(double r) {
        double r2 = r * r;
        double p = Math.fma(r2, C18, C16);
        p = Math.fma(r2, p, C14);
        p = Math.fma(r2, p, C12);
        p = Math.fma(r2, p, C10);
        p = Math.fma(r2, p, C8);
        p = Math.fma(r2, p, C6);
        p = Math.fma(r2, p, C4);
        p = Math.fma(r2, p, C2);
        return Math.fma(r2, p, 1);
    }
}
