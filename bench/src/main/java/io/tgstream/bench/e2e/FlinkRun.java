package io.tgstream.bench.e2e;

import io.tgstream.jobs.JobConfig;
import io.tgstream.jobs.StreamJob;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Starts tgstream's job on a MiniCluster in this JVM with the job's own Flink settings plus the peak reporter. */
final class FlinkRun {
    private FlinkRun() {
    }

    /** The job's Flink configuration ({@link StreamJob#flinkConfiguration}) with {@link PeakGaugeReporter}. */
    static Configuration configuration(JobConfig c) {
        Configuration conf = StreamJob.flinkConfiguration(c);
        PeakGaugeReporter.register(conf);
        return conf;
    }

    static JobClient startTgstream(JobConfig c) throws Exception {
        return StreamJob.start(StreamExecutionEnvironment.createLocalEnvironment(configuration(c)), c);
    }
}
