package io.tgstream.cli;

import io.tgstream.data.EdgeStream;
import io.tgstream.eval.ChronologicalSplit;
import io.tgstream.eval.EvalConfig;
import io.tgstream.eval.EvalResult;
import io.tgstream.eval.EvalSetting;
import io.tgstream.eval.NegativeKind;
import io.tgstream.eval.StreamReplayPlan;
import io.tgstream.jobs.replay.ReplayOutcome;
import io.tgstream.jobs.replay.StreamReplay;
import io.tgstream.model.MemoryModel;
import io.tgstream.model.MemoryModelFile;
import io.tgstream.model.MemoryReplay;
import io.tgstream.modelfile.ModelFileException;
import io.tgstream.nn.Nd4jRuntime;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tgstream replay}: the evaluation protocol run through the streaming job. The data set's events go into an
 * in-process Kafka broker in the evaluator's batches, with the evaluator's negatives as probes; the job (Flink
 * MiniCluster, RocksDB) scores them; the scores read back with {@code read_committed} give the same table as
 * {@code tgstream eval}, beside the offline figures, with throughput, latency and state size.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a model file through Kafka and the streaming job, beside the offline evaluator.")
final class ReplayCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    DataSourceOptions source;

    @Option(names = "--model-file", paramLabel = "FILE", required = true,
            description = "The trained model (from 'tgstream train').")
    Path modelFile;

    @Option(names = "--batch", paramLabel = "B", description = "Temporal batch size (default: "
            + EvalConfig.DEFAULT_BATCH_SIZE + ").")
    Integer batch;

    @Option(names = "--negatives", paramLabel = "KINDS", split = ",", defaultValue = "rnd",
            description = "Negative kinds sent as probes, comma-separated: rnd, hist, ind (default: rnd).")
    List<String> negatives;

    @Option(names = "--setting", paramLabel = "SETTINGS", split = ",", defaultValue = "transductive",
            description = "Settings, comma-separated: transductive, inductive; one replay each (default: transductive).")
    List<String> settings;

    @Option(names = "--parallelism", paramLabel = "P", description = "Flink parallelism (default: 2).")
    int parallelism = 2;

    @Option(names = "--rate", paramLabel = "R", description = "Records (edges and probes) per second handed to the"
            + " producer; 0 = as fast as it goes (default: 0). Latency below capacity needs a rate.")
    double rate;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the negatives (default: "
            + EvalConfig.DEFAULT_SEED + ").")
    Long seed;

    @Option(names = "--precision", paramLabel = "P", defaultValue = "float",
            description = "The model's arithmetic, in the job and offline: float (as trained) or double (default: float).")
    String precision;

    @Option(names = "--compare", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also run the offline evaluator and compare every score (default: on).")
    boolean compare;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Where broker data and checkpoints go"
            + " (default: .cache/replay under the tgstream home).")
    Path workDir;

    @Option(names = "--timeout", paramLabel = "MINUTES", description = "Give up after this many minutes per replay"
            + " (default: 60).")
    int timeoutMinutes = 60;

    @Option(names = "--progress", negatable = true,
            description = "Progress bar on stderr (default: when stderr is a terminal).")
    Boolean progress;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (parallelism < 1 || rate < 0 || timeoutMinutes < 1 || (batch != null && batch < 1)) {
            throw new UserInputException("--parallelism, --batch and --timeout must be >= 1 and --rate >= 0");
        }
        List<NegativeKind> kinds = NameList.parse(negatives, NegativeKind::byName);
        List<EvalSetting> settingList = NameList.parse(settings, EvalSetting::byName);
        Nd4jRuntime.configure(Nd4jRuntime.DEFAULT_THREADS);
        if (!precision.equals("float") && !precision.equals("double")) {
            throw new UserInputException("--precision must be float or double, got '" + precision + "'");
        }
        MemoryModel model;
        try {
            model = MemoryModelFile.load(modelFile, precision.equals("double") ? DataType.DOUBLE : DataType.FLOAT);
        } catch (ModelFileException e) {
            throw new UserInputException(e.getMessage());
        }
        EdgeStream stream = source.load(err).stream();
        if (model.config().edgeFeatureDim() != stream.featureDim()) {
            throw new UserInputException(modelFile + " was trained on " + model.config().edgeFeatureDim()
                    + " edge features, the data have " + stream.featureDim() + ": replay it on data of its kind");
        }
        ChronologicalSplit split = ChronologicalSplit.of(stream);
        EvalConfig config = EvalConfig.defaults();
        if (batch != null) config = config.withBatchSize(batch);
        if (seed != null) config = config.withSeed(seed);
        Path base = (workDir != null ? workDir : Path.of(System.getProperty("tgstream.home", "."), ".cache", "replay"))
                .resolve("run-" + System.currentTimeMillis());
        boolean bars = progress != null ? progress : System.console() != null;

        ReplayTable table = new ReplayTable(source.sourceName(), config.batchSize());
        List<Path> reports = new ArrayList<>();
        for (EvalSetting setting : settingList) {
            StreamReplayPlan plan = StreamReplayPlan.of(split, config, setting, kinds);
            err.printf(Locale.ROOT, "tgstream: replaying %s (%s): %,d records (%,d probes) through Kafka -> Flink"
                            + " (parallelism %d, RocksDB)%n", source.sourceName(), setting.cliName(),
                    plan.records().size(), plan.records().stream().filter(StreamReplayPlan.PlannedRecord::isProbe).count(),
                    parallelism);
            err.flush();
            StreamReplay.Settings s = StreamReplay.Settings.defaults(base.resolve(setting.cliName()))
                    .withParallelism(parallelism).withRate(rate).withTimeout(Duration.ofMinutes(timeoutMinutes))
                    .withPrecision(precision);
            ReplayOutcome outcome;
            try (ProgressBar bar = bars ? new ProgressBarBuilder().setTaskName(setting.cliName())
                    .setInitialMax(plan.records().size()).setConsumer(new ConsoleProgressBarConsumer(System.err))
                    .setUnit(" records", 1).build() : null) {
                outcome = StreamReplay.run(plan, modelFile, s, bar == null ? null : (got, total, secs, soFar) -> {
                    bar.stepTo(got);
                    bar.setExtraMessage(String.format(Locale.ROOT, "%.0f records/s", secs > 0 ? got / secs : 0));
                });
            }
            for (NegativeKind kind : kinds) {
                EvalResult streamed = plan.evaluate(kind, outcome);
                StreamReplayPlan.OfflineScores offline = compare
                        ? plan.offline(split, config, kind, new MemoryReplay(model, stream)) : null;
                table.add(streamed, offline, outcome);
            }
            table.addRun(setting, outcome, model);
            if (kinds.contains(NegativeKind.RND)) {
                reports.add(ReplayReportWriter.write(base.resolve("report-" + setting.cliName() + ".html"),
                        "tgstream replay: " + source.sourceName() + ", " + setting.cliName(), source.sourceName(),
                        config.batchSize(), parallelism, outcome));
            }
        }
        table.print(out);
        reports.forEach(r -> out.println("report: " + r));
        out.println("work directory (broker data, checkpoints): " + base);
        out.flush();
        return 0;
    }
}
