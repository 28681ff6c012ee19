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
import io.tgstream.nn.Nd4jRuntime;
import io.tgstream.train.EpochReport;
import io.tgstream.train.MemoryTrainer;
import io.tgstream.train.TrainingConfig;
import io.tgstream.train.TrainingListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Seconds per training epoch (the trainer's own clock: training pass only, validation timed apart) for each data set
 * x batch size x PRES on/off x model (memory only; memory + NAT dictionaries), and the full model's cost over memory
 * only measured back to back; writes {@code bench-training.json} and {@code .md}.
 */
@Command(name = "bench-training", mixinStandardHelpOptions = true,
        description = "Seconds per training epoch: data sets x batch sizes x PRES on/off x models.")
public final class TrainingBench implements Callable<Integer> {
    public static final String RESULT_NAME = "bench-training";
    static final String MEMORY = "memory";
    static final String FULL = "memory+dictionaries";

    @Option(names = "--datasets", split = ",", description = "Data sets (default: uci,wikipedia).")
    List<String> datasets = List.of("uci", "wikipedia");

    @Option(names = "--batch", split = ",", description = "Batch sizes (default: 200,2000).")
    List<Integer> batches = List.of(200, 2000);

    @Option(names = "--epochs", description = "Epochs per configuration; the table gives the mean (default: "
            + "${DEFAULT-VALUE}).")
    int epochs = 1;

    @Option(names = "--warmup-epochs", description = "Untimed epochs of the first configuration of each data set "
            + "before any is timed, so that JIT warm-up does not land on whichever runs first (default: "
            + "${DEFAULT-VALUE}).")
    int warmupEpochs = 1;

    @Option(names = "--models", split = ",", description = "memory (part 1's memory-only model) and/or "
            + "memory+dictionaries (the full model of MODEL.md section 4) (default: both).")
    List<String> models = List.of(MEMORY, FULL);

    @Option(names = "--max-events", description = "Use only the first N events of each data set (smoke runs).")
    Integer maxEvents;

    @CommandLine.Mixin
    ResultsFolderOption results;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new TrainingBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Nd4jRuntime.configure(Nd4jRuntime.DEFAULT_THREADS);
        Map<String, Object> env = BenchEnvironment.describe();
        List<Map<String, Object>> rows = new ArrayList<>();
        DataDirectory data = DataDirectory.resolve(null);
        for (String name : datasets) {
            NamedDataset d = NamedDataset.byName(name);
            EdgeStream stream = truncate(d.load(data.require(d), false).stream(), maxEvents);
            ChronologicalSplit split = ChronologicalSplit.of(stream);
            double scale = TimeScale.of(stream, MemoryTrainer.trainingEvents(split));
            if (warmupEpochs > 0) {
                for (String m : models) {
                    new MemoryTrainer(model(m, stream, scale, false), split, TrainingConfig.defaults()
                            .withBatchSize(batches.get(0)).withEpochs(warmupEpochs).withPatience(warmupEpochs + 1),
                            new TrainingListener() { }).train();
                }
            }
            for (int b : batches) {
                for (boolean pres : new boolean[] {false, true}) {
                    for (String m : models) {
                        TrainingConfig tc = TrainingConfig.defaults().withBatchSize(b).withEpochs(epochs)
                                .withPatience(epochs + 1);
                        String load = BenchEnvironment.uptime();
                        MemoryTrainer.Result r = new MemoryTrainer(model(m, stream, scale, pres), split, tc,
                                new TrainingListener() { }).train();
                        double train = r.epochs().stream().mapToDouble(EpochReport::trainSeconds).average()
                                .orElse(0);
                        double cpu = r.epochs().stream().mapToDouble(EpochReport::trainCpuSeconds).average()
                                .orElse(0);
                        double fastest = r.epochs().stream().mapToDouble(EpochReport::trainSeconds).min().orElse(0);
                        double val = r.epochs().stream().mapToDouble(EpochReport::validationSeconds).average()
                                .orElse(0);
                        int events = MemoryTrainer.trainingEvents(split).length;
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("dataset", name);
                        row.put("batch", b);
                        row.put("pres", pres);
                        row.put("model", m);
                        row.put("trainingEvents", events);
                        row.put("epochs", r.epochs().size());
                        row.put("secondsPerEpoch", train);
                        row.put("cpuSecondsPerEpoch", cpu);
                        row.put("fastestEpochSeconds", fastest);
                        row.put("trainingEventsPerSecond", events / train);
                        row.put("validationSecondsPerEpoch", val);
                        row.put("uptimeBefore", load);
                        rows.add(row);
                        System.out.printf(Locale.ROOT, "%s B=%d PRES %s %s: %.2f s/epoch (cpu %.2f s, %,.0f "
                                + "events/s), validation %.2f s%n", name, b, pres ? "on" : "off", m, train, cpu,
                                events / train, val);
                    }
                }
            }
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", BenchEnvironment.command(TrainingBench.class,
                spec.commandLine().getParseResult().originalArgs()));
        json.put("environmentAtStart", env);
        json.put("uptimeAtEnd", BenchEnvironment.uptime());
        json.put("results", rows);
        Path dir = results.folder();
        ResultFiles.write(dir, RESULT_NAME, json, markdown(rows, env.get("uptime").toString(), json.get("command")));
        System.out.println("wrote " + dir.resolve(RESULT_NAME + ".json") + " and .md");
        return 0;
    }

    /** A freshly initialised model of the named kind with the default config. */
    private static MemoryModel model(String kind, EdgeStream stream, double scale, boolean pres) {
        MemoryModelConfig mc = MemoryModelConfig.defaults(stream.featureDim(), scale).withPres(pres);
        return switch (kind) {
            case MEMORY -> new MemoryModel(mc, DataType.FLOAT);
            case FULL -> new MemoryModel(mc, ModelParts.withDictionaries(true, mc.memoryDim(), mc.seed()),
                    DataType.FLOAT);
            default -> throw new CommandLine.ParameterException(new CommandLine(new TrainingBench()),
                    "--models: unknown model '" + kind + "'; use " + MEMORY + " and/or " + FULL);
        };
    }

    /** The first {@code maxEvents} events of a stream (all of them when null). */
    static EdgeStream truncate(EdgeStream s, Integer maxEvents) {
        if (maxEvents == null || maxEvents >= s.size()) {
            return s;
        }
        EdgeStream.Builder b = EdgeStream.builder(s.name(), s.timeUnit(), s.featureDim());
        float[] f = new float[s.featureDim()];
        for (int e = 0; e < maxEvents; e++) {
            s.copyFeatures(e, f, 0);
            b.add(s.nodeId(s.src(e)), s.nodeId(s.dst(e)), s.timestamp(e), f, s.label(e), s.sign(e));
        }
        return b.build();
    }

    private static String markdown(List<Map<String, Object>> rows, String load, Object command) {
        StringBuilder s = new StringBuilder("# Training benchmark\n\n");
        s.append("Seconds per training epoch (forward, backward, Adam over the observed training events; validation "
                + "timed apart), default config (d = 100, time projection; PRES on = fuse, gamma 0.9; the full model "
                + "adds NAT's dictionaries, M1 = 32, M2 = 16, and the pair scorer), FLOAT, ND4J 1 thread; one "
                + "untimed warm-up epoch per data set and model first. Wall and training-thread CPU time on a "
                + "shared machine: read them beside the load.\n\n");
        s.append("| data set | B | PRES | model | training events | s / epoch (mean) | cpu s / epoch | fastest epoch s "
                + "| events / s (mean) | validation s | load before |\n");
        s.append("|---|---:|---|---|---:|---:|---:|---:|---:|---:|---|\n");
        for (Map<String, Object> r : rows) {
            String before = r.get("uptimeBefore").toString();
            s.append(String.format(Locale.ROOT,
                    "| %s | %d | %s | %s | %,d | %.2f | %.2f | %.2f | %,.0f | %.2f | %s |%n",
                    r.get("dataset"), (Integer) r.get("batch"), (Boolean) r.get("pres") ? "on" : "off",
                    r.get("model"), (Integer) r.get("trainingEvents"), (Double) r.get("secondsPerEpoch"),
                    (Double) r.get("cpuSecondsPerEpoch"), (Double) r.get("fastestEpochSeconds"),
                    (Double) r.get("trainingEventsPerSecond"), (Double) r.get("validationSecondsPerEpoch"),
                    before.substring(Math.max(0, before.indexOf("load average")))));
        }
        StringBuilder ratios = new StringBuilder();
        for (Map<String, Object> full : rows) {
            if (!FULL.equals(full.get("model"))) {
                continue;
            }
            for (Map<String, Object> mem : rows) {
                if (MEMORY.equals(mem.get("model")) && mem.get("dataset").equals(full.get("dataset"))
                        && mem.get("batch").equals(full.get("batch")) && mem.get("pres").equals(full.get("pres"))) {
                    ratios.append(String.format(Locale.ROOT, "| %s | %d | %s | %.2f | %.2f |%n", full.get("dataset"),
                            (Integer) full.get("batch"), (Boolean) full.get("pres") ? "on" : "off",
                            (Double) full.get("secondsPerEpoch") / (Double) mem.get("secondsPerEpoch"),
                            (Double) full.get("cpuSecondsPerEpoch") / (Double) mem.get("cpuSecondsPerEpoch")));
                }
            }
        }
        if (ratios.length() > 0) {
            s.append("\nThe full model's epoch over the memory-only model's, same data set, B and PRES, run back to "
                    + "back (issue 5 asks for at most 1.5):\n\n| data set | B | PRES | wall ratio | cpu ratio |\n"
                    + "|---|---:|---|---:|---:|\n").append(ratios);
        }
        s.append("\nLoad (`uptime`) at start: ").append(load).append("  \nat end: ").append(BenchEnvironment.uptime());
        s.append("\n\nCommand: `").append(command).append("`\n");
        return s.toString();
    }
}
