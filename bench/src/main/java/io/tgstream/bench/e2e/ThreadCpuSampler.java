package io.tgstream.bench.e2e;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU seconds per thread during a run. A background thread reads, every {@value #PERIOD_MS} ms, (1) every Java
 * thread's CPU time by its Java name (Flink's "#attempt" suffix removed) and (2) every OS thread of the process from
 * {@code /proc/self/task} by its short OS name (digits folded: "GC Thread#N", "C2 CompilerThreN"), which also covers
 * what Java names do not: GC, JIT compilers, RocksDB's and OpenBLAS's native threads. Threads that end before the run
 * does (tasks of a finished job) count up to their last reading; threads alive at the start count from there.
 */
final class ThreadCpuSampler implements AutoCloseable {
    static final long PERIOD_MS = 250;
    /** USER_HZ of /proc/[pid]/task/[tid]/stat: 100 on Linux. */
    static final double TICKS_PER_SECOND = 100.0;
    private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    private final Map<Long, Long> baseline = new HashMap<>();
    private final Map<Long, Long> last = new HashMap<>();
    private final Map<Long, String> names = new HashMap<>();
    private final Map<Long, Long> osBaseline = new HashMap<>();
    private final Map<Long, Long> osLast = new HashMap<>();
    private final Map<Long, String> osNames = new HashMap<>();
    private final Map<Long, Long> waitBaseline = new HashMap<>();
    private final Map<Long, Long> waitLast = new HashMap<>();
    private final long processCpuStart;
    private final long wallStart = System.nanoTime();
    private final Thread thread;
    private volatile boolean running = true;
    private long processCpuNanos;
    private long wallNanos;

    ThreadCpuSampler() {
        for (long id : mx.getAllThreadIds()) {
            long c = mx.getThreadCpuTime(id);
            if (c >= 0) baseline.put(id, c);
        }
        osTicks(osBaseline, null, waitBaseline);
        processCpuStart = processCpu();
        thread = new Thread(this::loop, "bench-cpu-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private void loop() {
        while (running) {
            sample();
            try {
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void sample() {
        long[] ids = mx.getAllThreadIds();
        ThreadInfo[] infos = mx.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            long c = mx.getThreadCpuTime(ids[i]);
            if (c < 0 || infos[i] == null) continue;
            last.put(ids[i], c);
            names.putIfAbsent(ids[i], infos[i].getThreadName().replaceAll("#\\d+$", ""));
        }
        osTicks(osLast, osNames, waitLast);
    }

    /**
     * utime + stime (clock ticks) of every OS thread of this process, its short name with digits folded, and the time
     * it spent runnable but waiting for a core (ns, second field of /proc/.../schedstat): CPU starvation.
     */
    private static void osTicks(Map<Long, Long> ticks, Map<Long, String> osNames, Map<Long, Long> runQueueWait) {
        java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
        if (tasks == null) return;
        for (java.io.File t : tasks) {
            try {
                String stat = java.nio.file.Files.readString(t.toPath().resolve("stat"));
                int close = stat.lastIndexOf(')');
                String[] f = stat.substring(close + 2).split(" ");
                long tid = Long.parseLong(t.getName());
                ticks.put(tid, Long.parseLong(f[11]) + Long.parseLong(f[12]));
                String[] sched = java.nio.file.Files.readString(t.toPath().resolve("schedstat")).trim().split(" ");
                runQueueWait.put(tid, Long.parseLong(sched[1]));
                if (osNames != null) {
                    osNames.putIfAbsent(tid, stat.substring(stat.indexOf('(') + 1, close).replaceAll("\\d+", "N"));
                }
            } catch (java.io.IOException | RuntimeException e) {
                // the thread ended between listing and reading
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (!running) return;
        running = false;
        thread.interrupt();
        thread.join();
        sample();
        processCpuNanos = processCpu() - processCpuStart;
        wallNanos = System.nanoTime() - wallStart;
    }

    /** CPU seconds per thread name, largest first, threads under {@code minSeconds} folded into "other". */
    synchronized Map<String, Double> byThread(double minSeconds) {
        Map<String, Double> sum = new TreeMap<>();
        last.forEach((id, c) -> sum.merge(names.get(id).replaceAll("-\\d+$", "-N"),
                (c - baseline.getOrDefault(id, 0L)) / 1e9, Double::sum));
        return largestFirst(sum, minSeconds);
    }

    /** CPU seconds per OS thread name (all threads of the process, native ones included), largest first. */
    synchronized Map<String, Double> byOsThread(double minSeconds) {
        Map<String, Double> sum = new TreeMap<>();
        osLast.forEach((id, c) -> sum.merge(osNames.get(id), (c - osBaseline.getOrDefault(id, 0L)) / TICKS_PER_SECOND,
                Double::sum));
        return largestFirst(sum, minSeconds);
    }

    /** Seconds each OS thread name spent runnable but waiting for a core, largest first. */
    synchronized Map<String, Double> runQueueWaitByOsThread(double minSeconds) {
        Map<String, Double> sum = new TreeMap<>();
        waitLast.forEach((id, w) -> sum.merge(osNames.get(id), (w - waitBaseline.getOrDefault(id, 0L)) / 1e9,
                Double::sum));
        return largestFirst(sum, minSeconds);
    }

    /** Seconds all threads of the process spent runnable but waiting for a core. */
    synchronized double runQueueWaitSeconds() {
        double total = 0;
        for (Map.Entry<Long, Long> e : waitLast.entrySet()) {
            total += (e.getValue() - waitBaseline.getOrDefault(e.getKey(), 0L)) / 1e9;
        }
        return total;
    }

    private static Map<String, Double> largestFirst(Map<String, Double> sum, double minSeconds) {
        Map<String, Double> out = new LinkedHashMap<>();
        double other = 0;
        for (Map.Entry<String, Double> e : sum.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).toList()) {
            if (e.getValue() >= minSeconds) out.put(e.getKey(), e.getValue());
            else other += e.getValue();
        }
        out.put("(other threads)", other);
        return out;
    }

    double processCpuSeconds() {
        return processCpuNanos / 1e9;
    }

    double wallSeconds() {
        return wallNanos / 1e9;
    }
}
