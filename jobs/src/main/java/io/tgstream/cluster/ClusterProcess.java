package io.tgstream.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JVM of a local cluster, known by its role (e.g. {@code taskmanager-1}) and the pid in its pid file: started with
 * {@link ProcessBuilder} (same {@code java}, given classpath, output to its log file), found again by a later command
 * from the pid file, and stopped by pid (SIGTERM, then SIGKILL) or killed outright (SIGKILL).
 *
 * <p>Every process carries {@code -D}{@value #MARKER}{@code =<cluster dir>/<role>} on its command line, so that a pid
 * reused by an unrelated process after a crash is never taken for (or stopped as) one of the cluster's.
 */
public final class ClusterProcess {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterProcess.class);
    /** The system property that marks a process as this cluster's. */
    static final String MARKER = "tgstream.cluster.process";

    private final ClusterLayout layout;
    private final String role;

    ClusterProcess(ClusterLayout layout, String role) {
        this.layout = layout;
        this.role = role;
    }

    public String role() {
        return role;
    }

    public Path log() {
        return layout.log(role);
    }

    /**
     * Starts {@code mainClass} in a new JVM and records its pid; fails if this role is already running.
     *
     * @param jvmOptions options before the main class (memory, system properties)
     * @param args the main class's arguments
     */
    void start(String classpath, List<String> jvmOptions, String mainClass, List<String> args) {
        if (handle().isPresent()) {
            throw new IllegalStateException(role + " is already running (pid " + handle().get().pid() + ")");
        }
        List<String> options = new ArrayList<>();
        options.add("-D" + MARKER + "=" + marker());
        options.addAll(jvmOptions);
        options.add("-Djava.io.tmpdir=" + layout.scratch(role));
        List<String> cmd = command(classpath, options, mainClass, args);
        try {
            Files.createDirectories(layout.logs());
            Files.createDirectories(layout.scratch(role));
            Files.createDirectories(layout.pidFile(role).getParent());
            Path out = layout.logs().resolve(role + ".out");
            Process p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            Files.writeString(layout.pidFile(role), Long.toString(p.pid()));
            LOG.info("Started {} (pid {}): {}", role, p.pid(), mainClass);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + role + ": " + e.getMessage(), e);
        }
    }

    /** Runs {@code mainClass} in a new JVM to its end (e.g. a tool); returns its exit code. */
    int runToEnd(String classpath, List<String> jvmOptions, String mainClass, List<String> args, Duration timeout) {
        List<String> cmd = command(classpath, jvmOptions, mainClass, args);
        try {
            Files.createDirectories(layout.logs());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(layout.logs().resolve(role + ".out").toFile()))
                    .start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(role + " did not finish within " + timeout);
            }
            return p.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + role + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + role, e);
        }
    }

    /** {@code java <options> -Dlog.file=<its log> <log config> -cp <classpath> <main> <args>}. */
    private List<String> command(String classpath, List<String> jvmOptions, String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExecutable());
        cmd.addAll(jvmOptions);
        cmd.add("-Dlog.file=" + log());
        cmd.add("-Dlog4j2.configurationFile=" + layout.logConfigFile().toUri());
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    /** The live process of this role, if its pid file names one that carries this role's marker. */
    public Optional<ProcessHandle> handle() {
        Path pidFile = layout.pidFile(role);
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).strip());
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        String marker = "-D" + MARKER + "=" + marker();
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(h -> h.info().commandLine().map(c -> c.contains(marker)).orElse(false)
                        || h.info().arguments().map(a -> List.of(a).contains(marker)).orElse(false));
    }

    /** The pid in the pid file (alive or not), or -1. */
    public long recordedPid() {
        try {
            return Long.parseLong(Files.readString(layout.pidFile(role)).strip());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    public boolean alive() {
        return handle().isPresent();
    }

    /** SIGKILL, as {@code kill -9}: the process gets no chance to clean up. Waits until it is gone. */
    public void kill() {
        handle().ifPresent(h -> {
            h.destroyForcibly();
            awaitExit(h, Duration.ofSeconds(30));
            LOG.info("Killed {} (pid {}) with SIGKILL", role, h.pid());
        });
    }

    /** SIGTERM, then SIGKILL if the process has not exited within {@code grace}. */
    public void stop(Duration grace) {
        handle().ifPresent(h -> {
            h.destroy();
            if (!awaitExit(h, grace)) {
                LOG.warn("{} (pid {}) did not exit within {} of SIGTERM: SIGKILL", role, h.pid(), grace);
                h.destroyForcibly();
                awaitExit(h, Duration.ofSeconds(30));
            }
        });
    }

    private static boolean awaitExit(ProcessHandle h, Duration timeout) {
        try {
            h.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return !h.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !h.isAlive();
        }
    }

    /** The last lines of this process's log and console output, to say why it failed. */
    String tail(int lines) {
        StringBuilder b = new StringBuilder();
        for (Path p : List.of(layout.logs().resolve(role + ".out"), log())) {
            try {
                List<String> all = Files.readAllLines(p);
                b.append("--- ").append(p).append('\n');
                all.subList(Math.max(0, all.size() - lines), all.size()).forEach(l -> b.append(l).append('\n'));
            } catch (IOException | java.io.UncheckedIOException e) {
                // no such file yet: nothing to show
            }
        }
        return b.toString();
    }

    private String marker() {
        return layout.dir().resolve(role).toString();
    }

    private static String javaExecutable() {
        // the java of this JVM: the cluster runs on the JDK the command line runs on
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
