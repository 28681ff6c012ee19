package io.tgstream.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.tgstream.connectors.ExactlyOnceKafkaSink;
import io.tgstream.jobs.JobConfig;
import io.tgstream.operators.sequence.BatchMode;
import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.metrics.prometheus.PrometheusReporterFactory;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The deployment in {@code docker/} is consistent without a Docker engine: the compose file parses (with YAML merge
 * keys resolved, as Compose does), its services and pinned images match the project's versions, the topics it creates
 * are the job's, the job is submitted from the deploy jar with {@code docker/job.yaml}, that file loads with
 * {@link JobConfig#load} and uses only known keys, and every Flink setting is a key Flink 2.2 knows.
 */
class DockerComposeTest {
    private static final Set<String> SERVICES =
            Set.of("kafka", "create-topics", "jobmanager", "taskmanager", "submit-job");
    /** The Prometheus reporter's own setting (a package-private constant of its factory, hence repeated here). */
    private static final String PROMETHEUS_PORT_KEY = "port";

    private static Path docker;
    private static Map<String, Object> compose;
    private static Map<String, String> pomProperties;

    @BeforeAll
    static void load() throws IOException {
        Path root = repositoryRoot();
        docker = root.resolve("docker");
        Path file = docker.resolve("compose.yaml");
        assertThat(file).as("the compose file").isRegularFile();
        try (Reader r = Files.newBufferedReader(file)) {
            Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
            assertThat(doc).as("docker/compose.yaml must be a YAML mapping").isInstanceOf(Map.class);
            compose = map(doc, "docker/compose.yaml");
        }
        pomProperties = pomProperties(Files.readString(root.resolve("pom.xml")));
    }

    @Test
    void hasTheServicesOfADeployment() {
        Map<String, Object> services = map(compose.get("services"), "services");
        assertThat(services.keySet()).as("services in docker/compose.yaml").containsAll(SERVICES);
        assertThat(command(service("jobmanager"))).as("jobmanager's command").containsExactly("jobmanager");
        assertThat(command(service("taskmanager"))).as("taskmanager's command").containsExactly("taskmanager");
    }

    @Test
    void imagesArePinnedToTheProjectsVersions() {
        String flink = pomProperties.get("flink.version");
        String kafka = pomProperties.get("kafka.version");
        assertThat(flink).as("flink.version in the parent pom").isNotNull();
        assertThat(kafka).as("kafka.version in the parent pom").isNotNull();
        for (Map.Entry<String, Object> e : map(compose.get("services"), "services").entrySet()) {
            Object image = map(e.getValue(), e.getKey()).get("image");
            assertThat(image).as("service '%s' has no image", e.getKey()).isInstanceOf(String.class);
            String ref = (String) image;
            int colon = ref.lastIndexOf(':');
            assertThat(colon).as("image of '%s' (%s) has no tag: pin it", e.getKey(), ref).isPositive();
            String name = ref.substring(0, colon);
            String tag = ref.substring(colon + 1);
            assertThat(tag).as("image of '%s' (%s) must be pinned, not latest or a variable", e.getKey(), ref)
                    .isNotEqualTo("latest").doesNotContain("$");
            switch (name) {
                case "flink" -> assertThat(tag).as("Flink image of '%s' must be Flink %s for Java 17", e.getKey(),
                        flink).startsWith(flink + "-").endsWith("-java17");
                case "apache/kafka" -> assertThat(tag).as("Kafka image of '%s' must be Kafka %s", e.getKey(), kafka)
                        .isEqualTo(kafka);
                default -> fail("service '%s' uses image %s: expected flink or apache/kafka", e.getKey(), ref);
            }
        }
    }

    @Test
    void kafkaRunsInKraftModeAndAllowsTheSinksTransactions() {
        Map<String, Object> env = environment(service("kafka"));
        assertThat(String.valueOf(env.get("KAFKA_PROCESS_ROLES")).split(","))
                .as("KAFKA_PROCESS_ROLES: one KRaft node is broker and controller").contains("broker", "controller");
        assertThat(env).as("KRaft needs a cluster id and the controller quorum")
                .containsKeys("CLUSTER_ID", "KAFKA_CONTROLLER_QUORUM_VOTERS", "KAFKA_CONTROLLER_LISTENER_NAMES");
        assertThat(env.keySet()).as("no ZooKeeper in Kafka 4").noneMatch(k -> k.contains("ZOOKEEPER"));
        Object maxTimeout = env.get("KAFKA_TRANSACTION_MAX_TIMEOUT_MS");
        assertThat(maxTimeout).as("KAFKA_TRANSACTION_MAX_TIMEOUT_MS must be set (STACK.md trap 1)").isNotNull();
        assertThat(Long.parseLong(String.valueOf(maxTimeout)))
                .as("the broker's transaction.max.timeout.ms must allow the sinks' transaction.timeout.ms")
                .isGreaterThanOrEqualTo(ExactlyOnceKafkaSink.TRANSACTION_TIMEOUT_MS);
        assertThat(String.valueOf(env.get("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR")))
                .as("one broker: the transaction log needs replication factor 1").isEqualTo("1");
    }

    @Test
    void jobYamlLoadsAndUsesOnlyKnownKeys() throws IOException {
        Path jobYaml = docker.resolve("job.yaml");
        Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(jobYaml));
        Set<String> unknown = new TreeSet<>(map(doc, "docker/job.yaml").keySet());
        unknown.removeAll(JobConfig.keys());
        assertThat(unknown).as("keys in docker/job.yaml that JobConfig does not know (known: %s)",
                new TreeSet<>(JobConfig.keys())).isEmpty();
        JobConfig c = JobConfig.load(jobYaml);
        assertThat(c.bounded()).as("a deployment reads its input topic forever").isFalse();
        assertThat(c.embeddingsTopic()).as("embeddings-topic").isNotNull();
        assertThat(c.deadLetterTopic()).as("dead-letter-topic").isNotNull();
    }

    @Test
    void jobYamlPointsAtTheComposeServicesAndMounts() {
        JobConfig c = JobConfig.load(docker.resolve("job.yaml"));
        Map<String, Object> kafkaEnv = environment(service("kafka"));
        assertThat(listenerHosts(String.valueOf(kafkaEnv.get("KAFKA_ADVERTISED_LISTENERS"))))
                .as("bootstrap-servers of docker/job.yaml must be an advertised listener of the kafka service")
                .contains(c.bootstrapServers());
        for (String service : List.of("jobmanager", "taskmanager", "submit-job")) {
            assertThat(isUnderMount(service(service), c.model()))
                    .as("model %s must be inside a volume of '%s' (every Flink process reads it)", c.model(), service)
                    .isTrue();
        }
        for (String service : List.of("jobmanager", "taskmanager")) {
            assertThat(isUnderMount(service(service), c.checkpointDir().replaceFirst("^file://", "")))
                    .as("checkpoint-dir %s must be inside a volume of '%s'", c.checkpointDir(), service).isTrue();
        }
        Configuration flink = flinkConfiguration();
        int slots = flink.get(TaskManagerOptions.NUM_TASK_SLOTS);
        assertThat(c.parallelism()).as("parallelism of docker/job.yaml must fit the TaskManager's %d slots", slots)
                .isLessThanOrEqualTo(slots);
    }

    @Test
    void topicsCreatedAreTheJobsTopics() {
        JobConfig c = JobConfig.load(docker.resolve("job.yaml"));
        String script = String.join("\n", command(service("create-topics")));
        Map<String, Integer> created = new LinkedHashMap<>();
        Matcher m = Pattern.compile("--topic\\s+(\\S+)\\s+--partitions\\s+(\\d+)").matcher(script);
        while (m.find()) {
            created.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        assertThat(created.keySet()).as("topics created by the create-topics service")
                .contains(c.inputTopic(), c.scoresTopic(), c.embeddingsTopic(), c.deadLetterTopic());
        if (c.batchMode() == BatchMode.COUNT) {
            assertThat(created.get(c.inputTopic())).as("count batches need the input topic in one partition")
                    .isEqualTo(1);
        }
        assertThat(script).as("the embeddings topic is keyed by node id and compacted")
                .containsPattern("--topic\\s+" + Pattern.quote(c.embeddingsTopic()) + "\\s[^\\n]*cleanup.policy=compact");
        assertThat(dependsOn(service("create-topics")))
                .as("create-topics must wait for a healthy broker").containsEntry("kafka", "service_healthy");
    }

    @Test
    void theJobIsSubmittedFromTheDeployJarWithJobYaml() {
        Map<String, Object> submit = service("submit-job");
        String script = String.join(" ", command(submit));
        Matcher run = Pattern.compile("flink run .*--class (\\S+) (\\S+\\.jar)\\s+run --config (\\S+)")
                .matcher(script.replaceAll("\\\\\\s+", " ").replaceAll("\\s+", " "));
        assertThat(run.find()).as("submit-job must run 'flink run ... --class <main> <jar> run --config <job.yaml>',"
                + " got: %s", script).isTrue();
        assertThat(run.group(1)).as("the job's main class").isEqualTo("io.tgstream.cli.TgstreamCommand");
        String jar = run.group(2);
        String config = run.group(3);
        assertThat(mountSource(submit, config)).as("the --config path %s must be docker/job.yaml, mounted", config)
                .isEqualTo("./job.yaml");
        for (String service : List.of("jobmanager", "taskmanager", "submit-job")) {
            assertThat(isUnderMount(service(service), jar))
                    .as("the deploy jar %s must be mounted into '%s'", jar, service).isTrue();
        }
        assertThat(dependsOn(submit)).as("submit-job waits for the topics and a healthy JobManager")
                .containsEntry("create-topics", "service_completed_successfully")
                .containsEntry("jobmanager", "service_healthy");
    }

    @Test
    void flinkSettingsAreKeysFlinkKnowsInTheFormTheImageMerges() throws IOException {
        Path file = docker.resolve("flink/config.yaml");
        Set<String> known = knownFlinkKeys();
        Set<String> reporterKeys = reporterRelativeKeys();
        List<String> problems = new ArrayList<>();
        Pattern line = Pattern.compile("^([A-Za-z0-9._-]+): (\\S(?:.*\\S)?)$");
        for (String raw : Files.readAllLines(file)) {
            String s = raw.strip();
            if (s.isEmpty() || s.startsWith("#")) {
                continue;
            }
            Matcher m = line.matcher(s);
            if (!m.matches() || m.group(2).contains(" #")) {
                problems.add("not a flat 'key: value' line without a trailing comment: " + raw);
                continue;
            }
            String key = m.group(1);
            Matcher reporter = Pattern.compile("^metrics\\.reporter\\.[a-z0-9]+\\.(.+)$").matcher(key);
            boolean ok = reporter.matches() ? reporterKeys.contains(reporter.group(1)) : known.contains(key);
            if (!ok) {
                problems.add("not a Flink 2.2 configuration key: " + key);
            }
        }
        assertThat(problems).as("docker/flink/config.yaml").isEmpty();

        Configuration conf = flinkConfiguration();
        assertThat(conf.get(StateBackendOptions.STATE_BACKEND)).as("state.backend.type").isEqualTo("rocksdb");
        assertThat(conf.get(CheckpointingOptions.ENABLE_UNALIGNED)).as("unaligned checkpoints (the loop forbids them)")
                .isFalse();
        assertThat(conf.getOptional(RestartStrategyOptions.RESTART_STRATEGY)).as("restart-strategy.type").isPresent();
        assertThat(conf.get(CoreOptions.CLASSLOADER_RESOLVE_ORDER)).as("classloader.resolve-order (jar in lib/)")
                .isEqualTo("parent-first");
        String reporters = conf.get(MetricOptions.REPORTERS_LIST);
        assertThat(reporters).as("metrics.reporters").isNotBlank();
        assertThat(conf.toMap().get("metrics.reporter." + reporters.strip() + ".factory.class"))
                .as("the Prometheus reporter's factory").isEqualTo(PrometheusReporterFactory.class.getName());
        JobConfig c = JobConfig.load(docker.resolve("job.yaml"));
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
                .as("the cluster's checkpoint directory and job.yaml's checkpoint-dir").isEqualTo(c.checkpointDir());
        for (String service : List.of("jobmanager", "taskmanager", "submit-job")) {
            assertThat(mountSource(service(service), "/opt/tgstream/flink-config.yaml"))
                    .as("'%s' must mount flink/config.yaml where the entrypoint reads it", service)
                    .isEqualTo("./flink/config.yaml");
        }
        assertThat(docker.resolve("flink/flink-entrypoint.sh")).as("the entrypoint wrapper").isRegularFile();
    }

    // ---- helpers: reading the compose model --------------------------------------------------------------------

    private static Map<String, Object> service(String name) {
        Object s = map(compose.get("services"), "services").get(name);
        assertThat(s).as("service '%s' in docker/compose.yaml", name).isNotNull();
        return map(s, "service " + name);
    }

    private static List<String> command(Map<String, Object> service) {
        Object c = service.get("command");
        if (c instanceof String s) {
            return List.of(s);
        }
        assertThat(c).as("command").isInstanceOf(List.class);
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) c) {
            out.add(String.valueOf(o));
        }
        return out;
    }

    private static Map<String, Object> environment(Map<String, Object> service) {
        Object env = service.get("environment");
        assertThat(env).as("environment as a mapping").isInstanceOf(Map.class);
        return map(env, "environment");
    }

    /** depends_on as service -> condition. */
    private static Map<String, String> dependsOn(Map<String, Object> service) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : map(service.get("depends_on"), "depends_on").entrySet()) {
            out.put(e.getKey(), String.valueOf(map(e.getValue(), e.getKey()).get("condition")));
        }
        return out;
    }

    /** The volumes of a service as container path -> source. */
    private static Map<String, String> mounts(Map<String, Object> service) {
        Map<String, String> out = new LinkedHashMap<>();
        Object v = service.get("volumes");
        if (v == null) {
            return out;
        }
        for (Object o : (List<?>) v) {
            String[] parts = String.valueOf(o).split(":");
            assertThat(parts.length).as("volume %s as source:target[:mode]", o).isBetween(2, 3);
            out.put(parts[1], parts[0]);
        }
        return out;
    }

    private static boolean isUnderMount(Map<String, Object> service, String containerPath) {
        return mounts(service).keySet().stream()
                .anyMatch(target -> containerPath.equals(target) || containerPath.startsWith(target + "/"));
    }

    private static String mountSource(Map<String, Object> service, String containerPath) {
        return mounts(service).get(containerPath);
    }

    private static Set<String> listenerHosts(String listeners) {
        Set<String> out = new HashSet<>();
        for (String l : listeners.split(",")) {
            out.add(l.replaceFirst("^[A-Za-z_]+://", ""));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o, String what) {
        if (!(o instanceof Map)) {
            fail("%s must be a YAML mapping, got %s", what, o);
        }
        return (Map<String, Object>) o;
    }

    // ---- helpers: Flink's configuration --------------------------------------------------------------------------

    private static Configuration flinkConfiguration() {
        return GlobalConfiguration.loadConfiguration(docker.resolve("flink").toString());
    }

    /** Every key (and fallback key) of the Flink option classes a deployment of this job sets. */
    private static Set<String> knownFlinkKeys() {
        Set<String> keys = new HashSet<>();
        for (Class<?> c : List.of(CheckpointingOptions.class, StateBackendOptions.class, RestartStrategyOptions.class,
                CoreOptions.class, TaskManagerOptions.class, JobManagerOptions.class, RestOptions.class,
                MetricOptions.class, RocksDBOptions.class)) {
            for (ConfigOption<?> o : options(c)) {
                keys.add(o.key());
                for (FallbackKey f : o.fallbackKeys()) {
                    keys.add(f.getKey());
                }
            }
        }
        return keys;
    }

    /** Keys valid after {@code metrics.reporter.<name>.}: MetricOptions' reporter options and the reporter's port. */
    private static Set<String> reporterRelativeKeys() {
        Set<String> keys = new HashSet<>();
        keys.add(PROMETHEUS_PORT_KEY);
        for (ConfigOption<?> o : options(MetricOptions.class)) {
            if (!o.key().startsWith("metrics.")) {
                keys.add(o.key());
            }
        }
        return keys;
    }

    private static List<ConfigOption<?>> options(Class<?> holder) {
        List<ConfigOption<?>> out = new ArrayList<>();
        for (Field f : holder.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && ConfigOption.class.isAssignableFrom(f.getType())) {
                try {
                    out.add((ConfigOption<?>) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot read " + f, e);
                }
            }
        }
        return out;
    }

    // ---- helpers: where things are --------------------------------------------------------------------------------

    private static Path repositoryRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !(Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("docker")))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("no directory with pom.xml and docker/ above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    private static Map<String, String> pomProperties(String pom) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("<([a-z0-9.]+\\.version)>([^<]+)</\\1>").matcher(pom);
        while (m.find()) {
            out.putIfAbsent(m.group(1), m.group(2).strip());
        }
        return out;
    }
}
