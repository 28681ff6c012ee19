package io.tgstream.cli;

import io.tgstream.data.EdgeStream;
import io.tgstream.eval.ChronologicalSplit;
import io.tgstream.eval.EvalConfig;
import io.tgstream.eval.EvalResult;
import io.tgstream.eval.EvalSetting;
import io.tgstream.eval.LinkPredictionEvaluator;
import io.tgstream.eval.NegativeKind;
import io.tgstream.eval.StreamReplayPlan;
import io.tgstream.jobs.replay.ReplayOutcome;
import io.tgstream.jobs.replay.StreamReplay;
import io.tgstream.model.MemoryModel;
import io.tgstream.model.MemoryModelConfig;
import io.tgstream.model.MemoryModelFile;
import io.tgstream.model.MemoryReplay;
import io.tgstream.model.TimeScale;
import io.tgstream.modelfile.ModelFileException;
import io.tgstream.nn.Nd4jRuntime;
import io.tgstream.train.MemoryTrainer;
import io.tgstream.train.TrainingConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * {@code tgstream demo}: the whole system in one process: trains a model on a shipped data set (or loads one), starts
 * an in-process Kafka broker, replays the data set through Kafka -> the streaming job on a Flink MiniCluster with
 * RocksDB state -> Kafka under the evaluation protocol (the evaluator's negatives as probes), and ends with the metrics
 * computed from the stream's scores beside the offline evaluator's, throughput, latency and state size.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train, then stream a data set through in-process Kafka and Flink, and summarise what happened.")
final class DemoCommand implements Callable<Integer> {
    /** The data set the repository ships, used when neither --dataset nor --data is given. */
    static final String DEFAULT_DATASET = "uci";
    static final int DEFAULT_EPOCHS = 3;
    /** Negative kinds the demo sends as probes. */
    static final List<NegativeKind> KINDS = List.of(NegativeKind.RND, NegativeKind.HIST, NegativeKind.IND);

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    DataSourceOptions source;

    @Option(names = "--model-file", paramLabel = "FILE", description = "Use this trained model instead of training one.")
    Path modelFile;

    @Option(names = "--epochs", paramLabel = "N", description = "Training epochs (default: " + DEFAULT_EPOCHS + ").")
    Integer epochs;

    @Option(names = "--batch", paramLabel = "B", description = "Temporal batch size, training and stream (default: "
            + TrainingConfig.DEFAULT_BATCH_SIZE + ").")
    Integer batch;

    @Option(names = "--parallelism", paramLabel = "P", description = "Flink parallelism (default: 2).")
    int parallelism = 2;

    @Option(names = "--max-events", paramLabel = "N", description = "Use only the first N events of the data set"
            + " (default: all).")
    Integer maxEvents;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Where the broker, checkpoints and the model go"
            + " (default: .cache/demo under the tgstream home).")
    Path workDir;

    @Option(names = "--progress", negatable = true,
            description = "Progress bars on stderr (default: when stderr is a terminal).")
    Boolean progress;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (source.dataset == null && source.data == null) {
            source.dataset = DEFAULT_DATASET;
        }
        int b = batch == null ? TrainingConfig.DEFAULT_BATCH_SIZE : batch;
        if (b < 1 || parallelism < 1 || (maxEvents != null && maxEvents < 1) || (epochs != null && epochs < 1)) {
            throw new UserInputException("--batch, --parallelism, --epochs and --max-events must be >= 1");
        }
        boolean bars = progress != null ? progress : System.console() != null;
        Nd4jRuntime.configure(Nd4jRuntime.DEFAULT_THREADS);
        Path dir = (workDir != null ? workDir : Path.of(System.getProperty("tgstream.home", "."), ".cache", "demo"))
                .resolve("run-" + System.currentTimeMillis());
        Files.createDirectories(dir);

        EdgeStream loaded = source.load(err).stream();
        EdgeStream stream = maxEvents == null ? loaded : loaded.head(maxEvents);
        ChronologicalSplit split = ChronologicalSplit.of(stream);
        MemoryModel model = modelFile != null ? loadModel(stream) : train(out, split, b, bars, dir);
        Path modelPath = modelFile != null ? modelFile : dir.resolve("model.tgm");
        EvalConfig config = EvalConfig.defaults().withBatchSize(b);
        StreamReplayPlan plan = StreamReplayPlan.of(split, config, EvalSetting.TRANSDUCTIVE, KINDS);
        long probes = plan.records().stream().filter(StreamReplayPlan.PlannedRecord::isProbe).count();
        out.printf(Locale.ROOT, "streaming %,d events of %s with %,d negatives as probes through Kafka -> Flink"
                        + " (parallelism %d, RocksDB, batch %d); validation and test are scored%n",
                plan.records().size() - probes, source.sourceName(), probes, parallelism, b);
        out.flush();

        ReplayOutcome outcome;
        try (ProgressBar bar = bars ? new ProgressBarBuilder().setTaskName("stream").setInitialMax(plan.records().size())
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUnit(" records", 1).build() : null) {
            long[] lastAp = {0};
            outcome = StreamReplay.run(plan, modelPath, StreamReplay.Settings.defaults(dir.resolve("stream"))
                    .withParallelism(parallelism), bar == null ? null : (got, total, secs, soFar) -> {
                        bar.stepTo(got);
                        long now = System.nanoTime();
                        if (now - lastAp[0] > 1_000_000_000L || got == total) {
                            lastAp[0] = now;
                            double ap = plan.apSoFar(NegativeKind.RND, soFar);
                            bar.setExtraMessage(String.format(Locale.ROOT, "%.0f records/s, AP so far %s",
                                    secs > 0 ? got / secs : 0,
                                    Double.isNaN(ap) ? "-" : String.format(Locale.ROOT, "%.2f", 100 * ap)));
                        }
                    });
        }
        out.println();
        ReplayTable table = new ReplayTable(source.sourceName(), b);
        for (NegativeKind kind : KINDS) {
            table.add(plan.evaluate(kind, outcome), plan.offline(split, config, kind, new MemoryReplay(model, stream)),
                    outcome);
        }
        table.addRun(EvalSetting.TRANSDUCTIVE, outcome, model);
        table.print(out);
        EvalResult ranked = new LinkPredictionEvaluator(split, config.withMrr(true, false))
                .evaluate(new MemoryReplay(model, stream), EvalSetting.TRANSDUCTIVE, NegativeKind.RND, null);
        out.printf(Locale.ROOT, "offline MRR (%d rnd candidates per positive, test): %.4f; Hits@%d %.4f%n",
                config.mrrNegatives(), ranked.test().mrr(), EvalConfig.HITS_K, ranked.test().hitsAt10());
        out.printf(Locale.ROOT, "largest |stream - offline| score: %.2e%n", table.largestDifference());
        out.println("report: " + ReplayReportWriter.write(dir.resolve("report.html"), "tgstream demo: "
                + source.sourceName(), source.sourceName(), b, parallelism, outcome));
        out.println("work directory (broker data, checkpoints, model): " + dir);
        out.flush();
        return 0;
    }

    private MemoryModel loadModel(EdgeStream stream) {
        try {
            MemoryModel m = MemoryModelFile.load(modelFile);
            if (m.config().edgeFeatureDim() != stream.featureDim()) {
                throw new UserInputException(modelFile + " was trained on " + m.config().edgeFeatureDim()
                        + " edge features, the data have " + stream.featureDim() + ": use a model of this data set");
            }
            return m;
        } catch (ModelFileException e) {
            throw new UserInputException(e.getMessage());
        }
    }

    private MemoryModel train(PrintWriter out, ChronologicalSplit split, int b, boolean bars, Path dir)
            throws java.io.IOException {
        TrainingConfig tc = TrainingConfig.defaults().withBatchSize(b)
                .withEpochs(epochs == null ? DEFAULT_EPOCHS : epochs);
        EdgeStream stream = split.stream();
        MemoryModel model = new MemoryModel(MemoryModelConfig.defaults(stream.featureDim(),
                TimeScale.of(stream, MemoryTrainer.trainingEvents(split))), DataType.FLOAT);
        out.printf(Locale.ROOT, "training the memory model on %s (at most %d epoch%s)%n", source.sourceName(), tc.epochs(),
                tc.epochs() == 1 ? "" : "s");
        out.flush();
        new MemoryTrainer(model, split, tc, new TrainCommand.EpochPrinter(out, bars)).train();
        MemoryModelFile.save(model, dir.resolve("model.tgm"));
        return model;
    }
}
