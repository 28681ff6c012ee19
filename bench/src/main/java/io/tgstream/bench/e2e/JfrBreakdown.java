package io.tgstream.bench.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the threads of a run spend their time, from a JFR recording's method samples: Java samples
 * ({@code jdk.ExecutionSample}) and native ones ({@code jdk.NativeMethodSample}: RocksDB, OpenBLAS, and threads
 * waiting in native calls) per thread (subtask and attempt suffixes removed), each sample put in the category of the
 * first non-JDK frame from the top of its stack.
 */
final class JfrBreakdown {
    private static final String EXECUTION = "jdk.ExecutionSample";
    private static final String NATIVE = "jdk.NativeMethodSample";
    /** Package prefix -> category, first match wins. */
    private static final String[][] CATEGORIES = {
            {"org.nd4j", "ND4J / OpenBLAS"}, {"org.bytedeco", "ND4J / OpenBLAS"},
            {"org.rocksdb", "RocksDB"}, {"org.apache.flink.state.rocksdb", "RocksDB"},
            {"io.tgstream.state", "serialization"}, {"org.apache.flink.api.common.typeutils", "serialization"},
            {"org.apache.flink.api.java.typeutils", "serialization"}, {"org.apache.flink.core.memory", "serialization"},
            {"com.esotericsoftware.kryo", "serialization"},
            {"io.tgstream.model", "model (Java)"}, {"io.tgstream.nn", "model (Java)"},
            {"io.tgstream.operators.feedback", "feedback loop"}, {"io.tgstream.operators", "tgstream operators"},
            {"io.tgstream.connectors", "JSON / connectors"}, {"com.fasterxml.jackson", "JSON / connectors"},
            {"org.apache.kafka", "Kafka client"}, {"kafka.", "Kafka broker"},
            {"org.apache.flink.runtime.checkpoint", "Flink checkpointing"},
            {"org.apache.flink", "Flink runtime"}, {"io.tgstream.bench", "benchmark harness"},
    };

    private JfrBreakdown() {
    }

    /**
     * Totals (GC pauses, JIT compilation) and, per thread, busiest first: samples by category, the hottest top frames,
     * and the time parked or waiting (JFR's park/wait events, each of at least the profile's threshold).
     */
    static Map<String, Object> analyse(Path recording, int threads) throws IOException {
        Map<String, Map<String, Integer>> counts = new HashMap<>();
        Map<String, Map<String, Integer>> topFrames = new HashMap<>();
        Map<String, Double> parked = new HashMap<>();
        Map<String, Map<String, Double>> parkedIn = new HashMap<>();
        double gcPause = 0;
        int gcCount = 0;
        double jit = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
            String type = e.getEventType().getName();
            if (type.equals("jdk.GarbageCollection")) {
                gcPause += e.getDuration("sumOfPauses").toNanos() / 1e9;
                gcCount++;
                continue;
            }
            if (type.equals("jdk.Compilation")) {
                jit += e.getDuration().toNanos() / 1e9;
                continue;
            }
            if (type.equals("jdk.ThreadPark") || type.equals("jdk.JavaMonitorWait")) {
                RecordedThread t = e.getThread();
                if (t != null) {
                    String name = threadGroup(t.getJavaName() != null ? t.getJavaName() : t.getOSName());
                    double seconds = e.getDuration().toNanos() / 1e9;
                    parked.merge(name, seconds, Double::sum);
                    if (e.getStackTrace() != null) {
                        parkedIn.computeIfAbsent(name, k -> new HashMap<>())
                                .merge(firstNonJdkFrame(e.getStackTrace().getFrames()), seconds, Double::sum);
                    }
                }
                continue;
            }
            if (!type.equals(EXECUTION) && !type.equals(NATIVE)) continue;
            RecordedThread t = e.getThread("sampledThread");
            if (t == null || e.getStackTrace() == null) continue;
            String name = threadGroup(t.getJavaName() != null ? t.getJavaName() : t.getOSName());
            List<RecordedFrame> frames = e.getStackTrace().getFrames();
            String category = category(frames, type.equals(NATIVE));
            counts.computeIfAbsent(name, k -> new TreeMap<>()).merge(category, 1, Integer::sum);
            if (!frames.isEmpty() && !category.startsWith("waiting")) {
                RecordedFrame f = frames.get(0);
                topFrames.computeIfAbsent(name, k -> new HashMap<>()).merge(
                        f.getMethod().getType().getName() + "." + f.getMethod().getName(), 1, Integer::sum);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("gcCount", gcCount);
        out.put("gcPauseSeconds", gcPause);
        out.put("jitCompileSeconds", jit);
        Map<String, Object> perThread = new LinkedHashMap<>();
        out.put("threads", perThread);
        counts.entrySet().stream()
                .sorted((a, b) -> Integer.compare(busy(b.getValue()), busy(a.getValue())))
                .limit(threads)
                .forEach(en -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    int total = en.getValue().values().stream().mapToInt(Integer::intValue).sum();
                    m.put("samples", total);
                    m.put("busySamples", busy(en.getValue()));
                    Map<String, Double> share = new LinkedHashMap<>();
                    en.getValue().entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                            .forEach(c -> share.put(c.getKey(), Math.round(1000.0 * c.getValue() / total) / 10.0));
                    m.put("percentByCategory", share);
                    Map<String, Integer> hot = new LinkedHashMap<>();
                    topFrames.getOrDefault(en.getKey(), Map.of()).entrySet().stream()
                            .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(8)
                            .forEach(h -> hot.put(h.getKey(), h.getValue()));
                    m.put("hottestTopFrames", hot);
                    m.put("parkedOrWaitingSeconds", parked.getOrDefault(en.getKey(), 0.0));
                    Map<String, Double> where = new LinkedHashMap<>();
                    parkedIn.getOrDefault(en.getKey(), Map.of()).entrySet().stream()
                            .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(3)
                            .forEach(w -> where.put(w.getKey(), Math.round(w.getValue() * 10) / 10.0));
                    m.put("parkedIn", where);
                    perThread.put(en.getKey(), m);
                });
        return out;
    }

    /** The first frame outside java.* and jdk.*: the code that decided to wait. */
    private static String firstNonJdkFrame(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String c = f.getMethod().getType().getName();
            if (!c.startsWith("java.") && !c.startsWith("jdk.") && !c.startsWith("sun.")) {
                return c.substring(c.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
            }
        }
        return "JDK only";
    }

    private static int busy(Map<String, Integer> categories) {
        return categories.entrySet().stream().filter(c -> !c.getKey().startsWith("waiting"))
                .mapToInt(Map.Entry::getValue).sum();
    }

    private static String threadGroup(String name) {
        return name.replaceAll("#\\d+$", "").replaceAll(" \\(\\d+/\\d+\\)$", "").replaceAll("-\\d+$", "-N");
    }

    private static String category(List<RecordedFrame> frames, boolean nativeSample) {
        if (nativeSample && !frames.isEmpty()) {
            String top = frames.get(0).getMethod().getType().getName() + "." + frames.get(0).getMethod().getName();
            boolean compute = frames.stream().anyMatch(f -> {
                String c = f.getMethod().getType().getName();
                return c.startsWith("org.rocksdb") || c.startsWith("org.nd4j") || c.startsWith("org.bytedeco");
            });
            if (!compute) {
                return top.contains("park") || top.contains("wait") || top.contains("sleep") || top.contains("poll")
                        || top.contains("EPoll") || top.contains("accept") || top.contains("read")
                        ? "waiting (native: park/poll/IO)" : "native: other";
            }
        }
        for (RecordedFrame f : frames) {
            String c = f.getMethod().getType().getName();
            for (String[] cat : CATEGORIES) {
                if (c.startsWith(cat[0])) return cat[1] + (nativeSample ? " (native)" : "");
            }
        }
        return "JDK only";
    }
}
