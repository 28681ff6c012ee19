package io.tgstream.cli;

import io.tgstream.data.BadEdgeFileException;
import io.tgstream.data.DatasetLookupException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tgstream} command line: the top-level command, to which each feature adds a subcommand. */
@Command(name = "tgstream", mixinStandardHelpOptions = true, versionProvider = TgstreamCommand.Version.class,
        description = "Learning on temporal graphs in real time (Flink + Kafka).",
        subcommands = {DemoCommand.class, DatasetsCommand.class, TrainCommand.class, EvalCommand.class, ReplayCommand.class, RunCommand.class,
                ExplainCommand.class, AblationCommand.class, ClusterCommand.class, CommandLine.HelpCommand.class})
public final class TgstreamCommand implements Runnable {
    /** Exit code for usage errors and bad input (picocli's usage code). */
    public static final int EXIT_USAGE = CommandLine.ExitCode.USAGE;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given output streams; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new TgstreamCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof BadEdgeFileException || ex instanceof DatasetLookupException
                    || ex instanceof UserInputException) {
                commandLine.getErr().println("tgstream: " + ex.getMessage());
                commandLine.getErr().flush();
                return EXIT_USAGE;
            }
            throw ex;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** The version from the jar manifest, or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = TgstreamCommand.class.getPackage().getImplementationVersion();
            return new String[] {"tgstream " + (v == null ? "development" : v)};
        }
    }
}
