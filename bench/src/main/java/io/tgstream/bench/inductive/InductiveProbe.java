package io.tgstream.bench.inductive;

import io.tgstream.bench.BenchEnvironment;
import io.tgstream.bench.ResultsFolderOption;
import io.tgstream.bench.ResultFiles;
import io.tgstream.data.DataDirectory;
import io.tgstream.data.EdgeStream;
import io.tgstream.data.NamedDataset;
import io.tgstream.eval.ChronologicalSplit;
import io.tgstream.eval.EvalConfig;
import io.tgstream.eval.EvalSetting;
import io.tgstream.eval.LinkPredictionEvaluator;
import io.tgstream.eval.LinkScorer;
import io.tgstream.eval.NegativeKind;
import io.tgstream.model.MemoryModel;
import io.tgstream.model.MemoryModelFile;
import io.tgstream.model.MemoryReplay;
import io.tgstream.nn.Nd4jRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What bounds a model's inductive test AP on a data set: the split's facts ({@link SplitFacts}) and, for a trained
 * model, its test AP (rnd negatives) as it is and with what it may lack added ({@link ProbeScorers}); writes
 * {@code inductive-probe-<dataset>.json} and {@code .md}.
 */
@Command(name = "inductive-probe", mixinStandardHelpOptions = true,
        description = "The split's facts and a model's inductive AP with probes of what it may lack.")
public final class InductiveProbe implements Callable<Integer> {
    @Option(names = "--dataset", description = "Data set (default: ${DEFAULT-VALUE}).")
    String dataset = "uci";

    @Option(names = "--model-file", description = "A trained model (tgstream train) to probe; without it only the "
            + "split's facts are written.")
    Path modelFile;

    @Option(names = "--model-note", description = "How the model was trained, for the page (its file is usually "
            + "not in the repository).")
    String modelNote;

    @Option(names = "--repeat-bonus", split = ",", description = "Bonuses added to the scores of observed pairs "
            + "(default: ${DEFAULT-VALUE}).")
    List<Double> repeatBonuses = List.of(0.05, 0.2, 1.0);

    @Option(names = "--common-neighbour-weight", split = ",", description = "Weights of log(1 + common neighbours) "
            + "added to the scores (default: ${DEFAULT-VALUE}).")
    List<Double> commonNeighbourWeights = List.of(0.02, 0.1);

    @Option(names = "--recency-weight", split = ",", description = "Weights of log(1 + hours since the destination's "
            + "last event), and since each endpoint's, subtracted from the scores (default: ${DEFAULT-VALUE}).")
    List<Double> recencyWeights = List.of(0.01, 0.03);

    @CommandLine.Mixin
    ResultsFolderOption results;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new InductiveProbe()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        NamedDataset d = NamedDataset.byName(dataset);
        EdgeStream stream = d.load(DataDirectory.resolve(null).require(d), false).stream();
        ChronologicalSplit split = ChronologicalSplit.of(stream);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", BenchEnvironment.command(InductiveProbe.class,
                spec.commandLine().getParseResult().originalArgs()));
        json.put("dataset", dataset);
        json.put("mask", SplitFacts.mask(split));
        json.put("newEndpointPriorEvents", SplitFacts.newEndpointHistory(split));
        List<Map<String, Object>> settings = new ArrayList<>();
        for (EvalSetting s : EvalSetting.values()) {
            settings.add(SplitFacts.positivesAndNegatives(split, s));
        }
        json.put("testPositivesAndRandomNegatives", settings);
        if (modelFile != null) {
            Nd4jRuntime.configure(Nd4jRuntime.DEFAULT_THREADS);
            MemoryModel model = MemoryModelFile.load(modelFile);
            json.put("modelFile", modelFile.getFileName().toString());
            if (modelNote != null) {
                json.put("modelNote", modelNote);
            }
            json.put("probes", probes(model, split));
        }
        Path dir = results.folder();
        String file = "inductive-probe-" + dataset;
        ResultFiles.write(dir, file, json, InductiveProbeMarkdown.of(json));
        System.out.println("wrote " + dir.resolve(file + ".json") + " and .md");
        return 0;
    }

    /** Test AP (rnd) transductive and inductive of the model, then of each probe around it. */
    private List<Map<String, Object>> probes(MemoryModel model, ChronologicalSplit split) {
        Map<String, Function<LinkScorer, LinkScorer>> probes = new LinkedHashMap<>();
        probes.put("the model as trained", s -> s);
        probes.put("every event replayed into the state (the masked nodes' training-period events too)",
                s -> ProbeScorers.everyEventReplayed(s, split));
        for (double b : repeatBonuses) {
            probes.put(String.format(Locale.ROOT, "+ %.2f for a pair observed before", b),
                    s -> ProbeScorers.repeatBonus(s, b));
        }
        for (double w : commonNeighbourWeights) {
            probes.put(String.format(Locale.ROOT, "+ %.2f log(1 + common neighbours over all history)", w),
                    s -> ProbeScorers.commonNeighbourBonus(s, w));
        }
        for (double w : recencyWeights) {
            probes.put(String.format(Locale.ROOT, "- %.2f log(1 + hours since the destination's last event)", w),
                    s -> ProbeScorers.recencyPenalty(s, w, false));
            probes.put(String.format(Locale.ROOT, "- %.2f log(1 + hours since each endpoint's last event)", w),
                    s -> ProbeScorers.recencyPenalty(s, w, true));
        }
        // validation is scored first, as tgstream eval does: it batches the state's replay, so the baseline row is
        // the figure eval prints
        LinkPredictionEvaluator evaluator = new LinkPredictionEvaluator(split, EvalConfig.defaults());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map.Entry<String, Function<LinkScorer, LinkScorer>> p : probes.entrySet()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("probe", p.getKey());
            for (EvalSetting s : EvalSetting.values()) {
                LinkScorer scorer = p.getValue().apply(new MemoryReplay(model, split.stream()));
                row.put(s.cliName(), 100 * evaluator.evaluate(scorer, s, NegativeKind.RND, null).test().ap());
            }
            rows.add(row);
            System.out.printf(Locale.ROOT, "%s: transductive %.2f, inductive %.2f%n", p.getKey(),
                    (Double) row.get(EvalSetting.TRANSDUCTIVE.cliName()),
                    (Double) row.get(EvalSetting.INDUCTIVE.cliName()));
        }
        return rows;
    }
}
