package io.tgstream.cluster;

import java.nio.file.Path;

/**
 * Where a local cluster keeps its files, all under one directory: the generated Flink configuration, one log and one
 * pid file per process, the broker's data, the checkpoints, and a scratch directory per process.
 */
public record ClusterLayout(Path dir) {
    public ClusterLayout {
        dir = dir.toAbsolutePath().normalize();
    }

    /** The Flink configuration directory every Flink process reads ({@code --configDir}), and the broker's files. */
    public Path conf() {
        return dir.resolve("conf");
    }

    /** Flink's configuration file in {@link #conf()}. */
    public Path flinkConfigFile() {
        return conf().resolve("config.yaml");
    }

    /** The Log4j 2 configuration every process of the cluster logs with. */
    public Path logConfigFile() {
        return conf().resolve("log4j2.properties");
    }

    /** The broker's {@code server.properties}. */
    public Path kafkaConfigFile() {
        return conf().resolve("kafka-server.properties");
    }

    public Path logs() {
        return dir.resolve("logs");
    }

    /** The log file of the process with this role. */
    public Path log(String role) {
        return logs().resolve(role + ".log");
    }

    /** The file holding the pid of the process with this role. */
    public Path pidFile(String role) {
        return dir.resolve("pids").resolve(role + ".pid");
    }

    /** The broker's log directory (its data). */
    public Path kafkaData() {
        return dir.resolve("kafka-data");
    }

    /** Retained checkpoints and savepoints. */
    public Path checkpoints() {
        return dir.resolve("checkpoints");
    }

    public Path savepoints() {
        return dir.resolve("savepoints");
    }

    /** Scratch space of one process: its {@code java.io.tmpdir}, Flink's {@code io.tmp.dirs}, RocksDB's files. */
    public Path scratch(String role) {
        return dir.resolve("tmp").resolve(role);
    }

    /** The ports and roles of the running cluster, so that a later {@code status} or {@code stop} finds them. */
    public Path stateFile() {
        return dir.resolve("cluster.properties");
    }
}
