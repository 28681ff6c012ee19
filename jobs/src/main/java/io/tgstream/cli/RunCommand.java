package io.tgstream.cli;

import io.tgstream.jobs.JobConfig;
import io.tgstream.jobs.StreamJob;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tgstream run}: runs the streaming job against an existing Kafka, configured by a YAML file (the keys are
 * documented on {@link JobConfig}).
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the streaming job (Kafka in, scores, embeddings and dead letters out) from a YAML config.")
final class RunCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", required = true, description = "The job's YAML configuration.")
    Path config;

    @Option(names = "--local", description = "Run on a Flink MiniCluster in this process instead of the environment"
            + " of the context (use 'flink run' with the jobs jar for a cluster).")
    boolean local;

    @Override
    public Integer call() throws Exception {
        JobConfig c;
        try {
            c = JobConfig.load(config);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage());
        }
        spec.commandLine().getErr().println("tgstream: running " + c.inputTopic() + " -> " + c.scoresTopic()
                + (local ? " on a local MiniCluster" : ""));
        spec.commandLine().getErr().flush();
        if (local) {
            StreamJob.runLocal(c);
        } else {
            StreamJob.run(c);
        }
        return 0;
    }
}
