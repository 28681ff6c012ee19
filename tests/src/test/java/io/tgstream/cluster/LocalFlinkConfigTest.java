package io.tgstream.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local cluster's Flink configuration is the Docker deployment's ({@value LocalFlinkConfig#SHARED_CONFIG}) with
 * only paths, ports and memory sizes changed: loaded by Flink itself from both directories, every shared key is there
 * with the same value, except the declared machine keys; and Flink's own memory model accepts the local sizes.
 */
class LocalFlinkConfigTest {
    @TempDir
    Path dir;

    private Configuration generate(ClusterLayout layout) {
        LocalFlinkConfig.of(ClusterTestFixture.sharedFlinkConfig(), layout, 18081, 16123, 19249)
                .write(layout.flinkConfigFile());
        return GlobalConfiguration.loadConfiguration(layout.conf().toString());
    }

    @Test
    void localKeysIncludeTheDeployedKeysWithTheSameValues() {
        Configuration docker = GlobalConfiguration.loadConfiguration(
                ClusterTestFixture.sharedFlinkConfig().getParent().toString());
        Configuration local = generate(new ClusterLayout(dir));
        Map<String, String> d = docker.toMap();
        Map<String, String> l = local.toMap();
        assertThat(d).as("the shared file sets the state backend, restarts and the reporter")
                .containsKeys("state.backend.type", "restart-strategy.type", "metrics.reporters",
                        "execution.checkpointing.dir");
        assertThat(l.keySet()).as("keys of the local configuration ⊇ keys of the deployed one")
                .containsAll(d.keySet());
        TreeSet<String> differing = new TreeSet<>();
        for (String key : d.keySet()) {
            if (!d.get(key).equals(l.get(key))) {
                differing.add(key);
            }
        }
        assertThat(differing).as("keys whose local value differs from the deployed one: only machine keys")
                .isSubsetOf(LocalFlinkConfig.MACHINE_KEYS);
        assertThat(differing).as("paths and memory sizes are the machine's").contains("execution.checkpointing.dir",
                "taskmanager.memory.process.size");
        assertThat(l.get("execution.checkpointing.dir")).isEqualTo(dir.resolve("checkpoints").toUri().toString());
        for (String key : LocalFlinkConfig.MACHINE_KEYS) {
            assertThat(key).as("a machine key names a path, a port or a memory size")
                    .matches(".*([.-]dir|\\.port|\\.size)$");
        }
        assertThat(l).containsEntry("rest.port", "18081").containsEntry("jobmanager.rpc.port", "16123");
    }

    @Test
    void flinksMemoryModelAcceptsTheLocalSizes() {
        Configuration local = generate(new ClusterLayout(dir));
        FlinkProcessMemory tm = FlinkProcessMemory.taskManager(local);
        FlinkProcessMemory jm = FlinkProcessMemory.jobManager(local);
        assertThat(tm.jvmOptions()).anyMatch(o -> o.startsWith("-Xmx")).anyMatch(o -> o.startsWith("-XX:MaxDirectMemorySize="));
        assertThat(tm.dynamicProperties()).contains("-D")
                .anyMatch(p -> p.startsWith("taskmanager.memory.task.heap.size="))
                .anyMatch(p -> p.equals("taskmanager.memory.managed.size=" + (256L << 20) + "b"));
        long taskHeap = tm.dynamicProperties().stream().filter(p -> p.startsWith("taskmanager.memory.task.heap.size="))
                .map(p -> Long.parseLong(p.substring(p.indexOf('=') + 1, p.length() - 1))).findFirst().orElseThrow();
        assertThat(taskHeap).as("task heap of a local TaskManager (bytes)").isGreaterThan(256L << 20);
        assertThat(jm.jvmOptions()).anyMatch(o -> o.startsWith("-Xmx"));
    }
}
