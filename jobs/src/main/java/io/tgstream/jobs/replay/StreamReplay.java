package io.tgstream.jobs.replay;

import io.tgstream.connectors.EdgeEventPublisher;
import io.tgstream.connectors.broker.EmbeddedKafkaBroker;
import io.tgstream.connectors.broker.KafkaTopicReader;
import io.tgstream.connectors.records.ScoreRecord;
import io.tgstream.eval.StreamReplayPlan;
import io.tgstream.eval.StreamReplayPlan.PlannedRecord;
import io.tgstream.jobs.JobConfig;
import io.tgstream.jobs.StreamJob;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays a {@link StreamReplayPlan} through the real thing: an in-process Kafka broker, the streaming job on a Flink
 * MiniCluster with RocksDB state, and back out of Kafka with {@code read_committed}; returns every score the job
 * committed, with its latency.
 *
 * <p>The job runs unbounded with count batches closed only by the plan's {@code end_batch} edges, so that its batches
 * are the evaluator's. Records are published while the job runs (at a fixed rate, or as fast as the producer goes), and
 * each score's latency is the time from its record's hand-over to the producer to the moment a {@code read_committed}
 * consumer in this process sees the score: it includes the exactly-once commit at the next checkpoint and, at full
 * speed, the backlog. The job is cancelled once every record has its score.
 */
public final class StreamReplay {
    private static final Logger LOG = LoggerFactory.getLogger(StreamReplay.class);
    static final String EVENTS = "events";
    static final String SCORES = "scores";
    static final String DEAD_LETTERS = "dead-letters";
    /** The job's count batches never fill up: every batch is closed by the plan's {@code end_batch} edge. */
    static final long NEVER_FULL = Long.MAX_VALUE / 4;

    /** How to run a replay. {@code recordsPerSecond} 0 means as fast as the producer goes. */
    public record Settings(int parallelism, long checkpointIntervalMs, double recordsPerSecond, Duration timeout,
                           Path workDir, String precision) {
        /** Parallelism 2, 1 s checkpoints, full speed, at most an hour, float arithmetic. */
        public static Settings defaults(Path workDir) {
            return new Settings(2, JobConfig.DEFAULT_CHECKPOINT_INTERVAL_MS, 0, Duration.ofHours(1), workDir,
                    JobConfig.DEFAULT_PRECISION);
        }

        public Settings withParallelism(int p) {
            return new Settings(p, checkpointIntervalMs, recordsPerSecond, timeout, workDir, precision);
        }

        public Settings withRate(double r) {
            return new Settings(parallelism, checkpointIntervalMs, r, timeout, workDir, precision);
        }

        public Settings withTimeout(Duration t) {
            return new Settings(parallelism, checkpointIntervalMs, recordsPerSecond, t, workDir, precision);
        }

        /** {@code float} or {@code double}: the job's arithmetic (see the job configuration's precision). */
        public Settings withPrecision(String p) {
            return new Settings(parallelism, checkpointIntervalMs, recordsPerSecond, timeout, workDir, p);
        }
    }

    /** Called from the consumer thread as scores arrive; {@code soFar} gives NaN for records not scored yet. */
    public interface Progress {
        void scored(int received, int expected, double seconds, StreamReplayPlan.ScoreLookup soFar);
    }

    private StreamReplay() {}

    /** Runs the plan through broker and job with {@code modelFile}; blocks until every record is scored. */
    public static ReplayOutcome run(StreamReplayPlan plan, Path modelFile, Settings s, Progress progress)
            throws Exception {
        List<PlannedRecord> records = plan.records();
        int n = records.size();
        Map<String, Integer> probeIndex = new HashMap<>();
        int[] edgeIndex = new int[n];
        int edges = 0;
        for (int i = 0; i < n; i++) {
            PlannedRecord r = records.get(i);
            if (r.isProbe()) {
                probeIndex.put(r.probeId(), i);
            } else {
                edgeIndex[edges++] = i;
            }
        }
        Files.createDirectories(s.workDir());
        Path checkpoints = s.workDir().resolve("checkpoints");
        long[] sentNanos = new long[n];
        long[] seenNanos = new long[n];
        float[] scores = new float[n];
        try (EmbeddedKafkaBroker broker = startQuietly(s.workDir().resolve("kafka"))) {
            String servers = broker.bootstrapServers();
            broker.createTopic(EVENTS, 1);
            broker.createTopic(SCORES, s.parallelism());
            broker.createTopic(DEAD_LETTERS, 1);
            JobConfig config = JobConfig.of(servers, EVENTS, SCORES, modelFile.toString())
                    .withTopics(null, DEAD_LETTERS).withBatchSize(NEVER_FULL).withParallelism(s.parallelism())
                    .withBounded(false).withCheckpoints(s.checkpointIntervalMs(), checkpoints.toUri().toString())
                    .withPrecision(s.precision());
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.createLocalEnvironment(StreamJob.flinkConfiguration(config));
            JobClient job = StreamJob.start(env, config);
            awaitRunning(job);
            LOG.info("replay: job {} running; publishing {} records ({} edges, {} probes)", job.getJobID(), n, edges,
                    n - edges);

            AtomicInteger received = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> consumerFailure = new AtomicReference<>();
            long start = System.nanoTime();
            final int edgeCount = edges;
            Map<Integer, Integer> byEvent = edgeIndexOfEvents(records);
            StreamReplayPlan.ScoreLookup soFar = new StreamReplayPlan.ScoreLookup() {
                @Override
                public float edge(int e) {
                    Integer i = byEvent.get(e);
                    return i == null || seenNanos[i] == 0 ? Float.NaN : scores[i];
                }

                @Override
                public float probe(String id) {
                    Integer i = probeIndex.get(id);
                    return i == null || seenNanos[i] == 0 ? Float.NaN : scores[i];
                }
            };
            Thread consumer = new Thread(() -> {
                try {
                    consume(servers, stop, rec -> {
                        ScoreRecord score = ScoreRecord.fromKafka(rec.key(), rec.value());
                        int i;
                        if (score.probe()) {
                            Integer p = probeIndex.get(score.eventId());
                            if (p == null) throw new IllegalStateException("a score for unknown probe " + score.eventId());
                            i = p;
                        } else {
                            long seq = Long.parseLong(score.eventId());
                            if (seq < 0 || seq >= edgeCount) throw new IllegalStateException("a score for unknown edge " + seq);
                            i = edgeIndex[(int) seq];
                        }
                        if (seenNanos[i] != 0) throw new IllegalStateException("record " + score.eventId() + " was scored twice");
                        seenNanos[i] = System.nanoTime();
                        scores[i] = score.score();
                        int got = received.incrementAndGet();
                        if (progress != null) progress.scored(got, n, (seenNanos[i] - start) / 1e9, soFar);
                    });
                } catch (Throwable t) {
                    consumerFailure.set(t);
                }
            }, "replay-scores");
            consumer.setDaemon(true);
            consumer.start();

            try (EdgeEventPublisher publisher = new EdgeEventPublisher(servers, EVENTS)) {
                double nanosPerRecord = s.recordsPerSecond() > 0 ? 1e9 / s.recordsPerSecond() : 0;
                for (int i = 0; i < n; i++) {
                    if (nanosPerRecord > 0) {
                        long due = start + (long) (i * nanosPerRecord);
                        long wait;
                        while ((wait = due - System.nanoTime()) > 0) {
                            TimeUnit.NANOSECONDS.sleep(Math.min(wait, 1_000_000));
                        }
                    }
                    sentNanos[i] = System.nanoTime();
                    publisher.send(records.get(i).event());
                }
            }
            double publishSeconds = (System.nanoTime() - start) / 1e9;
            LOG.info("replay: published {} records in {} s", n, String.format("%.1f", publishSeconds));

            long deadline = System.nanoTime() + s.timeout().toNanos();
            CompletableFuture<JobStatus> status;
            while (received.get() < n) {
                if (consumerFailure.get() != null) {
                    throw new IllegalStateException("reading the scores failed: " + consumerFailure.get().getMessage(),
                            consumerFailure.get());
                }
                status = job.getJobStatus();
                JobStatus st = status.get(10, TimeUnit.SECONDS);
                if (st.isGloballyTerminalState()) {
                    throw new IllegalStateException("the job ended (" + st + ") with " + received.get() + " of " + n
                            + " records scored; see the log for its failure");
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("timed out after " + s.timeout() + " with " + received.get()
                            + " of " + n + " records scored");
                }
                Thread.sleep(50);
            }
            long end = System.nanoTime();
            stop.set(true);
            consumer.join(10_000);
            long deadLetters = new KafkaTopicReader(servers).readCommitted(DEAD_LETTERS).size();
            job.cancel().get(60, TimeUnit.SECONDS);
            awaitTerminal(job);
            long[] latencyNanos = new long[n];
            for (int i = 0; i < n; i++) {
                latencyNanos[i] = seenNanos[i] - sentNanos[i];
            }
            long[] seenFromStart = new long[n];
            for (int i = 0; i < n; i++) {
                seenFromStart[i] = seenNanos[i] - start;
            }
            return new ReplayOutcome(plan, scores, probeIndex, byEvent, latencyNanos, seenFromStart,
                    (end - start) / 1e9, publishSeconds, deadLetters, s, latestCheckpointBytes(checkpoints));
        }
    }

    /** Stream event -> index in the plan's records, for the edges. */
    private static Map<Integer, Integer> edgeIndexOfEvents(List<PlannedRecord> records) {
        Map<Integer, Integer> m = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            if (!records.get(i).isProbe()) {
                m.put(records.get(i).streamEvent(), i);
            }
        }
        return m;
    }

    private static void consume(String servers, AtomicBoolean stop,
                                java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> each) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "tgstream-replay");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            c.subscribe(List.of(SCORES));
            while (!stop.get()) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(20))) {
                    each.accept(r);
                }
            }
        }
    }

    private static void awaitRunning(JobClient job) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (true) {
            JobStatus st = job.getJobStatus().get(30, TimeUnit.SECONDS);
            if (st == JobStatus.RUNNING) return;
            if (st.isGloballyTerminalState()) {
                throw new IllegalStateException("the job ended (" + st + ") before it started running; see the log");
            }
            if (System.nanoTime() > deadline) throw new IllegalStateException("the job did not start within 2 minutes");
            Thread.sleep(50);
        }
    }

    private static void awaitTerminal(JobClient job) throws Exception {
        try {
            job.getJobExecutionResult().get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException expected) {
            // a cancelled job completes its result exceptionally
        }
    }

    /** Bytes of the newest completed checkpoint under {@code dir} (RocksDB full snapshot), or -1 if none. */
    static long latestCheckpointBytes(Path dir) {
        if (!Files.isDirectory(dir)) return -1;
        try (Stream<Path> all = Files.walk(dir, 2)) {
            Optional<Path> newest = all.filter(p -> p.getFileName().toString().startsWith("chk-"))
                    .max(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().substring(4))));
            if (newest.isEmpty()) return -1;
            try (Stream<Path> files = Files.walk(newest.get())) {
                return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the broker with System.out muted: Kafka's storage formatter prints its bootstrap records there. */
    public static EmbeddedKafkaBroker startQuietly(Path dir) {
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            return EmbeddedKafkaBroker.start(dir);
        } finally {
            System.setOut(stdout);
        }
    }
}
