package io.tgstream.cli;

import io.tgstream.connectors.EdgeEventPublisher;
import io.tgstream.connectors.broker.EmbeddedKafkaBroker;
import io.tgstream.connectors.broker.KafkaTopicReader;
import io.tgstream.connectors.records.ScoreRecord;
import io.tgstream.data.EdgeStream;
import io.tgstream.eval.ChronologicalSplit;
import io.tgstream.eval.EvalConfig;
import io.tgstream.eval.EvalResult;
import io.tgstream.eval.EvalSetting;
import io.tgstream.eval.LinkPredictionEvaluator;
import io.tgstream.eval.NegativeKind;
import io.tgstream.jobs.JobConfig;
import io.tgstream.jobs.StreamJob;
import io.tgstream.model.MemoryModel;
import io.tgstream.model.MemoryModelConfig;
import io.tgstream.model.MemoryModelFile;
import io.tgstream.model.MemoryReplay;
import io.tgstream.model.TimeScale;
import io.tgstream.nn.Nd4jRuntime;
import io.tgstream.train.MemoryTrainer;
import io.tgstream.train.TrainingConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tgstream demo}: the whole system in one process: trains a model on a shipped data set (or loads one), starts
 * an in-process Kafka broker, replays the data set through Kafka -> the streaming job on a Flink MiniCluster with
 * RocksDB state -> Kafka, and ends with a metrics summary, including how far the streamed scores are from the offline
 * model's for the same events (they should agree to float precision).
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train, then stream a data set through in-process Kafka and Flink, and summarise what happened.")
final class DemoCommand implements Callable<Integer> {
    /** The data set the repository ships, used when neither --dataset nor --data is given. */
    static final String DEFAULT_DATASET = "uci";
    static final int DEFAULT_EPOCHS = 3;

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

    @Option(names = "--max-events", paramLabel = "N", description = "Stream only the first N events (default: all).")
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

        EdgeStream stream = source.load(err).stream();
        ChronologicalSplit split = ChronologicalSplit.of(stream);
        MemoryModel model = modelFile != null ? loadModel() : train(out, split, b, bars, dir);
        Path modelPath = modelFile != null ? modelFile : dir.resolve("model.tgm");
        int n = maxEvents == null ? stream.size() : Math.min(maxEvents, stream.size());

        out.printf(Locale.ROOT, "streaming %,d events of %s through Kafka -> Flink (parallelism %d, RocksDB, batch %d)%n",
                n, source.sourceName(), parallelism, b);
        out.flush();
        long start = System.nanoTime();
        List<ScoreRecord> scores;
        try (EmbeddedKafkaBroker broker = quietly(() -> EmbeddedKafkaBroker.start(dir.resolve("kafka")))) {
            String servers = broker.bootstrapServers();
            broker.createTopic("events", 1);
            broker.createTopic("scores", 1);
            broker.createCompactedTopic("embeddings", 1);
            broker.createTopic("dead-letters", 1);
            try (EdgeEventPublisher publisher = new EdgeEventPublisher(servers, "events")) {
                for (int e = 0; e < n; e++) {
                    publisher.send(stream.event(e));
                }
            }
            JobConfig config = JobConfig.of(servers, "events", "scores", modelPath.toString())
                    .withTopics("embeddings", "dead-letters").withBatchSize(b).withParallelism(parallelism)
                    .withBounded(true).withCheckpoints(1000, dir.resolve("checkpoints").toUri().toString());
            AtomicBoolean done = new AtomicBoolean();
            AtomicLong seen = new AtomicLong();
            Thread watcher = new Thread(() -> watch(servers, n, done, seen, bars), "demo-progress");
            watcher.setDaemon(true);
            watcher.start();
            StreamJob.runLocal(config);
            done.set(true);
            watcher.join(5000);
            scores = new KafkaTopicReader(servers).readCommitted("scores").stream()
                    .map(r -> ScoreRecord.fromKafka(r.key(), r.value())).toList();
            long deadLetters = new KafkaTopicReader(servers).readCommitted("dead-letters").size();
            double seconds = (System.nanoTime() - start) / 1e9;
            summarise(out, stream, model, b, n, scores, deadLetters, seconds, split);
        }
        out.println("work directory (broker data, checkpoints, model): " + dir);
        return 0;
    }

    /** Runs {@code start} with System.out muted: Kafka's storage formatter prints its bootstrap records there. */
    private static <T> T quietly(Callable<T> start) throws Exception {
        java.io.PrintStream stdout = System.out;
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        try {
            return start.call();
        } finally {
            System.setOut(stdout);
        }
    }

    private MemoryModel loadModel() {
        try {
            return MemoryModelFile.load(modelFile);
        } catch (java.io.IOException e) {
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

    /** Counts committed scores as they appear, for the progress bar. */
    private static void watch(String servers, int total, AtomicBoolean done, AtomicLong seen, boolean bars) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "tgstream-demo-progress");
        long start = System.nanoTime();
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
             ProgressBar bar = bars ? new ProgressBarBuilder().setTaskName("stream").setInitialMax(total)
                     .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUnit(" events", 1).build() : null) {
            consumer.subscribe(List.of("scores"));
            while (!done.get() && seen.get() < total) {
                for (ConsumerRecord<byte[], byte[]> ignored : consumer.poll(Duration.ofMillis(200))) {
                    seen.incrementAndGet();
                }
                if (bar != null) {
                    bar.stepTo(seen.get());
                    double s = (System.nanoTime() - start) / 1e9;
                    bar.setExtraMessage(String.format(Locale.ROOT, "%.0f events/s", s > 0 ? seen.get() / s : 0));
                }
            }
        } catch (RuntimeException e) {
            // progress is cosmetic: the job's own outcome decides the demo
        }
    }

    private static void summarise(PrintWriter out, EdgeStream stream, MemoryModel model, int b, int n,
                                  List<ScoreRecord> scores, long deadLetters, double seconds,
                                  ChronologicalSplit split) {
        // the offline replay of the same events in the same batches: the stream must agree with it
        float[] offline = new float[n];
        MemoryReplay replay = new MemoryReplay(model, stream);
        for (int from = 0; from < n; from += b) {
            int to = Math.min(n, from + b);
            int[] src = new int[to - from];
            int[] dst = new int[to - from];
            long[] t = new long[to - from];
            int[] events = new int[to - from];
            for (int e = from; e < to; e++) {
                src[e - from] = stream.src(e);
                dst[e - from] = stream.dst(e);
                t[e - from] = stream.timestamp(e);
                events[e - from] = e;
            }
            System.arraycopy(replay.score(src, dst, t), 0, offline, from, to - from);
            replay.apply(events);
        }
        double maxDiff = 0;
        double sum = 0;
        for (ScoreRecord s : scores) {
            int e = Integer.parseInt(s.eventId());
            if (e < n) {
                maxDiff = Math.max(maxDiff, Math.abs(s.score() - offline[e]));
            }
            sum += s.score();
        }
        EvalResult eval = new LinkPredictionEvaluator(split, EvalConfig.defaults().withBatchSize(b))
                .evaluate(new MemoryReplay(model, stream), EvalSetting.TRANSDUCTIVE, NegativeKind.RND, null);
        out.println();
        out.println("metric                                     value");
        row(out, "events streamed", String.format(Locale.ROOT, "%,d", n));
        row(out, "scores committed (read_committed)", String.format(Locale.ROOT, "%,d", scores.size()));
        row(out, "dead letters", String.format(Locale.ROOT, "%,d", deadLetters));
        row(out, "wall time, broker to last commit", String.format(Locale.ROOT, "%.1f s", seconds));
        row(out, "events/s end to end", String.format(Locale.ROOT, "%,.0f", n / seconds));
        row(out, "mean score of the streamed edges", String.format(Locale.ROOT, "%.4f", scores.isEmpty() ? 0 : sum / scores.size()));
        row(out, "max |stream - offline| score", String.format(Locale.ROOT, "%.2e", maxDiff));
        row(out, "offline test AP / AUC (rnd, transductive)", String.format(Locale.ROOT, "%.2f / %.2f",
                100 * eval.test().ap(), 100 * eval.test().auc()));
        out.flush();
    }

    private static void row(PrintWriter out, String name, String value) {
        out.printf(Locale.ROOT, "%-42s %s%n", name, value);
    }
}
