package io.tgstream.bench.e2e;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU seconds per thread during a run, grouped by thread name (Flink's "#attempt" suffix removed): a background
 * thread reads every live thread's CPU time each {@value #PERIOD_MS} ms, so threads that end before the run does
 * (Flink tasks of a finished job) are counted up to their last reading. Threads alive at the start count from there.
 */
final class ThreadCpuSampler implements AutoCloseable {
    static final long PERIOD_MS = 250;
    private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    private final Map<Long, Long> baseline = new HashMap<>();
    private final Map<Long, Long> last = new HashMap<>();
    private final Map<Long, String> names = new HashMap<>();
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
    }

    @Override
    public void close() throws InterruptedException {
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
        last.forEach((id, c) -> sum.merge(names.get(id), (c - baseline.getOrDefault(id, 0L)) / 1e9, Double::sum));
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
