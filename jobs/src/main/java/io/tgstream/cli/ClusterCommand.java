package io.tgstream.cli;

import io.tgstream.cluster.ClusterSubmission;
import io.tgstream.cluster.LocalCluster;
import io.tgstream.cluster.LocalFlinkConfig;
import io.tgstream.cluster.ProcessStatus;
import io.tgstream.jobs.JobConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tgstream cluster start|stop|status|submit}: a Flink standalone session cluster (one JobManager, TaskManagers)
 * and a Kafka broker on this machine, each a JVM of its own, and the streaming job submitted to it over REST.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "A local Flink cluster (JobManager, TaskManagers) and Kafka broker as separate processes.",
        subcommands = {ClusterCommand.Start.class, ClusterCommand.Stop.class, ClusterCommand.Status.class,
                ClusterCommand.Submit.class})
final class ClusterCommand implements Runnable {
    /** The cluster's directory under the repository's cache when none is given. */
    static final String DEFAULT_DIR = ".cache/cluster";

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: start, stop, status or submit");
    }

    /** The repository root: the launcher's tgstream.home, else the working directory. */
    static Path home() {
        String h = System.getProperty("tgstream.home");
        return Path.of(h != null ? h : "").toAbsolutePath();
    }

    /** The --dir option of every subcommand (a picocli mixin). */
    static final class DirOption {
        @Option(names = "--dir", paramLabel = "DIR",
                description = "The cluster's directory: configuration, logs, pids, Kafka data, checkpoints"
                        + " (default: <repository>/" + DEFAULT_DIR + ").")
        Path dir;

        Path resolve() {
            return dir != null ? dir : home().resolve(DEFAULT_DIR);
        }

        LocalCluster open() {
            try {
                return LocalCluster.open(resolve(), System.getProperty("java.class.path"));
            } catch (IllegalArgumentException e) {
                throw new UserInputException(e.getMessage());
            }
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Start Kafka, a JobManager and TaskManagers, each as its own process; print where they are.")
    static final class Start implements Callable<Integer> {
        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        DirOption dir;

        @Option(names = "--taskmanagers", paramLabel = "N", description = "TaskManagers to start (default: "
                + LocalCluster.DEFAULT_TASK_MANAGERS + ").")
        int taskManagers = LocalCluster.DEFAULT_TASK_MANAGERS;

        @Option(names = "--flink-config", paramLabel = "FILE", description = "The Flink settings shared with the"
                + " Docker deployment (default: <repository>/" + LocalFlinkConfig.SHARED_CONFIG + ").")
        Path flinkConfig;

        @Override
        public Integer call() {
            if (taskManagers < 1) {
                throw new UserInputException("--taskmanagers must be at least 1, got " + taskManagers);
            }
            Path shared = flinkConfig != null ? flinkConfig : home().resolve(LocalFlinkConfig.SHARED_CONFIG);
            if (!Files.isRegularFile(shared)) {
                throw new UserInputException("the shared Flink configuration " + shared + " does not exist: run from"
                        + " the repository or pass --flink-config");
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("tgstream: starting a local cluster in " + dir.resolve() + " ...");
            out.flush();
            LocalCluster c;
            try {
                c = LocalCluster.start(dir.resolve(), shared, System.getProperty("java.class.path"), taskManagers);
            } catch (IllegalStateException e) {
                throw new UserInputException(e.getMessage());
            }
            printStatus(out, c);
            printEndpoints(out, c);
            return 0;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stop every process of the local cluster (SIGTERM, then SIGKILL after a timeout).")
    static final class Stop implements Callable<Integer> {
        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        DirOption dir;

        @Override
        public Integer call() {
            LocalCluster c = dir.open();
            c.stop();
            printStatus(spec.commandLine().getOut(), c);
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Each process of the local cluster: alive or not, pid, port, log file.")
    static final class Status implements Callable<Integer> {
        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        DirOption dir;

        @Override
        public Integer call() {
            LocalCluster c = dir.open();
            PrintWriter out = spec.commandLine().getOut();
            printStatus(out, c);
            printEndpoints(out, c);
            return 0;
        }
    }

    @Command(name = "submit", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Submit the streaming job (a job.yaml) to the local cluster's REST endpoint and return.")
    static final class Submit implements Callable<Integer> {
        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        DirOption dir;

        @Option(names = "--config", paramLabel = "FILE", required = true, description = "The job's YAML configuration;"
                + " its bootstrap-servers should be the cluster's broker (see 'tgstream cluster status').")
        Path config;

        @Option(names = "--create-topics", description = "Create the job's topics on its broker first if missing"
                + " (input 1 partition, outputs one per parallel subtask, embeddings compacted).")
        boolean createTopics;

        @Option(names = "--restore-from", paramLabel = "URI", description = "Resume from this savepoint or retained"
                + " checkpoint.")
        String restoreFrom;

        @Override
        public Integer call() throws Exception {
            JobConfig c;
            try {
                c = JobConfig.load(config);
            } catch (IllegalArgumentException e) {
                throw new UserInputException(e.getMessage());
            }
            LocalCluster cluster = dir.open();
            if (!cluster.rest().reachable()) {
                throw new UserInputException("the cluster in " + cluster.layout().dir() + " does not answer on port "
                        + cluster.restPort() + ": start it with 'tgstream cluster start'");
            }
            if (createTopics) {
                createTopics(c);
            }
            JobClient job;
            try {
                job = ClusterSubmission.submit(LocalFlinkConfig.HOST, cluster.restPort(), c, restoreFrom);
            } catch (IllegalArgumentException e) {
                throw new UserInputException(e.getMessage());
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("Job has been submitted with JobID " + job.getJobID());
            out.println("Follow it at http://" + LocalFlinkConfig.HOST + ":" + cluster.restPort() + "/jobs/"
                    + job.getJobID());
            return 0;
        }

        private static void createTopics(JobConfig c) throws Exception {
            List<NewTopic> topics = new ArrayList<>();
            topics.add(new NewTopic(c.inputTopic(), 1, (short) 1));
            topics.add(new NewTopic(c.scoresTopic(), c.parallelism(), (short) 1));
            if (c.embeddingsTopic() != null) {
                topics.add(new NewTopic(c.embeddingsTopic(), c.parallelism(), (short) 1)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
            }
            if (c.deadLetterTopic() != null) {
                topics.add(new NewTopic(c.deadLetterTopic(), 1, (short) 1));
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrapServers()))) {
                Set<String> existing = admin.listTopics().names().get();
                List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t.name())).toList();
                if (!missing.isEmpty()) {
                    admin.createTopics(missing).all().get();
                }
            }
        }
    }

    /** Where clients connect: the broker, and the REST endpoint (marked when it does not answer). */
    private static void printEndpoints(PrintWriter out, LocalCluster c) {
        out.println("Kafka bootstrap servers: " + c.bootstrapServers());
        out.println("Flink REST API: http://" + LocalFlinkConfig.HOST + ":" + c.restPort()
                + (c.rest().reachable() ? "" : " (not answering)"));
    }

    private static void printStatus(PrintWriter out, LocalCluster c) {
        for (ProcessStatus s : c.status()) {
            out.printf("%-15s %-6s pid %-8s %-7s port %-6d log %s%n", s.role(), s.alive() ? "alive" : "down",
                    s.pid() < 0 ? "-" : Long.toString(s.pid()), s.portName(), s.port(), s.log());
        }
        out.flush();
    }
}
