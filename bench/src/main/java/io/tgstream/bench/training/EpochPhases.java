package io.tgstream.bench.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a training epoch's time goes, from a JFR recording's method samples of the training thread: each sample is
 * walked from the root of its stack towards the leaf and descends the phase tree below whenever a frame names a
 * child of the phase it is in, so a phase counts every sample under it (inclusive), and what its children do not
 * claim is its own rest. Only samples under {@code MemoryTrainer.trainEpoch} count, so validation stays out. Java
 * samples ({@code jdk.ExecutionSample}) and native ones ({@code jdk.NativeMethodSample}, where ND4J and OpenBLAS
 * run) are weighted by their sampling periods, since the two are taken at different rates.
 */
final class EpochPhases {
    static final String EXECUTION = "jdk.ExecutionSample";
    static final String NATIVE = "jdk.NativeMethodSample";
    static final int EXECUTION_PERIOD_MS = 10;
    static final int NATIVE_PERIOD_MS = 20;

    /** One phase: its label, the methods ("SimpleClass.method") that enter it, its sub-phases. */
    record Phase(String label, Set<String> methods, List<Phase> children) {
        static Phase of(String label, Set<String> methods, Phase... children) {
            return new Phase(label, methods, List.of(children));
        }
    }

    /** The phases of {@code TrainingStep} and {@code MemoryTrainer}, for the memory-only and the full model alike. */
    static final Phase EPOCH = Phase.of("training epoch", Set.of("MemoryTrainer.trainEpoch"),
            Phase.of("forward and backward", Set.of("TrainingStep.forwardBackward"),
                    Phase.of("memory path forward (GRU update of the batch's nodes, embeddings)",
                            Set.of("TrainingStep.memoryPass")),
                    Phase.of("joint neighbourhoods (dictionary reads, key merge)",
                            Set.of("JointNeighbourhood.ofPairs")),
                    Phase.of("value refresh forward", Set.of("ValueRefresh.forward")),
                    Phase.of("pair scorer forward", Set.of("PairScorer.forward"),
                            Phase.of("entries (values, codes, time encoding)", Set.of("PairScorer.entries"),
                                    Phase.of("time encoding of the entries' ages", Set.of("HostTimeEncoding.encode"))),
                            Phase.of("attention", Set.of("RaggedAttention.forward")),
                            Phase.of("MLP", Set.of("Linear.forward"))),
                    Phase.of("pair scorer backward", Set.of("PairScorer.backward"),
                            Phase.of("attention", Set.of("RaggedAttention.backward")),
                            Phase.of("entries (values, time encoding)", Set.of("PairScorer.entriesBackward")),
                            Phase.of("MLP", Set.of("Linear.backward"))),
                    Phase.of("value refresh backward", Set.of("ValueRefresh.backward")),
                    Phase.of("link decoder (memory-only model)",
                            Set.of("LinkDecoder.forward", "LinkDecoder.backward")),
                    Phase.of("memory path backward",
                            Set.of("MemoryModel.backwardUpdate", "MemoryModel.backwardEmbed"))),
            Phase.of("gradient clipping", Set.of("GradientClipping.clipGlobalNorm")),
            Phase.of("Adam", Set.of("Adam.step")),
            Phase.of("commit (memory and dictionary writes)", Set.of("TrainingStep.commit"),
                    Phase.of("dictionary insertions", Set.of("TrainingStep.commitDictionaries"))),
            Phase.of("zero gradients", Set.of("Parameters.zeroGradients")));

    private EpochPhases() {
    }

    /** One row of the breakdown: depth in the tree, label, share of the epoch's samples, sample weight. */
    record Row(int depth, String label, double share, long weight) {
    }

    /**
     * The breakdown of the samples of one thread in a recording: the tree's phases in order with their inclusive
     * shares of the root's weight, each parent followed by its children and a "(rest)" row when they do not
     * cover it.
     */
    static List<Row> analyse(Path recording, long javaThreadId) throws IOException {
        // by identity: two phases may look alike ("attention" forward and backward differ only in their methods)
        Map<Phase, Long> weights = new IdentityHashMap<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
            String type = e.getEventType().getName();
            int weight = type.equals(EXECUTION) ? EXECUTION_PERIOD_MS : type.equals(NATIVE) ? NATIVE_PERIOD_MS : 0;
            if (weight == 0) {
                continue;
            }
            RecordedThread thread = e.getThread("sampledThread");
            RecordedStackTrace stack = e.getStackTrace();
            if (thread == null || thread.getJavaThreadId() != javaThreadId || stack == null) {
                continue;
            }
            attribute(methods(stack.getFrames()), weight, weights);
        }
        return breakdown(weights);
    }

    /** The rows of {@link #analyse} from the phases' weights. */
    static List<Row> breakdown(Map<Phase, Long> weights) {
        long total = weights.getOrDefault(EPOCH, 0L);
        List<Row> rows = new ArrayList<>();
        rows(EPOCH, 0, total, weights, rows);
        return rows;
    }

    /** The stack's Java frames as "SimpleClass.method", leaf first. */
    private static List<String> methods(List<RecordedFrame> frames) {
        List<String> methods = new ArrayList<>(frames.size());
        for (RecordedFrame f : frames) {
            if (f.isJavaFrame()) {
                String type = f.getMethod().getType().getName();
                methods.add(type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName());
            }
        }
        return methods;
    }

    /**
     * Walks a stack's method names ("SimpleClass.method", leaf first as JFR gives them) from the root and adds the
     * weight to every phase the sample enters.
     */
    static void attribute(List<String> leafFirst, long weight, Map<Phase, Long> weights) {
        Phase current = null;
        for (int i = leafFirst.size() - 1; i >= 0; i--) {
            String m = leafFirst.get(i);
            if (current == null) {
                if (EPOCH.methods().contains(m)) {
                    current = EPOCH;
                    weights.merge(EPOCH, weight, Long::sum);
                }
                continue;
            }
            for (Phase child : current.children()) {
                if (child.methods().contains(m)) {
                    current = child;
                    weights.merge(child, weight, Long::sum);
                    break;
                }
            }
        }
    }

    private static void rows(Phase p, int depth, long total, Map<Phase, Long> weights, List<Row> out) {
        long w = weights.getOrDefault(p, 0L);
        out.add(new Row(depth, p.label(), total == 0 ? 0 : (double) w / total, w));
        if (p.children().isEmpty() || w == 0) {
            return;
        }
        long covered = 0;
        for (Phase c : p.children()) {
            long cw = weights.getOrDefault(c, 0L);
            if (cw > 0) {
                rows(c, depth + 1, total, weights, out);
                covered += cw;
            }
        }
        if (w > covered) {
            out.add(new Row(depth + 1, "(rest)", (double) (w - covered) / total, w - covered));
        }
    }
}
