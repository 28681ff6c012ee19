package io.tgstream.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tgstream.data.EdgeStream;
import io.tgstream.data.LoadedEdges;
import io.tgstream.eval.ChronologicalSplit;
import io.tgstream.eval.EdgeBank;
import io.tgstream.eval.EdgeBankMode;
import io.tgstream.eval.EvalConfig;
import io.tgstream.eval.EvalResult;
import io.tgstream.eval.EvalSetting;
import io.tgstream.eval.LinkPredictionEvaluator;
import io.tgstream.eval.LinkScorer;
import io.tgstream.eval.NegativeKind;
import io.tgstream.eval.SplitMetrics;
import io.tgstream.model.MemoryModel;
import io.tgstream.model.MemoryModelFile;
import io.tgstream.model.MemoryReplay;
import io.tgstream.modelfile.ModelFileException;
import io.tgstream.nn.Nd4jRuntime;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tgstream eval}: link-prediction evaluation of a model under the DyGLib protocol (chronological 70/15/15
 * split, rnd/hist/ind negatives, transductive/inductive, AP/AUC per batch of positives, optional TGB-style MRR).
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a link-prediction model by chronological replay (DyGLib protocol).")
final class EvalCommand implements Callable<Integer> {
    /** The models this command can evaluate. */
    static final List<String> MODELS = List.of("edgebank");
    /** The --edgebank-mode value that picks DyGLib's best mode per data set and negative kind. */
    static final String BEST_MODE = "best";

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    DataSourceOptions source;

    @Option(names = "--model", paramLabel = "MODEL", defaultValue = "edgebank",
            description = "Model: edgebank (ignored with --model-file).")
    String model;

    @Option(names = "--model-file", paramLabel = "FILE",
            description = "Evaluate a trained model file (from 'tgstream train') instead of --model.")
    Path modelFile;

    @Option(names = "--threads", paramLabel = "T", description = "ND4J threads for a model file (default: "
            + Nd4jRuntime.DEFAULT_THREADS + ").")
    Integer threads;

    @Option(names = "--edgebank-mode", paramLabel = "MODE", defaultValue = BEST_MODE,
            description = "EdgeBank memory: best (DyGLib's per data set), unlimited, window-fixed, window-repeat,"
                    + " threshold.")
    String edgeBankMode;

    @Option(names = "--negatives", paramLabel = "KINDS", split = ",", defaultValue = "rnd,hist,ind",
            description = "Negative kinds, comma-separated: rnd, hist, ind (default: all).")
    List<String> negatives;

    @Option(names = "--setting", paramLabel = "SETTINGS", split = ",", defaultValue = "transductive,inductive",
            description = "Settings, comma-separated: transductive, inductive (default: both).")
    List<String> settings;

    @Option(names = "--mrr", description = "Also rank each positive against negative destinations (TGB-style MRR).")
    boolean mrr;

    @Option(names = "--mrr-all", description = "Rank against all destinations instead of K.")
    boolean mrrAll;

    @Option(names = "--mrr-negatives", paramLabel = "K", description = "Negatives per positive for MRR (default: "
            + EvalConfig.DEFAULT_MRR_NEGATIVES + ").")
    Integer mrrNegatives;

    @Option(names = "--batch", paramLabel = "B", description = "Temporal batch size (default: "
            + EvalConfig.DEFAULT_BATCH_SIZE + ").")
    Integer batch;

    @Option(names = "--seed", paramLabel = "S", description = "Run seed mixed into every negative draw (default: "
            + EvalConfig.DEFAULT_SEED + ").")
    Long seed;

    @Option(names = "--validation", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also score the validation split (default: on).")
    boolean validation;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write one JSON object per result line.")
    Path json;

    @Option(names = "--progress", negatable = true,
            description = "Progress bar on stderr (default: when stderr is a terminal).")
    Boolean progress;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        MemoryModel trained = modelFile == null ? null : loadModel();
        // a model file is named by its parts, so a table of several files says which is which
        String modelName = trained != null ? trained.parts().label() : model.trim().toLowerCase(Locale.ROOT);
        if (trained == null && !MODELS.contains(modelName)) {
            throw new UserInputException("unknown model '" + model + "'; available: " + String.join(", ", MODELS));
        }
        List<NegativeKind> kinds = NameList.parse(negatives, NegativeKind::byName);
        List<EvalSetting> settingList = NameList.parse(settings, EvalSetting::byName);
        EvalConfig config = config();

        LoadedEdges le = source.load(err);
        EdgeStream stream = le.stream();
        if (trained != null && trained.config().edgeFeatureDim() != stream.featureDim()) {
            throw new UserInputException(modelFile + " was trained on " + trained.config().edgeFeatureDim()
                    + " edge features, the data have " + stream.featureDim() + ": evaluate it on data of its kind");
        }
        String datasetName = source.sourceName();
        ChronologicalSplit split = ChronologicalSplit.of(stream);
        err.printf(Locale.ROOT, "tgstream: %s: %,d events, %,d nodes from %s; train/validation/test from event %,d /"
                        + " %,d; %,d nodes masked for the inductive setting%n", datasetName, stream.size(),
                stream.nodeCount(), le.file(), split.firstValidationEvent(), split.firstTestEvent(),
                split.maskedNodeCount());
        err.flush();
        LinkPredictionEvaluator evaluator = new LinkPredictionEvaluator(split, config);

        List<Map<String, Object>> rows = new ArrayList<>();
        int passes = kinds.size() * settingList.size();
        try (ProgressBar bar = progressBar(passes, stream.size())) {
            int pass = 0;
            for (EvalSetting setting : settingList) {
                for (NegativeKind kind : kinds) {
                    EdgeBankMode mode = trained != null ? null : edgeBankMode(datasetName, kind);
                    LinkScorer scorer = trained != null ? new MemoryReplay(trained, stream) : new EdgeBank(mode);
                    final long base = (long) pass * stream.size();
                    EvalResult r = evaluator.evaluate(scorer, setting, kind,
                            bar == null ? null : done -> bar.stepTo(base + done));
                    rows.add(row(datasetName, modelName, mode, config, r));
                    pass++;
                }
            }
        }
        printTable(out, rows, config.mrr());
        if (json != null) writeJson(rows);
        return 0;
    }

    private MemoryModel loadModel() {
        Nd4jRuntime.configure(threads == null ? Nd4jRuntime.DEFAULT_THREADS : threads);
        try {
            return MemoryModelFile.load(modelFile);
        } catch (ModelFileException e) {
            throw new UserInputException(e.getMessage());
        }
    }

    private EvalConfig config() {
        EvalConfig c = EvalConfig.defaults();
        if (batch != null) {
            if (batch < 1) throw new UserInputException("--batch must be >= 1, got " + batch);
            c = c.withBatchSize(batch);
        }
        if (seed != null) c = c.withSeed(seed);
        if (mrrNegatives != null) {
            if (mrrNegatives < 1) throw new UserInputException("--mrr-negatives must be >= 1, got " + mrrNegatives);
            c = new EvalConfig(c.batchSize(), c.seed(), c.mrr(), c.mrrAll(), mrrNegatives, c.validation());
        }
        return c.withMrr(mrr, mrrAll).withValidation(validation);
    }

    private EdgeBankMode edgeBankMode(String datasetName, NegativeKind kind) {
        if (edgeBankMode.equalsIgnoreCase(BEST_MODE)) return EdgeBankMode.dyglibBest(datasetName, kind);
        try {
            return EdgeBankMode.byName(edgeBankMode);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage() + " (or best)");
        }
    }


    private ProgressBar progressBar(int passes, int events) {
        boolean on = progress != null ? progress : System.console() != null;
        if (!on) return null;
        return new ProgressBarBuilder().setTaskName("eval").setInitialMax((long) passes * events)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUnit(" events", 1).build();
    }

    private static Map<String, Object> row(String dataset, String model, EdgeBankMode mode, EvalConfig c, EvalResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", dataset);
        m.put("model", model);
        if (mode != null) m.put("edgebank_mode", mode.cliName());
        m.put("setting", r.setting().cliName());
        m.put("negatives", r.negatives().cliName());
        m.put("batch_size", r.batchSize());
        m.put("seed", c.seed());
        SplitMetrics t = r.test();
        putFinite(m, "ap", t.ap());
        putFinite(m, "auc", t.auc());
        putFinite(m, "global_ap", t.globalAp());
        if (t.hasMrr()) {
            m.put("mrr", t.mrr());
            m.put("hits_at_10", t.hitsAt10());
            m.put("mrr_candidates", c.mrrAll() ? "all" : Integer.toString(c.mrrNegatives()));
        }
        m.put("n_positives", t.positives());
        m.put("n_batches", t.batches());
        SplitMetrics v = r.validation();
        if (v.batches() > 0) {
            putFinite(m, "val_ap", v.ap());
            putFinite(m, "val_auc", v.auc());
            if (v.hasMrr()) m.put("val_mrr", v.mrr());
            m.put("val_n_positives", v.positives());
        }
        m.put("seconds", Math.round(r.seconds() * 1000) / 1000.0);
        return m;
    }

    private static void putFinite(Map<String, Object> m, String key, double v) {
        if (Double.isFinite(v)) m.put(key, v);
    }

    private static void printTable(PrintWriter out, List<Map<String, Object>> rows, boolean withMrr) {
        String head = String.format(Locale.ROOT, "%-12s %-19s %-13s %-12s %-4s %5s %7s %7s %7s", "dataset", "model",
                "mode", "setting", "neg", "B", "AP", "AUC", "gAP");
        if (withMrr) head += String.format(Locale.ROOT, " %7s %7s", "MRR", "Hits@10");
        head += String.format(Locale.ROOT, " %9s %8s", "positives", "seconds");
        out.println(head);
        for (Map<String, Object> r : rows) {
            String line = String.format(Locale.ROOT, "%-12s %-19s %-13s %-12s %-4s %5d %7s %7s %7s", r.get("dataset"),
                    r.get("model"), r.getOrDefault("edgebank_mode", "-"), r.get("setting"), r.get("negatives"), r.get("batch_size"),
                    pct(r.get("ap")), pct(r.get("auc")), pct(r.get("global_ap")));
            if (withMrr) {
                line += String.format(Locale.ROOT, " %7s %7s", pct(r.get("mrr")), pct(r.get("hits_at_10")));
            }
            line += String.format(Locale.ROOT, " %9d %8.2f", r.get("n_positives"), r.get("seconds"));
            out.println(line);
        }
        out.println("Test split; AP and AUC are means over batches of B positives (x100), gAP over all scores.");
        out.flush();
    }

    private static String pct(Object v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.2f", 100 * (Double) v);
    }

    private void writeJson(List<Map<String, Object>> rows) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        try (BufferedWriter w = Files.newBufferedWriter(json, StandardCharsets.UTF_8)) {
            for (Map<String, Object> r : rows) {
                w.write(mapper.writeValueAsString(r));
                w.newLine();
            }
        } catch (IOException e) {
            throw new UserInputException("cannot write " + json + ": " + e.getMessage());
        }
    }
}
