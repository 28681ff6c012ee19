package io.tgstream.cluster;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Flink standalone session cluster and a Kafka broker on this machine, each process its own JVM: one Kafka broker
 * (KRaft, broker and controller in one node), one JobManager ({@value #JOBMANAGER_MAIN}) and TaskManagers
 * ({@value #TASKMANAGER_MAIN}), all on the given classpath (the jobs module's runtime classpath: what
 * {@code flink-dist}'s {@code lib/} holds, plus tgstream, so the job's classes load parent-first in every
 * TaskManager). Everything lives under one directory ({@link ClusterLayout}); a later command finds the processes
 * again from it ({@link #open}).
 *
 * <pre>{@code
 *   LocalCluster c = LocalCluster.start(dir, sharedConfig, classpath, 2);
 *   c.bootstrapServers();   // the broker, for the job's configuration
 *   c.kill("taskmanager-1"); c.startTaskManager();
 *   c.stop();
 * }</pre>
 */
public final class LocalCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalCluster.class);
    public static final String JOBMANAGER_MAIN = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    public static final String TASKMANAGER_MAIN = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
    static final String KAFKA_MAIN = "kafka.Kafka";
    static final String KAFKA_STORAGE_TOOL = "kafka.tools.StorageTool";
    public static final String KAFKA = "kafka";
    public static final String JOBMANAGER = "jobmanager";
    public static final String TASKMANAGER_PREFIX = "taskmanager-";
    public static final int DEFAULT_TASK_MANAGERS = 2;
    /** How long a process may take to serve its port (or a TaskManager to register) before start gives up. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    /** How long {@link #stop} waits after SIGTERM before SIGKILL. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(30);
    /** The broker's heap (its page cache does the rest). */
    static final String KAFKA_HEAP = "512m";
    /**
     * JVM options of every Flink process: the module openings that {@code flink-dist}'s shipped configuration gives
     * all processes on Java 17 ({@code env.java.opts.all}), so that Kryo and Pekko reach the JDK classes they need.
     */
    static final List<String> FLINK_JAVA_17_OPTIONS = List.of(
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED",
            "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private final ClusterLayout layout;
    private final String classpath;
    private final Properties state;

    private LocalCluster(ClusterLayout layout, String classpath, Properties state) {
        this.layout = layout;
        this.classpath = classpath;
        this.state = state;
    }

    /**
     * Starts the broker, the JobManager and {@code taskManagers} TaskManagers under {@code dir}, each on a free port,
     * and returns once the broker serves, the REST API answers and every TaskManager has registered.
     *
     * @param sharedConfig the Flink settings shared with the Docker deployment ({@value LocalFlinkConfig#SHARED_CONFIG})
     * @param classpath the classpath of every process (the jobs module's runtime classpath)
     * @throws IllegalStateException if a cluster already runs in {@code dir}, or a process does not come up (the
     *     message holds the end of its log)
     */
    public static LocalCluster start(Path dir, Path sharedConfig, String classpath, int taskManagers) {
        ClusterLayout layout = new ClusterLayout(dir);
        if (Files.exists(layout.stateFile())) {
            LocalCluster existing = open(dir, classpath);
            if (existing.processes().stream().anyMatch(ClusterProcess::alive)) {
                throw new IllegalStateException("a cluster already runs in " + layout.dir()
                        + ": stop it first ('tgstream cluster stop')");
            }
        }
        Properties state = new Properties();
        state.setProperty("kafka.port", Integer.toString(FreePort.pick()));
        state.setProperty("kafka.controller.port", Integer.toString(FreePort.pick()));
        state.setProperty("rest.port", Integer.toString(FreePort.pick()));
        state.setProperty("rpc.port", Integer.toString(FreePort.pick()));
        state.setProperty("prometheus.base", Integer.toString(FreePort.pick()));
        state.setProperty("taskmanagers.started", "0");
        state.setProperty("kafka.cluster.id", Uuid.randomUuid().toString());
        LocalCluster c = new LocalCluster(layout, classpath, state);
        LocalFlinkConfig.of(sharedConfig, layout, c.restPort(), c.number("rpc.port"), c.number("prometheus.base"))
                .write(layout.flinkConfigFile());
        ClusterLogging.write(layout.logConfigFile());
        KafkaBrokerSettings.write(layout.kafkaConfigFile(),
                KafkaBrokerSettings.settings(layout, c.number("kafka.port"), c.number("kafka.controller.port")));
        c.saveState();
        try {
            c.formatKafkaStorage();
            c.startBroker();
            c.startJobManager();
            for (int i = 0; i < taskManagers; i++) {
                c.startTaskManager();
            }
        } catch (RuntimeException e) {
            c.stop();
            throw e;
        }
        return c;
    }

    /** The cluster recorded in {@code dir} by an earlier {@link #start} (its processes may or may not run). */
    public static LocalCluster open(Path dir, String classpath) {
        ClusterLayout layout = new ClusterLayout(dir);
        Properties state = new Properties();
        try (Reader r = Files.newBufferedReader(layout.stateFile())) {
            state.load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException("no local cluster in " + layout.dir() + " (" + layout.stateFile()
                    + " cannot be read): start one with 'tgstream cluster start'", e);
        }
        return new LocalCluster(layout, classpath, state);
    }

    public ClusterLayout layout() {
        return layout;
    }

    /** {@code host:port} of the broker, for the job's {@code bootstrap-servers}. */
    public String bootstrapServers() {
        return LocalFlinkConfig.HOST + ":" + number("kafka.port");
    }

    public int restPort() {
        return number("rest.port");
    }

    public ClusterRest rest() {
        return new ClusterRest(LocalFlinkConfig.HOST, restPort());
    }

    /** The process of a role ({@value #KAFKA}, {@value #JOBMANAGER}, {@code taskmanager-N}). */
    public ClusterProcess process(String role) {
        return new ClusterProcess(layout, role);
    }

    /** Every process this cluster has started, alive or not, in start order. */
    public List<ClusterProcess> processes() {
        List<ClusterProcess> out = new ArrayList<>();
        out.add(process(KAFKA));
        out.add(process(JOBMANAGER));
        int tms = number("taskmanagers.started");
        for (int i = 1; i <= tms; i++) {
            out.add(process(TASKMANAGER_PREFIX + i));
        }
        return out;
    }

    /** Each process: alive or not, pid, port, log. */
    public List<ProcessStatus> status() {
        List<ProcessStatus> out = new ArrayList<>();
        for (ClusterProcess p : processes()) {
            String role = p.role();
            String portName;
            int port;
            if (role.equals(KAFKA)) {
                portName = "kafka";
                port = number("kafka.port");
            } else if (role.equals(JOBMANAGER)) {
                portName = "rest";
                port = restPort();
            } else {
                portName = "metrics";
                port = Integer.parseInt(state.getProperty("prometheus." + role, "-1"));
            }
            out.add(new ProcessStatus(role, p.alive(), p.recordedPid(), portName, port, p.log()));
        }
        return out;
    }

    /** Starts (or restarts, after a kill) the broker on its port and data directory; returns when it serves. */
    public void startBroker() {
        ClusterProcess kafka = process(KAFKA);
        kafka.start(classpath, List.of("-Xmx" + KAFKA_HEAP, "-Xms" + KAFKA_HEAP), KAFKA_MAIN,
                List.of(layout.kafkaConfigFile().toString()));
        int port = number("kafka.port");
        await(kafka, () -> FreePort.listening(port), "the broker to listen on port " + port);
    }

    /** Starts one more TaskManager ({@code taskmanager-N}, N counting every one started) and waits until it registers. */
    public String startTaskManager() {
        int n = number("taskmanagers.started") + 1;
        String role = TASKMANAGER_PREFIX + n;
        int prometheus = FreePort.pick();
        state.setProperty("taskmanagers.started", Integer.toString(n));
        state.setProperty("prometheus." + role, Integer.toString(prometheus));
        saveState();
        Configuration conf = flinkConfiguration();
        FlinkProcessMemory memory = FlinkProcessMemory.taskManager(conf);
        List<String> args = new ArrayList<>(List.of("--configDir", layout.conf().toString()));
        args.addAll(dynamic("taskmanager.resource-id", role));
        args.addAll(dynamic("metrics.reporter.prom.port", Integer.toString(prometheus)));
        args.addAll(dynamic("io.tmp.dirs", layout.scratch(role).toString()));
        args.addAll(memory.dynamicProperties());
        ClusterProcess tm = process(role);
        tm.start(classpath, flinkJvmOptions(memory), TASKMANAGER_MAIN, args);
        ClusterRest rest = rest();
        await(tm, () -> rest.taskManagers().contains(role), role + " to register with the JobManager");
        return role;
    }

    /** SIGKILL to one process ({@code kill -9}). */
    public void kill(String role) {
        process(role).kill();
    }

    /** Stops every process: TaskManagers first, then the JobManager, then the broker (SIGTERM, then SIGKILL). */
    public void stop() {
        List<ClusterProcess> all = processes();
        java.util.Collections.reverse(all);
        for (ClusterProcess p : all) {
            p.stop(STOP_GRACE);
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void formatKafkaStorage() {
        ClusterProcess format = process("kafka-format");
        int code = format.runToEnd(classpath, List.of(), KAFKA_STORAGE_TOOL,
                List.of("format", "--config", layout.kafkaConfigFile().toString(),
                        "--cluster-id", state.getProperty("kafka.cluster.id"), "--ignore-formatted"),
                START_TIMEOUT);
        if (code != 0) {
            throw new IllegalStateException("formatting the broker's storage failed (exit " + code + "):\n"
                    + format.tail(30));
        }
    }

    private void startJobManager() {
        Configuration conf = flinkConfiguration();
        FlinkProcessMemory memory = FlinkProcessMemory.jobManager(conf);
        int prometheus = FreePort.pick();
        state.setProperty("prometheus." + JOBMANAGER, Integer.toString(prometheus));
        saveState();
        List<String> args = new ArrayList<>(List.of("--configDir", layout.conf().toString()));
        args.addAll(dynamic("metrics.reporter.prom.port", Integer.toString(prometheus)));
        args.addAll(dynamic("io.tmp.dirs", layout.scratch(JOBMANAGER).toString()));
        args.addAll(memory.dynamicProperties());
        ClusterProcess jm = process(JOBMANAGER);
        jm.start(classpath, flinkJvmOptions(memory), JOBMANAGER_MAIN, args);
        ClusterRest rest = rest();
        await(jm, rest::reachable, "the JobManager's REST API on port " + restPort());
    }

    private List<String> flinkJvmOptions(FlinkProcessMemory memory) {
        List<String> opts = new ArrayList<>(memory.jvmOptions());
        opts.addAll(FLINK_JAVA_17_OPTIONS);
        // ND4J's native libraries: extracted once into the project's cache, shared by every process
        String javacpp = System.getProperty("org.bytedeco.javacpp.cachedir");
        if (javacpp != null) {
            opts.add("-Dorg.bytedeco.javacpp.cachedir=" + javacpp);
        }
        return opts;
    }

    private static List<String> dynamic(String key, String value) {
        return List.of("-D", key + "=" + value);
    }

    private Configuration flinkConfiguration() {
        return GlobalConfiguration.loadConfiguration(layout.conf().toString());
    }

    private static void await(ClusterProcess p, BooleanSupplier ready, String what) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!ready.getAsBoolean()) {
            if (!p.alive()) {
                throw new IllegalStateException(p.role() + " exited while waiting for " + what + ":\n" + p.tail(40));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + START_TIMEOUT + " waiting for " + what + ":\n"
                        + p.tail(40));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
        LOG.info("{}: ready ({})", p.role(), what);
    }

    private int number(String key) {
        String v = state.getProperty(key);
        if (v == null) {
            throw new IllegalStateException(layout.stateFile() + " has no " + key + ": start the cluster again");
        }
        return Integer.parseInt(v);
    }

    private void saveState() {
        try {
            Files.createDirectories(layout.dir());
            try (Writer w = Files.newBufferedWriter(layout.stateFile())) {
                state.store(w, "tgstream local cluster: ports and processes (written by 'tgstream cluster start')");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + layout.stateFile(), e);
        }
    }
}
