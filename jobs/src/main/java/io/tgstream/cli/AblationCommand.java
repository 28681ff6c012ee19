package io.tgstream.cli;

import io.tgstream.data.DataDirectory;
import io.tgstream.data.EdgeStream;
import io.tgstream.data.NamedDataset;
import io.tgstream.eval.ChronologicalSplit;
import io.tgstream.eval.EvalConfig;
import io.tgstream.eval.EvalResult;
import io.tgstream.eval.EvalSetting;
import io.tgstream.eval.LinkPredictionEvaluator;
import io.tgstream.eval.NegativeKind;
import io.tgstream.model.MemoryModel;
import io.tgstream.model.MemoryModelConfig;
import io.tgstream.model.MemoryReplay;
import io.tgstream.model.ModelParts;
import io.tgstream.model.TimeScale;
import io.tgstream.nn.Nd4jRuntime;
import io.tgstream.train.EpochReport;
import io.tgstream.train.MemoryTrainer;
import io.tgstream.train.TrainingConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tgstream ablation}: trains and evaluates the house model's variants (memory only, dictionaries only, both,
 * both + PRES) at each temporal batch size, and writes one Markdown table per data set (rewritten after every
 * variant, so a partial run leaves a valid file). The file is the command's output: regenerate it, never edit it.
 */
@Command(name = "ablation", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train and evaluate memory only / dictionaries only / both / both + PRES and write a Markdown"
                + " table of test AP (rnd, hist, ind; transductive and inductive) and MRR.")
final class AblationCommand implements Callable<Integer> {
    /** Written in place of this token in --out: one file per data set. */
    static final String DATASET_TOKEN = "{dataset}";

    /** The variants, in table order. */
    enum Variant {
        MEMORY("memory only", true, false, false),
        DICTIONARIES("dictionaries only", false, true, false),
        BOTH("memory + dictionaries", true, true, false),
        BOTH_PRES("memory + dictionaries + PRES", true, true, true),
        MEMORY_PRES("memory + PRES", true, false, true);

        final String label;
        final boolean memory;
        final boolean dictionaries;
        final boolean pres;

        Variant(String label, boolean memory, boolean dictionaries, boolean pres) {
            this.label = label;
            this.memory = memory;
            this.dictionaries = dictionaries;
            this.pres = pres;
        }
    }

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--dataset", paramLabel = "NAMES", split = ",", required = true,
            description = "Named data sets, comma-separated (uci, enron, wikipedia, ...).")
    List<String> datasets;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where named data sets are looked up.")
    Path dataDir;

    @Option(names = "--batch", paramLabel = "B", split = ",", defaultValue = "200,2000",
            description = "Temporal batch sizes, comma-separated (training and evaluation; default: ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(names = "--variants", paramLabel = "V", split = ",", defaultValue = "memory,dictionaries,both,both-pres",
            description = "Variants, comma-separated: memory, dictionaries, both, both-pres, memory-pres (default:"
                    + " ${DEFAULT-VALUE}).")
    List<String> variants;

    @Option(names = "--out", paramLabel = "FILE", required = true,
            description = "The Markdown file; " + DATASET_TOKEN + " is replaced by the data set's name (required"
                    + " with several data sets), e.g. docs/results/ablation-" + DATASET_TOKEN + ".md.")
    String out;

    @Option(names = "--epochs", paramLabel = "N", description = "Most epochs per variant (default: "
            + TrainingConfig.DEFAULT_EPOCHS + ").")
    Integer epochs;

    @Option(names = "--patience", paramLabel = "P", description = "Early-stopping patience (default: "
            + TrainingConfig.DEFAULT_PATIENCE + ").")
    Integer patience;

    @Option(names = "--lr", paramLabel = "RATE", description = "Adam's learning rate (default: "
            + TrainingConfig.DEFAULT_LEARNING_RATE + ").")
    Double learningRate;

    @CommandLine.Mixin
    HistoricalNegativeOptions historicalNegatives;

    @Option(names = "--seed", paramLabel = "S", split = ",", description = "Seeds of weights and draws,"
            + " comma-separated; with several, every cell is the mean over the seeds (default: "
            + TrainingConfig.DEFAULT_SEED + ").")
    List<Long> seeds;

    @CommandLine.Mixin
    PresOptions presOptions;

    @Option(names = "--mrr-negatives", paramLabel = "K", description = "Candidates per positive for MRR (default: "
            + EvalConfig.DEFAULT_MRR_NEGATIVES + ").")
    Integer mrrNegatives;

    @Option(names = "--threads", paramLabel = "T", description = "ND4J threads (default: "
            + Nd4jRuntime.DEFAULT_THREADS + ").")
    Integer threads;

    /** One finished run (one variant, batch size and seed); a table row is the mean of its seeds' runs. */
    record Row(Variant variant, int batch, long seed, int bestEpoch, int epochsRun, double meanEpochSeconds,
               double meanEpochCpuSeconds, double validationAp, double[] transductive, double[] inductive,
               double mrr, double gamma) {
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter console = spec.commandLine().getOut();
        if (datasets.size() > 1 && !out.contains(DATASET_TOKEN)) {
            throw new UserInputException("with several data sets --out needs the token " + DATASET_TOKEN
                    + ", e.g. docs/results/ablation-" + DATASET_TOKEN + ".md");
        }
        for (int b : batches) {
            if (b < 1) throw new UserInputException("--batch sizes must be >= 1, got " + b);
        }
        List<Variant> chosen = new ArrayList<>();
        for (String v : variants) {
            chosen.add(variant(v));
        }
        TrainingConfig base = TrainingConfig.defaults();
        if (epochs != null) base = base.withEpochs(positive("--epochs", epochs));
        if (patience != null) base = base.withPatience(positive("--patience", patience));
        if (learningRate != null) {
            if (!(learningRate > 0)) throw new UserInputException("--lr must be > 0, got " + learningRate);
            base = base.withLearningRate(learningRate);
        }
        List<Long> seedList = seeds == null || seeds.isEmpty() ? List.of(TrainingConfig.DEFAULT_SEED) : seeds;
        base = historicalNegatives.applyTo(base);
        Nd4jRuntime.configure(threads == null ? Nd4jRuntime.DEFAULT_THREADS : positive("--threads", threads));

        for (String name : datasets) {
            NamedDataset d;
            try {
                d = NamedDataset.byName(name);
            } catch (IllegalArgumentException e) {
                throw new UserInputException(e.getMessage());
            }
            EdgeStream stream = d.load(DataDirectory.resolve(dataDir).require(d), false).stream();
            ChronologicalSplit split = ChronologicalSplit.of(stream);
            double tau = TimeScale.of(stream, MemoryTrainer.trainingEvents(split));
            Path file = Path.of(out.replace(DATASET_TOKEN, d.cliName()));
            List<Row> rows = new ArrayList<>();
            for (int b : batches) {
                for (Variant v : chosen) {
                    for (long seed : seedList) {
                        TrainingConfig tc = base.withBatchSize(b).withSeed(seed);
                        console.printf(Locale.ROOT, "ablation %s, B = %d, seed %d: %s ...%n", d.cliName(), b, seed,
                                v.label);
                        console.flush();
                        rows.add(run(v, tc, stream, split, tau));
                        Row r = rows.get(rows.size() - 1);
                        console.printf(Locale.ROOT, "  test AP transductive rnd %.2f hist %.2f ind %.2f, inductive"
                                        + " rnd %.2f; MRR %.4f%n", 100 * r.transductive()[0],
                                100 * r.transductive()[1], 100 * r.transductive()[2], 100 * r.inductive()[0],
                                r.mrr());
                        console.flush();
                        write(file, d.cliName(), stream, base.withBatchSize(b), seedList, rows);
                    }
                }
            }
            console.println("written " + file);
        }
        return 0;
    }

    private Row run(Variant v, TrainingConfig tc, EdgeStream stream, ChronologicalSplit split, double tau) {
        MemoryModelConfig mc = MemoryModelConfig.defaults(stream.featureDim(), tau).withPres(v.pres)
                .withSeed(tc.seed());
        mc = presOptions.applyTo(mc, v.pres);
        ModelParts parts = v.dictionaries ? ModelParts.withDictionaries(v.memory, mc.memoryDim(), tc.seed())
                : ModelParts.MEMORY_ONLY;
        MemoryModel model = new MemoryModel(mc, parts, DataType.FLOAT);
        MemoryTrainer.Result result = new MemoryTrainer(model, split, tc, null).train();
        double seconds = result.epochs().stream().mapToDouble(EpochReport::trainSeconds).average().orElse(0);
        double cpu = result.epochs().stream().mapToDouble(EpochReport::trainCpuSeconds).average().orElse(0);
        EvalConfig ec = EvalConfig.defaults().withBatchSize(tc.batchSize()).withValidation(false);
        if (mrrNegatives != null) {
            ec = new EvalConfig(ec.batchSize(), ec.seed(), ec.mrr(), ec.mrrAll(), positive("--mrr-negatives",
                    mrrNegatives), ec.validation());
        }
        LinkPredictionEvaluator plain = new LinkPredictionEvaluator(split, ec);
        LinkPredictionEvaluator ranked = new LinkPredictionEvaluator(split, ec.withMrr(true, false));
        double[] trans = new double[3];
        double[] ind = new double[3];
        double mrr = Double.NaN;
        NegativeKind[] kinds = {NegativeKind.RND, NegativeKind.HIST, NegativeKind.IND};
        for (int k = 0; k < kinds.length; k++) {
            LinkPredictionEvaluator e = kinds[k] == NegativeKind.RND ? ranked : plain;
            EvalResult t = e.evaluate(new MemoryReplay(model, stream), EvalSetting.TRANSDUCTIVE, kinds[k], null);
            trans[k] = t.test().ap();
            if (kinds[k] == NegativeKind.RND) mrr = t.test().mrr();
            ind[k] = plain.evaluate(new MemoryReplay(model, stream), EvalSetting.INDUCTIVE, kinds[k], null).test().ap();
        }
        return new Row(v, tc.batchSize(), tc.seed(), result.bestEpoch(), result.epochs().size(), seconds, cpu,
                result.best().validationAp(), trans, ind, mrr, v.pres ? model.presGamma() : Double.NaN);
    }

    private void write(Path file, String dataset, EdgeStream stream, TrainingConfig tc, List<Long> seedList,
                       List<Row> rows) throws IOException {
        boolean several = seedList.size() > 1;
        StringBuilder s = new StringBuilder();
        s.append("# Ablation on ").append(dataset).append("\n\n");
        s.append("Written by `tgstream ").append(String.join(" ", spec.commandLine().getParseResult().originalArgs()))
                .append("` on ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append("; do not edit by hand,"
                        + " run the command again.\n\n");
        s.append(String.format(Locale.ROOT, "- data: %s, %,d events, %,d nodes, %d edge features; DyGLib split "
                        + "70/15/15%n", dataset, stream.size(), stream.nodeCount(), stream.featureDim()));
        s.append(String.format(Locale.ROOT, "- training: at most %d epochs, patience %d (early stop on validation AP,"
                        + " best epoch kept), Adam lr %s, clip %s, seed%s %s; the evaluation batch equals the training"
                        + " batch B; share of historical training negatives %s%s%n", tc.epochs(), tc.patience(),
                tc.learningRate(), tc.clipNorm(), several ? "s" : "", joined(seedList), tc.historicalNegatives(),
                tc.historicalNegatives() > 0 ? " (" + tc.historicalKind().label() + ")" : ""));
        double gamma = presOptions.gamma();
        s.append("- variants: memory = TGN/JODIE GRU memory, time-projection embedding ("
                + (MemoryModelConfig.DEFAULT_LOG_TIME_PROJECTION ? "log" : "linear") + " in the idle time), MLP"
                + " decoder; dictionaries ="
                + " NAT hop-1/hop-2 dictionaries (M1 = 32, M2 = 16, values of 4) with the pair scorer; both = the"
                + " pair scorer over the dictionaries with the memory embeddings as self representations;"
                + " PRES = memory prediction-correction (" + presOptions.correction().cliName() + ") and the coherence"
                + " loss (weight " + presOptions.coherence() + "), gamma "
                + (presOptions.learnable ? "trained from " + gamma : gamma + " (constant)") + "\n");
        s.append("- metrics: test AP x100 averaged over batches of B positives (DyGLib), negatives rnd / hist / ind;"
                + " MRR: transductive, each positive ranked against historical + random destinations (TGB style)"
                + (several ? "; every cell is the mean over the seeds, trans rnd also with its sample standard"
                        + " deviation and per seed" : "") + "\n");
        s.append("- seconds: mean wall (and training-thread CPU) seconds of a training epoch on this machine, shared"
                + " with other work while it ran\n\n");
        s.append("| variant | B | trans rnd | trans hist | trans ind | ind rnd | ind hist | ind ind | MRR | val AP "
                + "| best epoch / run | s/epoch (cpu) |" + (several ? " trans rnd by seed | gamma |" : "") + "\n");
        s.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|" + (several ? "---|---|" : "")
                + "\n");
        for (List<Row> group : groups(rows)) {
            Row first = group.get(0);
            SeedSummary rnd = SeedSummary.of(group, r -> r.transductive()[0]);
            s.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %.1f (%.1f) |",
                    first.variant().label, first.batch(),
                    several ? rnd.meanAndDeviation() : pct(rnd.mean()),
                    pct(mean(group, r -> r.transductive()[1])), pct(mean(group, r -> r.transductive()[2])),
                    pct(mean(group, r -> r.inductive()[0])), pct(mean(group, r -> r.inductive()[1])),
                    pct(mean(group, r -> r.inductive()[2])), mrr(mean(group, Row::mrr)),
                    pct(mean(group, Row::validationAp)), epochs(group), mean(group, Row::meanEpochSeconds),
                    mean(group, Row::meanEpochCpuSeconds)));
            if (several) {
                s.append(' ').append(rnd.perSeed()).append(" | ").append(gammas(group)).append(" |");
            }
            s.append('\n');
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Files.writeString(file, s.toString(), StandardCharsets.UTF_8);
    }

    /** Consecutive runs of the same variant and batch size: one table row. */
    static List<List<Row>> groups(List<Row> rows) {
        List<List<Row>> out = new ArrayList<>();
        for (Row r : rows) {
            List<Row> last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && last.get(0).variant() == r.variant() && last.get(0).batch() == r.batch()) {
                last.add(r);
            } else {
                out.add(new ArrayList<>(List.of(r)));
            }
        }
        return out;
    }

    private static double mean(List<Row> group, java.util.function.ToDoubleFunction<Row> f) {
        return SeedSummary.of(group, f).mean();
    }

    private static String epochs(List<Row> group) {
        return group.stream().map(r -> r.bestEpoch() + " / " + r.epochsRun()).collect(Collectors.joining(", "));
    }

    private static String gammas(List<Row> group) {
        if (!group.get(0).variant().pres) return "-";
        return group.stream().map(r -> String.format(Locale.ROOT, "%.3f", r.gamma()))
                .collect(Collectors.joining(", "));
    }

    private static String mrr(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "-";
    }

    private static String joined(List<Long> seedList) {
        return seedList.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    private static String pct(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f", 100 * v) : "-";
    }

    private static Variant variant(String name) {
        for (Variant v : Variant.values()) {
            if (v.name().replace('_', '-').equalsIgnoreCase(name.trim())) return v;
        }
        throw new UserInputException("unknown variant '" + name
                + "': use memory, dictionaries, both, both-pres, memory-pres");
    }

    private static int positive(String option, int value) {
        if (value < 1) throw new UserInputException(option + " must be >= 1, got " + value);
        return value;
    }
}
