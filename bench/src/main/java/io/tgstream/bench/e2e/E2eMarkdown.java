package io.tgstream.bench.e2e;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The end-to-end result as Markdown: throughput and ratios, latency, state, and where (c)'s time goes. */
final class E2eMarkdown {
    private E2eMarkdown() {
    }

    @SuppressWarnings("unchecked")
    static String render(Map<String, Object> json) {
        StringBuilder s = new StringBuilder("# End-to-end benchmark\n\n");
        Map<String, Object> env = (Map<String, Object>) json.get("environmentAtStart");
        s.append("Measured ").append(env.get("date")).append(" on ").append(env.get("cores")).append(" cores, ")
                .append(env.get("jvm")).append(". Settings: ").append(json.get("settings")).append(".\n\n");
        s.append("(a) Kafka alone: produce = the input topic written by one producer; copy = one consumer + one "
                + "producer moving every record to another topic. (b) Flink pass-through: source -> both endpoints -> "
                + "keyBy(node) -> RocksDB value of one node record read and written per endpoint -> exactly-once "
                + "Kafka sink. (c) tgstream's job (StreamJob). Steady = output records / (last - first output append "
                + "time); wall = input events / (submit to job end, incl. start-up).\n\n");
        for (Map<String, Object> r : (List<Map<String, Object>>) json.get("runs")) {
            s.append("## ").append(r.get("dataset")).append(String.format(Locale.ROOT, " (%,d events, %,d nodes)%n%n",
                    (Integer) r.get("events"), (Integer) r.get("nodes")));
            Map<String, Object> a = (Map<String, Object>) r.get("a_kafka");
            Map<String, Object> b = (Map<String, Object>) r.get("b_passThrough");
            Map<String, Object> c = (Map<String, Object>) r.get("c_tgstream");
            Map<String, Object> q = (Map<String, Object>) r.get("ratios");
            s.append("| what | events/s steady | events/s wall | output records |\n|---|---:|---:|---:|\n");
            s.append(String.format(Locale.ROOT, "| (a) Kafka produce | %,.0f | | |%n", num(a, "produceEventsPerSecond")));
            s.append(String.format(Locale.ROOT, "| (a) Kafka copy (consume + produce) | %,.0f | | |%n",
                    num(a, "copyEventsPerSecond")));
            row(s, "(b) Flink pass-through, RocksDB, exactly-once", b);
            row(s, "(c) tgstream job", c);
            s.append(String.format(Locale.ROOT, "%nRatios: c/a(copy) = %.3f, c/b = %.3f (steady), %.3f (wall).%n%n",
                    num(q, "c_over_a_copy"), num(q, "c_over_b_steady"), num(q, "c_over_b_wall")));
            s.append(String.format(Locale.ROOT, "State: node record %d bytes serialized (b's RocksDB value); (c)'s "
                            + "largest completed checkpoint %,d bytes = %.0f bytes per node. Feedback queue peak "
                            + "length: %s. Input %.0f bytes per event.%n%n", (Integer) r.get("nodeRecordBytes"),
                    ((Number) c.get("largestCheckpointBytes")).longValue(), num(c, "checkpointBytesPerNode"),
                    c.get("feedbackQueuePeakLength"), num(r, "inputBytesPerEvent")));
            if (r.containsKey("latency")) {
                s.append("Latency of (c), ms (unbounded job, rate-limited producer; committed = visible to a "
                        + "read_committed consumer, appended = score written before its transaction commits; beyond "
                        + "close = from the append of the last event of the event's batch):\n\n");
                s.append("| rate (target / achieved) | events | missing | committed p50 / p99 / p999 | appended "
                        + "p50 / p99 / p999 | beyond close, committed p50 / p99 / p999 | beyond close, appended "
                        + "p50 / p99 / p999 | queue peak |\n|---|---:|---:|---|---|---|---|---:|\n");
                for (Map<String, Object> l : (List<Map<String, Object>>) r.get("latency")) {
                    s.append(String.format(Locale.ROOT, "| %,.0f / %,.0f | %d | %d | %s | %s | %s | %s | %s |%n",
                            num(l, "targetRatePerSecond"), num(l, "achievedInputRatePerSecond"),
                            (Integer) l.get("eventsMeasured"), (Integer) l.get("scoresMissing"),
                            pct(l, "latencyCommittedMs"), pct(l, "latencyAppendedMs"),
                            pct(l, "beyondBatchCloseCommittedMs"), pct(l, "beyondBatchCloseAppendedMs"),
                            l.get("feedbackQueuePeakLength")));
                }
                s.append('\n');
            }
            Map<String, Object> cpu = (Map<String, Object>) c.get("cpu");
            if (b.containsKey("cpu") && cpu.containsKey("processCpuMicrosPerEvent")) {
                Map<String, Object> bc = (Map<String, Object>) b.get("cpu");
                s.append(String.format(Locale.ROOT, "CPU of the whole process (job, broker, harness) per input event: "
                                + "(b) %.0f us, (c) %.0f us; run-queue wait (b) %.1f s, (c) %.1f s.%n%n",
                        num(bc, "processCpuMicrosPerEvent"), num(cpu, "processCpuMicrosPerEvent"),
                        num(bc, "runQueueWaitSeconds"), num(cpu, "runQueueWaitSeconds")));
            }
            s.append(String.format(Locale.ROOT, "Where (c)'s time goes: process CPU %.1f s over %.1f s wall = %.2f "
                            + "cores busy (of %s). CPU seconds by thread (sampled every %d ms):%n%n",
                    num(cpu, "processCpuSeconds"), num(cpu, "wallSeconds"), num(cpu, "coresBusy"), env.get("cores"),
                    ThreadCpuSampler.PERIOD_MS));
            double wall = num(cpu, "wallSeconds");
            s.append("| Java thread | CPU s | % of wall |\n|---|---:|---:|\n");
            ((Map<String, Object>) cpu.get("cpuSecondsByThread")).forEach((k, v) ->
                    s.append(String.format(Locale.ROOT, "| %s | %.1f | %.0f |%n", k, ((Number) v).doubleValue(),
                            100 * ((Number) v).doubleValue() / wall)));
            Map<String, Object> waits = (Map<String, Object>) cpu.get("runQueueWaitSecondsByOsThread");
            s.append(String.format(Locale.ROOT, "%nAll OS threads of the process (from /proc; names cut to 15 "
                    + "characters by the kernel; includes GC, JIT and native threads). Run-queue wait = time runnable "
                    + "but without a core (schedstat): %.1f s in all, the CPU starvation caused by everything else "
                    + "on the machine and by this process's own threads:%n%n| OS thread | CPU s | %% of wall | "
                    + "run-queue wait s |%n|---|---:|---:|---:|%n", num(cpu, "runQueueWaitSeconds")));
            ((Map<String, Object>) cpu.get("cpuSecondsByOsThread")).forEach((k, v) ->
                    s.append(String.format(Locale.ROOT, "| %s | %.1f | %.0f | %s |%n", k, ((Number) v).doubleValue(),
                            100 * ((Number) v).doubleValue() / wall, waits.containsKey(k)
                                    ? String.format(Locale.ROOT, "%.1f", ((Number) waits.get(k)).doubleValue())
                                    : "< 0.5")));
            if (c.containsKey("jfrBreakdown")) {
                Map<String, Object> jfr = (Map<String, Object>) c.get("jfrBreakdown");
                s.append(String.format(Locale.ROOT, "%nJFR over (c): %s GCs, %.2f s of GC pauses; %.1f s of JIT "
                                + "compilation. Method samples by thread (Java + native samples; category of the first "
                                + "non-JDK frame), busiest threads; parked = time in park/wait events of >= 20 ms:%n%n"
                                + "| thread | samples (busy) | parked s | parked in | categories, %% | hottest top frames |%n"
                                + "|---|---:|---:|---|---|---|%n", jfr.get("gcCount"), num(jfr, "gcPauseSeconds"),
                        num(jfr, "jitCompileSeconds")));
                ((Map<String, Object>) jfr.get("threads")).forEach((t, v) -> {
                    Map<String, Object> m = (Map<String, Object>) v;
                    StringBuilder cats = new StringBuilder();
                    ((Map<String, Object>) m.get("percentByCategory")).forEach((k, x) ->
                            cats.append(cats.length() > 0 ? "; " : "").append(k).append(' ').append(x));
                    StringBuilder hot = new StringBuilder();
                    ((Map<String, Object>) m.get("hottestTopFrames")).entrySet().stream().limit(3).forEach(h ->
                            hot.append(hot.length() > 0 ? "; " : "").append(shortName(h.getKey())).append(' ')
                                    .append(h.getValue()));
                    StringBuilder where = new StringBuilder();
                    ((Map<String, Object>) m.get("parkedIn")).forEach((k, x) ->
                            where.append(where.length() > 0 ? "; " : "").append(k).append(' ').append(x));
                    s.append(String.format(Locale.ROOT, "| %s | %s (%s) | %.1f | %s | %s | %s |%n",
                            t.replace("|", "/"), m.get("samples"), m.get("busySamples"),
                            num(m, "parkedOrWaitingSeconds"), where, cats, hot));
                });
                s.append("\nRecording: `").append(c.get("jfrFile")).append("` (open with `jfr print` or JMC).\n");
            }
            s.append("\nLoad (`uptime`): before (a) ").append(r.get("uptimeBeforeA")).append("; before (c) ")
                    .append(r.get("uptimeBeforeC")).append("; at end ").append(r.get("uptimeAtEnd")).append("\n\n");
        }
        s.append("Command: `").append(json.get("command")).append("`\n\n");
        s.append("What bounds (c) and what would change it: [bench-e2e-analysis.md](bench-e2e-analysis.md).\n");
        return s.toString();
    }

    private static void row(StringBuilder s, String name, Map<String, Object> m) {
        s.append(String.format(Locale.ROOT, "| %s | %,.0f | %,.0f | %,d |%n", name, num(m, "eventsPerSecondSteady"),
                num(m, "eventsPerSecondWall"), ((Number) m.get("outputRecords")).longValue()));
    }

    @SuppressWarnings("unchecked")
    private static String pct(Map<String, Object> m, String key) {
        Map<String, Object> p = (Map<String, Object>) m.get(key);
        return p.get("p50") + " / " + p.get("p99") + " / " + p.get("p999");
    }

    private static double num(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }

    private static String shortName(String method) {
        int dot = method.lastIndexOf('.', method.lastIndexOf('.') - 1);
        return method.substring(dot + 1);
    }
}
