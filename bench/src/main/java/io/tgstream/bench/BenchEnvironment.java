package io.tgstream.bench;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a result was measured on and under: date, JVM, cores, and the machine's load ({@code uptime}) when it was
 * taken. The machine is shared, so every result file records the load beside its figures.
 */
public final class BenchEnvironment {
    /** System property naming the folder result files go to (set by the bench POM to docs/results). */
    public static final String RESULTS_DIR_PROPERTY = "tgstream.results.dir";
    /** System property naming the scratch folder of a run (broker data, checkpoints, models). */
    public static final String WORK_DIR_PROPERTY = "tgstream.bench.work";

    private BenchEnvironment() {
    }

    /** The output of {@code uptime} (falls back to /proc/loadavg). */
    public static String uptime() {
        try {
            Process p = new ProcessBuilder("uptime").redirectErrorStream(true).start();
            try (InputStream in = p.getInputStream()) {
                String out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
                if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 && !out.isEmpty()) {
                    return out;
                }
            }
        } catch (IOException e) {
            // no uptime binary: use the kernel's figures below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            return "loadavg " + Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "load unknown (" + e.getMessage() + ")";
        }
    }

    /** Date, JVM, cores, heap and the load now, as ordered key/values for a result file. */
    public static Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("date", Instant.now().toString());
        m.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("maxHeapMb", Runtime.getRuntime().maxMemory() >> 20);
        m.put("jvmArgs", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        m.put("uptime", uptime());
        return m;
    }

    /**
     * The command that reruns a benchmark, as a result file records it: the bench profile's exec goal with the main
     * class and the arguments it was given (those with spaces single-quoted).
     */
    public static String command(Class<?> main, List<String> args) {
        StringBuilder a = new StringBuilder();
        for (String arg : args) {
            a.append(a.length() == 0 ? "" : " ").append(arg.contains(" ") ? "'" + arg + "'" : arg);
        }
        return "mvn -Pbench -pl bench exec:exec -Dbench.main=" + main.getName() + " -Dbench.args=\"" + a + "\"";
    }

    /** The results folder: the system property, else docs/results under the working directory. */
    public static Path resultsDir() {
        String p = System.getProperty(RESULTS_DIR_PROPERTY);
        return p != null ? Path.of(p) : Path.of("docs", "results");
    }

    /** The scratch folder: the system property, else target/bench-work under the working directory. */
    public static Path workDir() {
        String p = System.getProperty(WORK_DIR_PROPERTY);
        return p != null ? Path.of(p) : Path.of("target", "bench-work");
    }
}
