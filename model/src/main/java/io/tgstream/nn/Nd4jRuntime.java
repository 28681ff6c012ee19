package io.tgstream.nn;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that sets how many threads ND4J's native backend uses (STACK.md trap 4: its default of one OpenMP
 * thread per core makes two operators on a 2-core machine fight, 2-5x slower at 200 rows).
 *
 * <p>nd4j-native 1.0.0-M2.1 has four independent knobs, read from its bytecode: libnd4j's
 * {@code Environment.maxMasterThreads} (threads of its own element-wise and reduction loops),
 * {@code Environment.maxThreads}, {@code NativeOps.setOmpNumThreads} (OpenMP), and the BLAS library's thread count
 * ({@code Nd4j.factory().blas().setMaxThreads}, which calls OpenBLAS's {@code blas_set_num_threads}). Setting only
 * one of them leaves either the gemm or the element-wise ops on every core, so all four are set together.
 */
public final class Nd4jRuntime {
    /** Threads per ND4J user (a trainer, or one Flink slot) unless configured otherwise. */
    public static final int DEFAULT_THREADS = 1;

    private static final Logger LOG = LoggerFactory.getLogger(Nd4jRuntime.class);

    private Nd4jRuntime() {
    }

    /** Sets every ND4J thread knob to {@code threads}. Process-wide; call once before the first op. */
    public static synchronized void configure(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("ND4J thread count must be >= 1, got " + threads
                    + " (use 1 per Flink slot or trainer)");
        }
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
        LOG.info("ND4J threads set to {} (element-wise {}, OpenMP {}, BLAS {})", threads,
                Nd4j.getEnvironment().maxMasterThreads(),
                NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads(),
                Nd4j.factory().blas().getMaxThreads());
    }

    /** {@link #configure(int)} with {@link #DEFAULT_THREADS}. */
    public static void configureDefault() {
        configure(DEFAULT_THREADS);
    }

    /** The thread counts ND4J reports now: element-wise loops, OpenMP, BLAS. */
    public static int[] reportedThreads() {
        return new int[] {
            Nd4j.getEnvironment().maxMasterThreads(),
            NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads(),
            Nd4j.factory().blas().getMaxThreads()
        };
    }
}
