package io.tgstream.cluster;

import io.tgstream.jobs.JobConfig;
import io.tgstream.jobs.StreamJob;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Submits the streaming job to a running session cluster through its REST endpoint, as {@code flink run} does: the
 * job graph is built here ({@link StreamJob#build}) and sent by Flink's remote executor (flink-clients'
 * {@code RestClusterClient}). No jar is uploaded: the job's classes are on every process's own classpath (as the
 * deploy jar is in {@code lib/} of the Docker deployment) and load parent-first.
 */
public final class ClusterSubmission {
    private ClusterSubmission() {}

    /** Submits the job and returns once the JobManager has accepted it. */
    public static JobClient submit(String restHost, int restPort, JobConfig c) throws Exception {
        return submit(restHost, restPort, c, null);
    }

    /**
     * Submits the job, restoring it from a savepoint or retained checkpoint ({@code restoreFrom}, a URI) unless that
     * is null.
     */
    public static JobClient submit(String restHost, int restPort, JobConfig c, String restoreFrom) throws Exception {
        Configuration conf = StreamJob.flinkConfiguration(c);
        if (restoreFrom != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createRemoteEnvironment(restHost, restPort, conf);
        return StreamJob.start(env, c);
    }
}
