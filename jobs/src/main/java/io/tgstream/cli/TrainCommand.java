package io.tgstream.cli;

import io.tgstream.data.EdgeStream;
import io.tgstream.eval.ChronologicalSplit;
import io.tgstream.model.EmbeddingKind;
import io.tgstream.model.MemoryModel;
import io.tgstream.model.MemoryModelConfig;
import io.tgstream.model.MemoryModelFile;
import io.tgstream.model.ModelParts;
import io.tgstream.model.TimeScale;
import io.tgstream.model.nat.PairScorerConfig;
import io.tgstream.nn.Nd4jRuntime;
import io.tgstream.train.EpochReport;
import io.tgstream.train.MemoryTrainer;
import io.tgstream.train.TrainingConfig;
import io.tgstream.train.TrainingListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
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
 * {@code tgstream train}: trains the memory model by chronological replay of a data set's training split and writes
 * a model file; a line per epoch with the training loss, validation AP/AUC and seconds.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train the memory model (TGN/JODIE memory, optional PRES) and write a model file.")
final class TrainCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    DataSourceOptions source;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "Where to write the model file.")
    Path out;

    @Option(names = "--batch", paramLabel = "B", description = "Temporal batch size (default: "
            + TrainingConfig.DEFAULT_BATCH_SIZE + ").")
    Integer batch;

    @Option(names = "--epochs", paramLabel = "N", description = "Most epochs (default: "
            + TrainingConfig.DEFAULT_EPOCHS + ").")
    Integer epochs;

    @Option(names = "--patience", paramLabel = "P", description = "Stop after P epochs without a better validation AP"
            + " (default: " + TrainingConfig.DEFAULT_PATIENCE + ").")
    Integer patience;

    @Option(names = "--lr", paramLabel = "RATE", description = "Adam's learning rate (default: "
            + TrainingConfig.DEFAULT_LEARNING_RATE + ").")
    Double learningRate;

    @CommandLine.Mixin
    HistoricalNegativeOptions historicalNegatives;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the weights and the negative draws (default: "
            + TrainingConfig.DEFAULT_SEED + ").")
    Long seed;

    @Option(names = "--embedding", paramLabel = "KIND", defaultValue = "time-projection",
            description = "time-projection (JODIE) or recent-partners (APAN-style attention); default: ${DEFAULT-VALUE}.")
    String embedding;

    @Option(names = "--pres", description = "PRES: predict each node's memory change and fuse it (gamma), with the"
            + " memory-coherence loss.")
    boolean pres;

    @Option(names = "--dictionaries", description = "NAT's neighbour dictionaries (hop-1/hop-2 hash tables with value"
            + " refresh) and the pair scorer over the joint neighbourhood, in place of the memory decoder.")
    boolean dictionaries;

    @Option(names = "--no-memory", description = "Switch the GRU memory off (with --dictionaries: the dictionaries-only"
            + " ablation).")
    boolean noMemory;

    @CommandLine.Mixin
    PresOptions presOptions;

    @Option(names = "--time-projection", paramLabel = "linear|log",
            description = "How the time projection reads a node's idle time dt: linear (JODIE: dt / tau) or log"
                    + " (log(1 + dt / tau), so that long-idle nodes do not get huge embeddings); default: log.")
    String timeProjection;

    @Option(names = "--memory-dim", paramLabel = "D", description = "Memory width (default: "
            + MemoryModelConfig.DEFAULT_MEMORY_DIM + ").")
    Integer memoryDim;

    @Option(names = "--pair-time-dim", paramLabel = "W", description = "With --dictionaries: width of the time "
            + "encoding of each joint-neighbourhood entry's age (default: " + PairScorerConfig.DEFAULT_TIME_DIM
            + "; 4 trains about a quarter faster, see README).")
    Integer pairTimeDim;

    @Option(names = "--threads", paramLabel = "T", description = "ND4J threads (default: "
            + Nd4jRuntime.DEFAULT_THREADS + ").")
    Integer threads;

    @Option(names = "--progress", negatable = true,
            description = "Progress bar on stderr (default: when stderr is a terminal).")
    Boolean progress;

    @Override
    public Integer call() throws IOException {
        PrintWriter outWriter = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TrainingConfig tc = trainingConfig();
        EmbeddingKind kind;
        try {
            kind = EmbeddingKind.parse(embedding);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage());
        }
        Nd4jRuntime.configure(threads == null ? Nd4jRuntime.DEFAULT_THREADS : positive("--threads", threads));

        EdgeStream stream = source.load(err).stream();
        ChronologicalSplit split = ChronologicalSplit.of(stream);
        int[] trainingEvents = MemoryTrainer.trainingEvents(split);
        double tau = TimeScale.of(stream, trainingEvents);
        MemoryModelConfig mc = MemoryModelConfig.defaults(stream.featureDim(), tau).withEmbedding(kind).withPres(pres)
                .withSeed(tc.seed());
        if (presOptions.learnable && !pres) {
            throw new UserInputException("--pres-gamma-learnable trains PRES's gamma: add --pres");
        }
        if ((presOptions.correction != null || presOptions.coherence != null) && !pres) {
            throw new UserInputException("--pres-correction and --pres-coherence set up PRES: add --pres");
        }
        mc = presOptions.applyTo(mc, pres);
        if (timeProjection != null) {
            mc = switch (timeProjection) {
                case "linear" -> mc.withLogTimeProjection(false);
                case "log" -> mc.withLogTimeProjection(true);
                default -> throw new UserInputException("--time-projection must be linear or log, got "
                        + timeProjection);
            };
        }
        if (memoryDim != null) mc = mc.withMemoryDim(positive("--memory-dim", memoryDim));
        if (noMemory && !dictionaries) {
            throw new UserInputException("--no-memory leaves no model without --dictionaries: add --dictionaries");
        }
        if (pairTimeDim != null && !dictionaries) {
            throw new UserInputException("--pair-time-dim sets a width of the pair scorer: add --dictionaries");
        }
        ModelParts parts = dictionaries ? ModelParts.withDictionaries(!noMemory, mc.memoryDim(), tc.seed())
                : ModelParts.MEMORY_ONLY;
        if (pairTimeDim != null) {
            parts = parts.withScorer(parts.scorer().withTimeDim(positive("--pair-time-dim", pairTimeDim)));
        }
        MemoryModel model = new MemoryModel(mc, parts, DataType.FLOAT);

        outWriter.printf(Locale.ROOT, "training on %s: %d events, %d nodes, %d training events, batch %d, %s, %s%s%n",
                source.sourceName(), stream.size(), stream.nodeCount(), trainingEvents.length,
                tc.batchSize(), parts.label() + (pairTimeDim != null ? " (entry time encoding "
                        + parts.scorer().timeDim() + ")" : ""), kind.cliName() + (mc.logTimeProjection() ? " (log dt)" : " (linear dt)"),
                pres ? ", PRES " + mc.presCorrection().cliName() + (presOptions.learnable ? " (gamma learned)" : "")
                        : "");
        outWriter.flush();
        boolean bars = progress != null ? progress : System.console() != null;
        MemoryTrainer.Result result = new MemoryTrainer(model, split, tc, new EpochPrinter(outWriter, bars)).train();
        MemoryModelFile.save(model, out);
        EpochReport best = result.best();
        outWriter.printf(Locale.ROOT, "best epoch %d: validation AP %.2f, AUC %.2f; model written to %s%n",
                best.epoch(), 100 * best.validationAp(), 100 * best.validationAuc(), out);
        if (presOptions.learnable) {
            outWriter.printf(Locale.ROOT, "PRES gamma learned: %.4f (started at %.4f)%n", model.presGamma(),
                    mc.presGamma());
        }
        return 0;
    }

    private TrainingConfig trainingConfig() {
        TrainingConfig tc = TrainingConfig.defaults();
        if (batch != null) tc = tc.withBatchSize(positive("--batch", batch));
        if (epochs != null) tc = tc.withEpochs(positive("--epochs", epochs));
        if (patience != null) tc = tc.withPatience(positive("--patience", patience));
        if (learningRate != null) {
            if (!(learningRate > 0)) throw new UserInputException("--lr must be > 0, got " + learningRate);
            tc = tc.withLearningRate(learningRate);
        }
        if (seed != null) tc = tc.withSeed(seed);
        tc = historicalNegatives.applyTo(tc);
        return tc;
    }

    private static int positive(String option, int value) {
        if (value < 1) throw new UserInputException(option + " must be >= 1, got " + value);
        return value;
    }

    /** A progress bar per epoch (when on) and one line per epoch. */
    static final class EpochPrinter implements TrainingListener {
        private final PrintWriter out;
        private final boolean bars;
        private ProgressBar bar;
        private long epochStart;

        EpochPrinter(PrintWriter out, boolean bars) {
            this.out = out;
            this.bars = bars;
        }

        @Override
        public void onBatch(int epoch, int eventsDone, int eventsTotal, double meanLoss) {
            if (!bars) return;
            if (bar == null) {
                epochStart = System.nanoTime();
                bar = new ProgressBarBuilder().setTaskName("epoch " + epoch).setInitialMax(eventsTotal)
                        .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUnit(" events", 1).build();
            }
            bar.stepTo(eventsDone);
            double seconds = (System.nanoTime() - epochStart) / 1e9;
            bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f, %.0f events/s", meanLoss,
                    seconds > 0 ? eventsDone / seconds : 0));
        }

        @Override
        public void onValidation(int epoch) {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }

        @Override
        public void onEpoch(EpochReport r) {
            out.printf(Locale.ROOT, "epoch %3d  loss %.4f  val AP %.2f  AUC %.2f  train %.1f s (cpu %.1f s)  val %.1f s%s%n",
                    r.epoch(), r.trainLoss(), 100 * r.validationAp(), 100 * r.validationAuc(), r.trainSeconds(),
                    r.trainCpuSeconds(), r.validationSeconds(), r.best() ? "  *" : "");
            out.flush();
        }
    }
}
