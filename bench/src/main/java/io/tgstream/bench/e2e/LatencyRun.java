package io.tgstream.bench.e2e;

import io.tgstream.connectors.broker.EmbeddedKafkaBroker;
import io.tgstream.jobs.JobConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Event latency of tgstream's job under a rate-limited producer: the job runs unbounded; events are produced at a
 * fixed rate; a read_committed consumer stamps each score when it becomes visible. Per event (sequence number = input
 * offset):
 * <pre>
 *   committed     = time the score is visible to read_committed - append time of the event
 *   appended      = append time of the score (written, not yet committed) - append time of the event
 *   beyond close  = time visible - append time of the last event of its batch (the batch's own closing time)
 * </pre>
 * The first {@value #WARM_BATCHES} batches (job start-up) are left out; one extra batch is produced after the measured
 * events so that the last measured batch can close.
 */
final class LatencyRun {
    static final int WARM_BATCHES = 2;
    /** Wait after the job reports RUNNING before producing, so that the tasks are deployed. */
    static final long SETTLE_MS = 3000;

    private LatencyRun() {
    }

    static Map<String, Object> run(EmbeddedKafkaBroker broker, InputTopic in, JobConfig base, String tag, double rate,
                                   double seconds) throws Exception {
        int b = (int) base.batchSize();
        int measured = (int) Math.max((WARM_BATCHES + 1) * b, Math.round(rate * seconds / b) * b);
        if (measured + b > in.size()) {
            measured = Math.max(0, (in.size() - b) / b * b);
        }
        if (measured <= WARM_BATCHES * b) {
            throw new IllegalArgumentException("latency run " + tag + ": " + in.size() + " events are too few for "
                    + (WARM_BATCHES + 2) + " batches of " + b);
        }
        int total = measured + b;
        String input = "lat-" + tag + "-in";
        String scores = "lat-" + tag + "-scores";
        InputTopic.create(broker, input, scores);
        String servers = broker.bootstrapServers();
        JobConfig c = new JobConfig(servers, input, scores, base.embeddingsTopic(), base.deadLetterTopic(),
                base.model(), base.modelVersion(), base.batchMode(), base.batchSize(), base.batchWidth(),
                base.timestampUnit(), base.parallelism(), base.checkpointIntervalMs(), base.checkpointDir(),
                base.stateTtlMs(), false, "lat-" + tag);
        PeakGaugeReporter.reset();
        JobClient job = FlinkRun.startTgstream(c);
        long[] append = new long[total];
        long[] visible = new long[measured];
        long[] scoreAppend = new long[measured];
        AtomicLong seen = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        final int m = measured;
        Thread consumer = new Thread(() -> consume(servers, scores, m, visible, scoreAppend, seen, stop),
                "bench-latency-consumer");
        double produceSeconds;
        try {
            waitRunning(job);
            Thread.sleep(SETTLE_MS);
            consumer.start();
            produceSeconds = in.produce(servers, input, total, rate, append);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120 + (long) (3 * seconds));
            while (seen.get() < measured && System.nanoTime() < deadline && consumer.isAlive()) {
                Thread.sleep(100);
            }
        } finally {
            stop.set(true);
            consumer.join(10_000);
            job.cancel().get(60, TimeUnit.SECONDS);
        }
        Histogram committed = new Histogram(3_600_000L, 3);
        Histogram appended = new Histogram(3_600_000L, 3);
        Histogram beyondClose = new Histogram(3_600_000L, 3);
        Histogram beyondCloseAppended = new Histogram(3_600_000L, 3);
        int missing = 0;
        for (int s = WARM_BATCHES * b; s < measured; s++) {
            if (visible[s] == 0) {
                missing++;
                continue;
            }
            long close = append[Math.min(total - 1, (s / b + 1) * b - 1)];
            committed.recordValue(Math.max(0, visible[s] - append[s]));
            appended.recordValue(Math.max(0, scoreAppend[s] - append[s]));
            beyondClose.recordValue(Math.max(0, visible[s] - close));
            beyondCloseAppended.recordValue(Math.max(0, scoreAppend[s] - close));
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("targetRatePerSecond", rate);
        r.put("achievedInputRatePerSecond", total / produceSeconds);
        r.put("eventsProduced", total);
        r.put("eventsMeasured", measured - WARM_BATCHES * b);
        r.put("scoresMissing", missing);
        r.put("latencyCommittedMs", percentiles(committed));
        r.put("latencyAppendedMs", percentiles(appended));
        r.put("beyondBatchCloseCommittedMs", percentiles(beyondClose));
        r.put("beyondBatchCloseAppendedMs", percentiles(beyondCloseAppended));
        r.put("feedbackQueuePeakLength", PeakGaugeReporter.peak(PeakGaugeReporter.FEEDBACK_PEAK_GAUGE));
        return r;
    }

    static Map<String, Object> percentiles(Histogram h) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("count", h.getTotalCount());
        p.put("p50", h.getValueAtPercentile(50));
        p.put("p99", h.getValueAtPercentile(99));
        p.put("p999", h.getValueAtPercentile(99.9));
        p.put("max", h.getMaxValue());
        return p;
    }

    private static void waitRunning(JobClient job) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (job.getJobStatus().get() != JobStatus.RUNNING) {
            if (System.nanoTime() > deadline || job.getJobStatus().get().isGloballyTerminalState()) {
                throw new IllegalStateException("the job did not reach RUNNING: " + job.getJobStatus().get());
            }
            Thread.sleep(50);
        }
    }

    private static void consume(String servers, String topic, int measured, long[] visible, long[] scoreAppend,
                                AtomicLong seen, AtomicBoolean stop) {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(
                TopicScan.consumerProperties(servers, "latency-" + topic), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            while (!stop.get() && seen.get() < measured) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(20))) {
                    long now = System.currentTimeMillis();
                    int s = Integer.parseInt(new String(r.key(), StandardCharsets.UTF_8));
                    if (s < measured && visible[s] == 0) {
                        visible[s] = now;
                        scoreAppend[s] = r.timestamp();
                        seen.incrementAndGet();
                    }
                }
            }
        }
    }
}
