package io.tgstream.bench.training;

import io.tgstream.bench.BenchEnvironment;
import io.tgstream.bench.ResultsFolderOption;
import io.tgstream.bench.ResultFiles;
import io.tgstream.data.DataDirectory;
import io.tgstream.data.EdgeStream;
import io.tgstream.data.NamedDataset;
import io.tgstream.eval.ChronologicalSplit;
import io.tgstream.model.MemoryModel;
import io.tgstream.model.MemoryModelConfig;
import io.tgstream.model.ModelParts;
import io.tgstream.model.TimeScale;
import io.tgstream.model.nat.PairScorerConfig;
import io.tgstream.nn.Nd4jRuntime;
import io.tgstream.train.EpochReport;
import io.tgstream.train.MemoryTrainer;
import io.tgstream.train.TrainingConfig;
import io.tgstream.train.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import jdk.jfr.Recording;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Where the time of a training epoch goes, memory-only model against the full model (and full models with narrower
 * time encodings of the entries' ages): times a few epochs of each under a JFR recording of the training thread and
 * breaks them down by {@link EpochPhases}; writes {@code <name>.json} and {@code .md}.
 */
@Command(name = "training-profile", mixinStandardHelpOptions = true,
        description = "Seconds per training epoch and where they go, memory only against the full model.")
public final class TrainingProfile implements Callable<Integer> {
    @Option(names = "--dataset", description = "Data set (default: ${DEFAULT-VALUE}).")
    String dataset = "uci";

    @Option(names = "--batch", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch = 200;

    @Option(names = "--epochs", description = "Timed and profiled epochs per model (default: ${DEFAULT-VALUE}).")
    int epochs = 3;

    @Option(names = "--warmup-epochs", description = "Untimed epochs of each model first (default: ${DEFAULT-VALUE}).")
    int warmupEpochs = 1;

    @Option(names = "--pair-time-dims", split = ",", description = "Widths of the entries' time encoding, one full "
            + "model each (default: the model's default, 16).")
    List<Integer> pairTimeDims = List.of(PairScorerConfig.DEFAULT_TIME_DIM);

    @Option(names = "--max-events", description = "Use only the first N events (smoke runs).")
    Integer maxEvents;

    @Option(names = "--name", description = "Result file name (default: training-profile-<dataset>).")
    String name;

    @CommandLine.Mixin
    ResultsFolderOption results;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new TrainingProfile()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Nd4jRuntime.configure(Nd4jRuntime.DEFAULT_THREADS);
        Map<String, Object> env = BenchEnvironment.describe();
        NamedDataset d = NamedDataset.byName(dataset);
        EdgeStream stream = TrainingBench.truncate(d.load(DataDirectory.resolve(null).require(d), false).stream(),
                maxEvents);
        ChronologicalSplit split = ChronologicalSplit.of(stream);
        double scale = TimeScale.of(stream, MemoryTrainer.trainingEvents(split));
        MemoryModelConfig mc = MemoryModelConfig.defaults(stream.featureDim(), scale);
        List<Map<String, Object>> runs = new ArrayList<>();
        runs.add(profile("memory", () -> new MemoryModel(mc, DataType.FLOAT), split));
        for (int timeDim : pairTimeDims) {
            ModelParts full = ModelParts.withDictionaries(true, mc.memoryDim(), mc.seed());
            ModelParts parts = full.withScorer(full.scorer().withTimeDim(timeDim));
            runs.add(profile("memory+dictionaries, time encoding " + timeDim,
                    () -> new MemoryModel(mc, parts, DataType.FLOAT), split));
        }
        String command = BenchEnvironment.command(TrainingProfile.class,
                spec.commandLine().getParseResult().originalArgs());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", command);
        json.put("dataset", dataset);
        json.put("batch", batch);
        json.put("environmentAtStart", env);
        json.put("uptimeAtEnd", BenchEnvironment.uptime());
        json.put("runs", runs);
        Path dir = results.folder();
        String file = name != null ? name : "training-profile-" + dataset;
        ResultFiles.write(dir, file, json, markdown(runs, env.get("uptime").toString(), command));
        System.out.println("wrote " + dir.resolve(file + ".json") + " and .md");
        return 0;
    }

    /** Warm-up epochs, then the timed epochs under a recording of this thread, and their breakdown. */
    private Map<String, Object> profile(String label, Supplier<MemoryModel> models, ChronologicalSplit split)
            throws Exception {
        if (warmupEpochs > 0) {
            new MemoryTrainer(models.get(), split, config(warmupEpochs), new TrainingListener() { }).train();
        }
        Path jfr = Files.createTempFile(BenchEnvironment.workDir(), "training-profile", ".jfr");
        MemoryTrainer.Result r;
        try (Recording recording = new Recording()) {
            recording.enable(EpochPhases.EXECUTION).withPeriod(Duration.ofMillis(EpochPhases.EXECUTION_PERIOD_MS));
            recording.enable(EpochPhases.NATIVE).withPeriod(Duration.ofMillis(EpochPhases.NATIVE_PERIOD_MS));
            recording.setToDisk(true);
            recording.setDestination(jfr);
            recording.start();
            r = new MemoryTrainer(models.get(), split, config(epochs), new TrainingListener() { }).train();
            recording.stop();
        }
        List<EpochPhases.Row> phases = EpochPhases.analyse(jfr, Thread.currentThread().getId());
        Files.deleteIfExists(jfr);
        double seconds = r.epochs().stream().mapToDouble(EpochReport::trainSeconds).average().orElse(0);
        double cpu = r.epochs().stream().mapToDouble(EpochReport::trainCpuSeconds).average().orElse(0);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("model", label);
        run.put("epochs", r.epochs().size());
        run.put("secondsPerEpoch", seconds);
        run.put("cpuSecondsPerEpoch", cpu);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (EpochPhases.Row p : phases) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("depth", p.depth());
            row.put("phase", p.label());
            row.put("share", p.share());
            row.put("secondsPerEpoch", p.share() * seconds);
            row.put("sampleMillis", p.weight());
            rows.add(row);
        }
        run.put("phases", rows);
        System.out.printf(Locale.ROOT, "%s: %.2f s/epoch (cpu %.2f s), %d ms of samples%n", label, seconds, cpu,
                phases.isEmpty() ? 0 : phases.get(0).weight());
        return run;
    }

    private TrainingConfig config(int n) {
        return TrainingConfig.defaults().withBatchSize(batch).withEpochs(n).withPatience(n + 1);
    }

    @SuppressWarnings("unchecked")
    private String markdown(List<Map<String, Object>> runs, String load, String command) {
        StringBuilder s = new StringBuilder("# Where a training epoch goes: " + dataset + ", B = " + batch + "\n\n");
        s.append("Default config, FLOAT, ND4J 1 thread, PRES off; ").append(warmupEpochs).append(" untimed warm-up "
                + "epoch(s) per model, then ").append(epochs).append(" timed epochs under a JFR recording of the "
                + "training thread (Java samples every ").append(EpochPhases.EXECUTION_PERIOD_MS).append(" ms, "
                + "native samples, where ND4J and OpenBLAS run, every ").append(EpochPhases.NATIVE_PERIOD_MS)
                .append(" ms, weighted by their periods). A phase counts every sample under it; seconds are its "
                + "share of the epoch's samples times the mean epoch time. Validation is not in these figures.\n\n");
        s.append("| model | s / epoch | cpu s / epoch | over memory only |\n|---|---:|---:|---:|\n");
        double memory = (Double) runs.get(0).get("secondsPerEpoch");
        for (Map<String, Object> run : runs) {
            double sec = (Double) run.get("secondsPerEpoch");
            s.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f |%n", run.get("model"), sec,
                    (Double) run.get("cpuSecondsPerEpoch"), sec / memory));
        }
        for (Map<String, Object> run : runs) {
            s.append("\n## ").append(run.get("model")).append("\n\n| phase | share | s / epoch |\n|---|---:|---:|\n");
            for (Map<String, Object> row : (List<Map<String, Object>>) run.get("phases")) {
                int depth = (Integer) row.get("depth");
                s.append(String.format(Locale.ROOT, "| %s%s | %.1f %% | %.2f |%n",
                        "&nbsp;&nbsp;".repeat(2 * depth), row.get("phase"), 100 * (Double) row.get("share"),
                        (Double) row.get("secondsPerEpoch")));
            }
        }
        s.append("\nLoad (`uptime`) at start: ").append(load).append("  \nat end: ").append(BenchEnvironment.uptime());
        s.append("\n\nCommand: `").append(command).append("`\n");
        return s.toString();
    }
}
