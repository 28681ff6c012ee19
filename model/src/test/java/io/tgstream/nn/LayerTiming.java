package io.tgstream.nn;

import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Timing of the layers (not a test; prints figures): per-op overhead of ND4J, GruCell forward and forward+backward
 * per call at 200 and 2000 rows (input 300, hidden 100), and one training step of a TGN-sized stack on 600 rows.
 * Run: {@code java -cp <test classpath> io.tgstream.nn.LayerTiming [threads] [workspace:true|false]}.
 */
public final class LayerTiming {
    private static final int REPEATS = 3;

    private LayerTiming() {
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : Nd4jRuntime.DEFAULT_THREADS;
        boolean workspace = args.length > 1 && Boolean.parseBoolean(args[1]);
        Nd4jRuntime.configure(threads);
        System.out.printf(Locale.ROOT, "threads %d (reported %s), workspace %s%n", threads,
                java.util.Arrays.toString(Nd4jRuntime.reportedThreads()), workspace);
        threadUse();
        opOverhead();
        for (int rows : new int[] {200, 2000}) {
            gru(rows, workspace);
        }
        trainingStep(workspace);
    }

    /** Process CPU time over wall time during large gemms and element-wise ops: about the number of busy threads. */
    private static void threadUse() {
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        INDArray a = Nd4j.rand(DataType.FLOAT, 1024, 1024);
        INDArray big = Nd4j.rand(DataType.FLOAT, 1, 4_000_000);
        a.mmul(a);
        long c0 = os.getProcessCpuTime();
        long w0 = System.nanoTime();
        for (int i = 0; i < 5; i++) a.mmul(a);
        long c1 = os.getProcessCpuTime();
        long w1 = System.nanoTime();
        for (int i = 0; i < 20; i++) org.nd4j.linalg.ops.transforms.Transforms.tanh(big, true);
        long c2 = os.getProcessCpuTime();
        long w2 = System.nanoTime();
        System.out.printf(Locale.ROOT, "CPU/wall: 1024^3 gemm %.2f, tanh on 4M floats %.2f (about the threads in use)%n",
                (c1 - c0) / (double) (w1 - w0), (c2 - c1) / (double) (w2 - w1));
    }

    private static void opOverhead() {
        INDArray tiny = Nd4j.ones(DataType.FLOAT, 1, 1);
        INDArray medium = Nd4j.ones(DataType.FLOAT, 200, 100);
        for (INDArray a : new INDArray[] {tiny, medium}) {
            double best = Double.MAX_VALUE;
            for (int r = 0; r < REPEATS; r++) {
                int n = 20000;
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) a.addi(1e-7);
                best = Math.min(best, (System.nanoTime() - t0) / 1e3 / n);
            }
            System.out.printf(Locale.ROOT, "in-place scalar add on %s: %.2f us/op%n",
                    java.util.Arrays.toString(a.shape()), best);
        }
        INDArray a = Nd4j.ones(DataType.FLOAT, 1, 1);
        double best = Double.MAX_VALUE;
        for (int r = 0; r < REPEATS; r++) {
            int n = 20000;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) a.mmul(a);
            best = Math.min(best, (System.nanoTime() - t0) / 1e3 / n);
        }
        System.out.printf(Locale.ROOT, "mmul [1,1]x[1,1] with a new result: %.2f us/op%n", best);
    }

    private static final com.sun.management.OperatingSystemMXBean OS = (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    /** Best over rounds (after one warm-up round) of wall and process-CPU microseconds per call. */
    private static double[] perCall(Runnable call, int calls, boolean workspace, String id) {
        double wall = Double.MAX_VALUE;
        double cpu = Double.MAX_VALUE;
        for (int r = 0; r < REPEATS + 1; r++) {
            long c0 = OS.getProcessCpuTime();
            long t0 = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                try (MemoryWorkspace ws = workspace ? BatchWorkspace.open(id)
                        : Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                    call.run();
                }
            }
            long t1 = System.nanoTime();
            long c1 = OS.getProcessCpuTime();
            if (r > 0) {
                wall = Math.min(wall, (t1 - t0) / 1e3 / calls);
                cpu = Math.min(cpu, (c1 - c0) / 1e3 / calls);
            }
        }
        return new double[] {wall, cpu};
    }

    private static void gru(int rows, boolean workspace) {
        Parameters parameters = new Parameters(DataType.FLOAT, 1);
        GruCell cell = new GruCell(parameters, "gru", 300, 100);
        INDArray x = GradientCheck.random(1, rows, 300).castTo(DataType.FLOAT);
        INDArray h = GradientCheck.random(2, rows, 100).castTo(DataType.FLOAT);
        INDArray up = GradientCheck.random(3, rows, 100).castTo(DataType.FLOAT);
        int calls = rows == 200 ? 1000 : 150;
        double[] forward = perCall(() -> cell.forward(x, h), calls, workspace, "timing");
        double[] both = perCall(() -> cell.backward(cell.forward(x, h), up), calls, workspace, "timing");
        System.out.printf(Locale.ROOT, "GruCell 300->100, %d rows: forward %.0f us/call wall (%.2f us/row), %.0f us CPU;"
                + " forward+backward %.0f us/call wall (%.2f us/row), %.0f us CPU%n", rows, forward[0],
                forward[0] / rows, forward[1], both[0], both[0] / rows, both[1]);
    }

    /**
     * One step shaped like a TGN wikipedia batch (B = 200): GRU memory update on 400 rows (message
     * [s_u || s_v || phi || e] = 100 + 100 + 100 + 172), time encoding on 400 rows, time-projection embedding on
     * 600 rows, decoder on 400 pairs (200 positive, 200 negative), BCE, clipping and Adam.
     */
    private static void trainingStep(boolean workspace) {
        Parameters parameters = new Parameters(DataType.FLOAT, 1);
        GruCell memory = new GruCell(parameters, "memory", 472, 100);
        TimeEncoding time = new TimeEncoding(parameters, "time", 100);
        TimeProjectionEmbedding embedding = new TimeProjectionEmbedding(parameters, "embedding", 100);
        LinkDecoder decoder = new LinkDecoder(parameters, "decoder", 100, 100);
        Adam adam = new Adam(1e-4);
        INDArray dt = GradientCheck.random(4, 400, 1).castTo(DataType.FLOAT);
        INDArray rest = GradientCheck.random(5, 400, 372).castTo(DataType.FLOAT);
        INDArray s = GradientCheck.random(6, 400, 100).castTo(DataType.FLOAT);
        INDArray s600 = GradientCheck.random(7, 600, 100).castTo(DataType.FLOAT);
        INDArray dt600 = GradientCheck.random(8, 600, 1).castTo(DataType.FLOAT);
        double[] best = perCall(() -> {
            parameters.zeroGradients();
            TimeEncoding.Forward phi = time.forward(dt);
            INDArray message = Nd4j.hstack(rest, phi.output());
            GruCell.Forward update = memory.forward(message, s);
            INDArray newMemory = Nd4j.vstack(update.output(), s600.get(
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 200),
                    org.nd4j.linalg.indexing.NDArrayIndex.all()));
            TimeProjectionEmbedding.Forward emb = embedding.forward(newMemory, dt600);
            INDArray z = emb.output();
            INDArray src = z.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 400),
                    org.nd4j.linalg.indexing.NDArrayIndex.all());
            INDArray dst = z.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(200, 600),
                    org.nd4j.linalg.indexing.NDArrayIndex.all());
            LinkDecoder.Forward scores = decoder.forward(src, dst);
            BceWithLogits.Loss loss = BceWithLogits.of(scores.logits(), 1.0);
            LinkDecoder.InputGradients dPair = decoder.backward(scores, loss.gradient());
            INDArray dz = Nd4j.zeros(DataType.FLOAT, 600, 100);
            dz.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 400),
                    org.nd4j.linalg.indexing.NDArrayIndex.all()).addi(dPair.source());
            dz.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(200, 600),
                    org.nd4j.linalg.indexing.NDArrayIndex.all()).addi(dPair.destination());
            TimeProjectionEmbedding.InputGradients dEmb = embedding.backward(emb, dz);
            GruCell.InputGradients dGru = memory.backward(update, dEmb.memory().get(
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 400),
                    org.nd4j.linalg.indexing.NDArrayIndex.all()));
            time.backward(phi, dGru.input().get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(372, 472)));
            GradientClipping.clipGlobalNorm(parameters, 10.0);
            adam.step(parameters);
        }, 150, workspace, "step");
        System.out.printf(Locale.ROOT, "TGN-shaped training step (GRU 472->100 on 400 rows, time enc. 400, embedding 600,"
                + " decoder 400 pairs, clip, Adam; %d parameters): %.2f ms/step wall, %.2f ms CPU; x550 batches = %.1f s"
                + " wall, %.1f s CPU per epoch%n", parameters.length(), best[0] / 1e3, best[1] / 1e3,
                best[0] * 550 / 1e6, best[1] * 550 / 1e6);
    }
}
