package io.tgstream.cluster;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;

/**
 * The JVM options and resolved memory settings of a JobManager or TaskManager process, computed by Flink's own memory
 * model from the configuration: what {@code flink-dist}'s {@code jobmanager.sh} and {@code taskmanager.sh} get from
 * {@code BashJavaUtils} (heap, direct and metaspace limits for the JVM; for a TaskManager also every memory component
 * as {@code -D key=value}, which {@code TaskManagerRunner} requires to be resolved before it starts).
 */
record FlinkProcessMemory(List<String> jvmOptions, List<String> dynamicProperties) {

    static FlinkProcessMemory jobManager(Configuration conf) {
        JobManagerProcessSpec spec = JobManagerProcessUtils.processSpecFromConfig(conf);
        return new FlinkProcessMemory(words(JobManagerProcessUtils.generateJvmParametersStr(spec, conf)),
                words(JobManagerProcessUtils.generateDynamicConfigsStr(spec)));
    }

    static FlinkProcessMemory taskManager(Configuration conf) {
        TaskExecutorProcessSpec spec = TaskExecutorProcessUtils.processSpecFromConfig(conf);
        return new FlinkProcessMemory(words(ProcessMemoryUtils.generateJvmParametersStr(spec)),
                words(TaskExecutorProcessUtils.generateDynamicConfigsStr(spec)));
    }

    private static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        for (String w : s.strip().split("\\s+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }
}
