package io.tgstream.bench.e2e;

import io.tgstream.bench.BenchEnvironment;
import io.tgstream.bench.ResultsFolderOption;
import io.tgstream.bench.ResultFiles;
import io.tgstream.bench.SyntheticStream;
import io.tgstream.bench.kernels.NodeStateKernel;
import io.tgstream.connectors.broker.EmbeddedKafkaBroker;
import io.tgstream.data.DataDirectory;
import io.tgstream.data.EdgeStream;
import io.tgstream.data.NamedDataset;
import io.tgstream.jobs.JobConfig;
import io.tgstream.model.EmbeddingKind;
import io.tgstream.model.MemoryModel;
import io.tgstream.model.MemoryModelConfig;
import io.tgstream.model.MemoryModelFile;
import io.tgstream.model.TimeScale;
import io.tgstream.nn.Nd4jRuntime;
import io.tgstream.state.NodeStateSerializer;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.apache.flink.core.execution.JobClient;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The end-to-end benchmark: per data set, in one run against one in-process broker, (a) Kafka alone (produce; copy
 * topic to topic), (b) a Flink pass-through job with a node record's worth of RocksDB state per endpoint, (c)
 * tgstream's job; events/s of each and the ratios, CPU per thread and a JFR breakdown of (c), the largest checkpoint
 * per node, the feedback queue's peak, and event latency at (c)'s full rate and at half of it. Writes
 * {@code bench-e2e.json} and {@code bench-e2e.md}.
 */
@Command(name = "bench-e2e", mixinStandardHelpOptions = true, sortOptions = false,
        description = "End-to-end throughput and latency: Kafka alone, a Flink pass-through job, tgstream's job.")
public final class EndToEndBench implements Callable<Integer> {
    public static final String RESULT_NAME = "bench-e2e";
    static final String SYNTHETIC = "synthetic";

    @Option(names = "--datasets", split = ",", description = "wikipedia and/or synthetic (default: both).")
    List<String> datasets = List.of("wikipedia", SYNTHETIC);

    @Option(names = "--max-events", description = "Use at most N events of a named data set (default: all).")
    Integer maxEvents;

    @Option(names = "--synthetic-events", description = "Events of the synthetic stream (default: ${DEFAULT-VALUE}).")
    int syntheticEvents = 2_000_000;

    @Option(names = "--synthetic-nodes", description = "Nodes of the synthetic stream (default: ${DEFAULT-VALUE}).")
    int syntheticNodes = 1_000_000;

    @Option(names = "--batch", description = "Batch size B of the job (default: ${DEFAULT-VALUE}).")
    int batch = 2000;

    @Option(names = "--parallelism", description = "Parallelism of the keyed parts (default: ${DEFAULT-VALUE}).")
    int parallelism = 2;

    @Option(names = "--checkpoint-ms", description = "Checkpoint interval (default: ${DEFAULT-VALUE}).")
    long checkpointMs = JobConfig.DEFAULT_CHECKPOINT_INTERVAL_MS;

    @Option(names = "--latency-seconds", description = "Length of each latency run; 0 skips them (default: "
            + "${DEFAULT-VALUE}).")
    double latencySeconds = 20;

    @Option(names = "--latency-datasets", split = ",", description = "Data sets that get latency runs (default: "
            + "wikipedia).")
    List<String> latencyDatasets = List.of("wikipedia");

    @Option(names = "--warmup-runs", description = "Untimed runs of (b) and (c) on the same input before the timed "
            + "ones, in the same JVM, so that the timed runs see JIT-compiled code as a long-running job does "
            + "(default: ${DEFAULT-VALUE}: the timed runs start cold).")
    int warmupRuns = 0;

    @Option(names = "--profile", arity = "1", paramLabel = "true|false",
            description = "JFR method profile of (c) on the first data set (default: ${DEFAULT-VALUE}).")
    boolean profile = true;

    @CommandLine.Mixin
    ResultsFolderOption results;

    @Option(names = "--name", description = "Result file name (default: ${DEFAULT-VALUE}).")
    String name = RESULT_NAME;

    private Path runDir;

    public static void main(String[] args) {
        System.exit(new CommandLine(new EndToEndBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (batch < 1 || parallelism < 1 || syntheticEvents < 1 || syntheticNodes < 2) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--batch, --parallelism, --synthetic-events must be >= 1 and --synthetic-nodes >= 2");
        }
        Nd4jRuntime.configure(Nd4jRuntime.DEFAULT_THREADS);
        runDir = BenchEnvironment.workDir().toAbsolutePath().resolve("e2e-" + System.currentTimeMillis());
        Files.createDirectories(runDir);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", BenchEnvironment.command(EndToEndBench.class,
                spec.commandLine().getParseResult().originalArgs()));
        json.put("environmentAtStart", BenchEnvironment.describe());
        json.put("settings", Map.of("batch", batch, "parallelism", parallelism, "checkpointMs", checkpointMs,
                "warmupRuns", warmupRuns,
                "latencySeconds", latencySeconds, "model", "default config (d = 100, time projection, PRES off), "
                        + "randomly initialised (the work per event does not depend on the weights)"));
        List<Map<String, Object>> runs = new ArrayList<>();
        boolean profiled = false;
        for (String d : datasets) {
            EdgeStream stream = load(d);
            System.out.printf(Locale.ROOT, "%s: %,d events, %,d nodes%n", d, stream.size(), stream.nodeCount());
            runs.add(runDataset(d, stream, profile && !profiled, latencyDatasets.contains(d) && latencySeconds > 0));
            profiled = true;
        }
        json.put("runs", runs);
        json.put("uptimeAtEnd", BenchEnvironment.uptime());
        Path dir = results.folder();
        ResultFiles.write(dir, name, json, E2eMarkdown.render(json));
        System.out.println("wrote " + dir.resolve(name + ".json") + " and .md");
        return 0;
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private EdgeStream load(String d) {
        if (d.equals(SYNTHETIC)) {
            return SyntheticStream.generate(syntheticEvents, syntheticNodes, 0, 1);
        }
        NamedDataset named = NamedDataset.byName(d);
        EdgeStream s = named.load(DataDirectory.resolve(null).require(named), false).stream();
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

    private Map<String, Object> runDataset(String d, EdgeStream stream, boolean jfr, boolean latency) throws Exception {
        int n = stream.size();
        Path dir = runDir.resolve(d);
        Files.createDirectories(dir);
        MemoryModelConfig mc = MemoryModelConfig.defaults(stream.featureDim(),
                TimeScale.of(stream, IntStream.range(0, (int) (n * 0.7)).toArray()));
        Path modelFile = dir.resolve("model.tgm");
        MemoryModelFile.save(new MemoryModel(mc, DataType.FLOAT), modelFile);
        int recordBytes = NodeStateSerializer.serializedSize(NodeStateKernel.fullRecord(mc.pres(),
                mc.embedding() == EmbeddingKind.RECENT_PARTNERS ? mc.recentPartners() : 0));
        InputTopic in = new InputTopic(stream, n);

        Map<String, Object> r = new LinkedHashMap<>();
        r.put("dataset", d);
        r.put("events", n);
        r.put("nodes", stream.nodeCount());
        r.put("inputBytesPerEvent", (double) in.bytes() / n);
        r.put("nodeRecordBytes", recordBytes);
        try (EmbeddedKafkaBroker broker = quietBroker(dir.resolve("kafka"))) {
            String servers = broker.bootstrapServers();
            InputTopic.create(broker, "in", "a-out", "b-out", "c-scores");

            r.put("uptimeBeforeA", BenchEnvironment.uptime());
            double produce = in.produce(servers, "in", n, 0, null);
            double copy = KafkaCopy.copy(servers, "in", "a-out", n);
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("produceEventsPerSecond", n / produce);
            a.put("copyEventsPerSecond", n / copy);
            r.put("a_kafka", a);
            System.out.printf(Locale.ROOT, "(a) produce %,.0f/s, consume+produce %,.0f/s%n", n / produce, n / copy);

            JobConfig c = tgstreamJob(servers, "c-scores", modelFile.toString(), dir.resolve("checkpoints-c"),
                    "bench-c");

            for (int w = 0; w < warmupRuns; w++) {
                warmUp(broker, c, recordBytes, dir, w);
            }
            r.put("warmupRuns", warmupRuns);

            r.put("uptimeBeforeB", BenchEnvironment.uptime());
            long t0 = System.nanoTime();
            double passWall;
            Map<String, Object> passCpu = new LinkedHashMap<>();
            try (ThreadCpuSampler sampler = new ThreadCpuSampler()) {
                JobClient pass = PassThroughJob.start(FlinkRun.configuration(c), servers, "in", "b-out", parallelism,
                        recordBytes, "bench-b");
                pass.getJobExecutionResult().get();
                passWall = (System.nanoTime() - t0) / 1e9;
                sampler.close();
                passCpu.put("processCpuSeconds", sampler.processCpuSeconds());
                passCpu.put("processCpuMicrosPerEvent", sampler.processCpuSeconds() * 1e6 / n);
                passCpu.put("runQueueWaitSeconds", sampler.runQueueWaitSeconds());
                passCpu.put("cpuSecondsByThread", sampler.byThread(0.5));
            }
            TopicScan bOut = TopicScan.scan(servers, "b-out", n, null);
            Map<String, Object> b = throughput(n, passWall, bOut);
            b.put("cpu", passCpu);
            r.put("b_passThrough", b);
            System.out.printf(Locale.ROOT, "(b) %,.0f/s steady, %,.0f/s wall%n", bOut.appendRate(), n / passWall);

            r.put("uptimeBeforeC", BenchEnvironment.uptime());
            PeakGaugeReporter.reset();
            Recording recording = null;
            if (jfr) {
                recording = new Recording(Configuration.getConfiguration("profile"));
                recording.start();
            }
            Map<String, Object> cpu;
            long checkpointBytes;
            double jobWall;
            try (ThreadCpuSampler sampler = new ThreadCpuSampler();
                 CheckpointSizeSampler chk = new CheckpointSizeSampler(dir.resolve("checkpoints-c"))) {
                t0 = System.nanoTime();
                FlinkRun.startTgstream(c).getJobExecutionResult().get();
                jobWall = (System.nanoTime() - t0) / 1e9;
                sampler.close();
                chk.close();
                checkpointBytes = chk.largestBytes();
                cpu = new LinkedHashMap<>();
                cpu.put("processCpuSeconds", sampler.processCpuSeconds());
                cpu.put("processCpuMicrosPerEvent", sampler.processCpuSeconds() * 1e6 / n);
                cpu.put("wallSeconds", sampler.wallSeconds());
                cpu.put("coresBusy", sampler.processCpuSeconds() / sampler.wallSeconds());
                cpu.put("cpuSecondsByThread", sampler.byThread(0.5));
                cpu.put("cpuSecondsByOsThread", sampler.byOsThread(0.5));
                cpu.put("runQueueWaitSeconds", sampler.runQueueWaitSeconds());
                cpu.put("runQueueWaitSecondsByOsThread", sampler.runQueueWaitByOsThread(0.5));
            }
            long peak = PeakGaugeReporter.peak(PeakGaugeReporter.FEEDBACK_PEAK_GAUGE);
            TopicScan scores = TopicScan.scan(servers, "c-scores", n, null);
            Map<String, Object> job = throughput(n, jobWall, scores);
            job.put("feedbackQueuePeakLength", peak);
            job.put("largestCheckpointBytes", checkpointBytes);
            job.put("checkpointBytesPerNode", (double) checkpointBytes / stream.nodeCount());
            job.put("cpu", cpu);
            if (recording != null) {
                recording.stop();
                Path jfrFile = dir.resolve("tgstream-job.jfr");
                recording.dump(jfrFile);
                recording.close();
                job.put("jfrFile", jfrFile.toString());
                job.put("jfrBreakdown", JfrBreakdown.analyse(jfrFile, 10));
            }
            r.put("c_tgstream", job);
            System.out.printf(Locale.ROOT, "(c) %,.0f/s steady, %,.0f/s wall, %d scores%n", scores.appendRate(),
                    n / jobWall, scores.count);

            Map<String, Object> ratios = new LinkedHashMap<>();
            ratios.put("c_over_a_copy", scores.appendRate() / (n / copy));
            ratios.put("c_over_b_steady", scores.appendRate() / bOut.appendRate());
            ratios.put("c_over_b_wall", passWall / jobWall);
            r.put("ratios", ratios);

            if (latency) {
                double full = scores.appendRate();
                List<Map<String, Object>> lat = new ArrayList<>();
                for (double f : new double[] {1.0, 0.5}) {
                    r.put("uptimeBeforeLatency" + (f == 1.0 ? "Full" : "Half"), BenchEnvironment.uptime());
                    Map<String, Object> l = LatencyRun.run(broker, in, c.withCheckpoints(checkpointMs,
                                    dir.resolve("checkpoints-lat-" + f).toUri().toString()),
                            d + "-" + (f == 1.0 ? "full" : "half"), f * full, latencySeconds);
                    l.put("fractionOfFullRate", f);
                    lat.add(l);
                    System.out.printf(Locale.ROOT, "latency at %.0f/s: %s%n", f * full, l.get("latencyCommittedMs"));
                }
                r.put("latency", lat);
            }
            r.put("uptimeAtEnd", BenchEnvironment.uptime());
        }
        return r;
    }

    /**
     * One untimed run of (b) and of (c) on the input topic, into topics of their own, with their own transactional
     * ids and checkpoint folders: the timed runs then meet JIT-compiled code, as a job that has been running does.
     */
    private void warmUp(EmbeddedKafkaBroker broker, JobConfig timed, int recordBytes, Path dir, int w)
            throws Exception {
        String servers = broker.bootstrapServers();
        String bOut = "warm-" + w + "-b-out";
        String cOut = "warm-" + w + "-c-scores";
        InputTopic.create(broker, bOut, cOut);
        long t0 = System.nanoTime();
        JobConfig c = tgstreamJob(servers, cOut, timed.model(), dir.resolve("checkpoints-warm-" + w),
                "bench-warm-" + w + "-c");
        PassThroughJob.start(FlinkRun.configuration(c), servers, c.inputTopic(), bOut, parallelism, recordBytes,
                "bench-warm-" + w + "-b").getJobExecutionResult().get();
        double b = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        FlinkRun.startTgstream(c).getJobExecutionResult().get();
        System.out.printf(Locale.ROOT, "warm-up run %d: (b) %.1f s, (c) %.1f s (untimed)%n", w + 1, b,
                (System.nanoTime() - t0) / 1e9);
    }

    /** (c)'s job on the input topic "in": this run's B, parallelism and checkpoint interval, bounded. */
    private JobConfig tgstreamJob(String servers, String scoresTopic, String model, Path checkpoints,
                                  String transactionalIdPrefix) {
        return JobConfig.of(servers, "in", scoresTopic, model).withBatchSize(batch).withParallelism(parallelism)
                .withBounded(true).withCheckpoints(checkpointMs, checkpoints.toUri().toString())
                .withTransactionalIdPrefix(transactionalIdPrefix);
    }

    private static Map<String, Object> throughput(int n, double wall, TopicScan out) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("outputRecords", out.count);
        m.put("wallSeconds", wall);
        m.put("eventsPerSecondWall", n / wall);
        m.put("eventsPerSecondSteady", out.appendRate());
        return m;
    }

    /** Starts the broker with stdout muted: Kafka's storage formatter prints its bootstrap records there. */
    private static EmbeddedKafkaBroker quietBroker(Path dir) {
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            return EmbeddedKafkaBroker.start(dir);
        } finally {
            System.setOut(stdout);
        }
    }
}
