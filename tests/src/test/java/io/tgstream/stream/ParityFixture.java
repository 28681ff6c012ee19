package io.tgstream.stream;

import io.tgstream.connectors.EdgeEventPublisher;
import io.tgstream.connectors.broker.KafkaTopicReader;
import io.tgstream.connectors.records.ScoreRecord;
import io.tgstream.data.EdgeStream;
import io.tgstream.eval.ChronologicalSplit;
import io.tgstream.model.EmbeddingKind;
import io.tgstream.model.MemoryModel;
import io.tgstream.model.MemoryModelConfig;
import io.tgstream.model.MemoryModelFile;
import io.tgstream.model.MemoryReplay;
import io.tgstream.model.PresCorrection;
import io.tgstream.model.TimeScale;
import io.tgstream.train.MemoryTrainer;
import io.tgstream.train.TrainingConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.nd4j.linalg.api.buffer.DataType;

/** The shared parts of the stream tests: a seeded synthetic stream, a small trained model, the offline reference. */
public final class ParityFixture {
    private ParityFixture() {}

    /**
     * A seeded stream of n events over the given number of nodes with 2 features: a skewed choice of nodes (hubs),
     * self-loops now and then, and timestamps that repeat (ties inside and across batches).
     */
    static EdgeStream syntheticStream(int n, int nodes, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        EdgeStream.Builder b = EdgeStream.builder("synthetic", "s", 2);
        long t = 1_000;
        for (int i = 0; i < n; i++) {
            int u = (int) (nodes * Math.pow(r.nextDouble(), 2));
            int v = r.nextInt(10) == 0 ? u : r.nextInt(nodes);
            t += r.nextInt(3) == 0 ? 0 : 1 + r.nextInt(50);
            b.add("n" + u, "n" + v, t, new float[] {(float) r.nextGaussian(), (float) r.nextDouble()}, 0, 1);
        }
        return b.build();
    }

    /** Trains a small model (d = 16, RECENT_PARTNERS or TIME_PROJECTION, PRES switchable) and writes it to file. */
    static MemoryModel trainAndSave(EdgeStream stream, EmbeddingKind embedding, boolean pres, Path file)
            throws Exception {
        return trainAndSave(stream, embedding, pres, PresCorrection.FUSE, file);
    }

    /** As above, with PRES's correction chosen; DROPPED gets a learned gamma from 0.1 (its CLI pairing). */
    static MemoryModel trainAndSave(EdgeStream stream, EmbeddingKind embedding, boolean pres, PresCorrection correction,
                                    Path file) throws Exception {
        ChronologicalSplit split = ChronologicalSplit.of(stream);
        double tau = TimeScale.of(stream, allEvents(stream));
        boolean dropped = correction == PresCorrection.DROPPED;
        MemoryModelConfig config = new MemoryModelConfig(16, 8, 2, embedding, 4, 4, pres,
                dropped ? 0.1 : MemoryModelConfig.DEFAULT_PRES_GAMMA, MemoryModelConfig.DEFAULT_COHERENCE_WEIGHT, tau, 7)
                .withPresCorrection(correction).withPresGammaLearnable(dropped);
        MemoryModel model = new MemoryModel(config, DataType.FLOAT);
        new MemoryTrainer(model, split, TrainingConfig.defaults().withBatchSize(50).withEpochs(1).withSeed(7), null)
                .train();
        MemoryModelFile.save(model, file);
        return MemoryModelFile.load(file);
    }

    static int[] allEvents(EdgeStream stream) {
        int[] all = new int[stream.size()];
        for (int i = 0; i < all.length; i++) all[i] = i;
        return all;
    }

    /** The offline reference: for each batch of B events, score every event from the pre-batch state, then apply. */
    public static float[] referenceScores(MemoryModel model, EdgeStream stream, int batchSize) {
        return referenceScores(new MemoryReplay(model, stream), stream, 0, stream.size(), batchSize);
    }

    /**
     * The offline reference for events [from, to) in batches of B from {@code from}, continuing {@code replay} (which
     * has applied everything before {@code from}): each batch scored from the pre-batch state, then applied. With a
     * replay built with a {@code NodeExpiry}, this is the reference of a job with the same node TTL.
     */
    static float[] referenceScores(MemoryReplay replay, EdgeStream stream, int from, int to, int batchSize) {
        float[] scores = new float[to - from];
        for (int start = from; start < to; start += batchSize) {
            scoreThenApply(replay, stream, start, Math.min(to, start + batchSize), scores, start - from);
        }
        return scores;
    }

    /** Scores events [start, end) as one batch from the replay's state into {@code scores[at..]}, then applies them. */
    static void scoreThenApply(MemoryReplay replay, EdgeStream stream, int start, int end, float[] scores, int at) {
        int[] events = new int[end - start];
        int[] src = new int[events.length];
        int[] dst = new int[events.length];
        long[] t = new long[events.length];
        for (int i = 0; i < events.length; i++) {
            events[i] = start + i;
            src[i] = stream.src(start + i);
            dst[i] = stream.dst(start + i);
            t[i] = stream.timestamp(start + i);
        }
        System.arraycopy(replay.score(src, dst, t), 0, scores, at, events.length);
        replay.apply(events);
    }

    /** Publishes every event; the last one closes its batch, so that every event gets scored. */
    public static void publishAll(String servers, String topic, EdgeStream stream) {
        publishRest(servers, topic, stream, 0);
    }

    /** Events [from, end), the last one marked to close its batch. */
    static void publishRest(String servers, String topic, EdgeStream stream, int from) {
        publish(servers, topic, stream, from, stream.size(), true);
    }

    /** Events [from, to) as they are (the batch of the last one stays open). */
    static void publish(String servers, String topic, EdgeStream stream, int from, int to) {
        publish(servers, topic, stream, from, to, false);
    }

    private static void publish(String servers, String topic, EdgeStream stream, int from, int to, boolean closeLast) {
        try (EdgeEventPublisher publisher = new EdgeEventPublisher(servers, topic)) {
            for (int e = from; e < to; e++) {
                publisher.send(closeLast && e == to - 1 ? stream.event(e).endingBatch() : stream.event(e));
            }
        }
    }

    /** Every committed score record by event id (the sequence number); fails on a duplicate. */
    public static Map<Long, ScoreRecord> committedScores(String servers, String topic) {
        Map<Long, ScoreRecord> byId = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : new KafkaTopicReader(servers).readCommitted(topic)) {
            ScoreRecord s = ScoreRecord.fromKafka(r.key(), r.value());
            if (byId.put(Long.parseLong(s.eventId()), s) != null) {
                throw new AssertionError("event " + s.eventId() + " was scored twice: not exactly once");
            }
        }
        return byId;
    }

    /** Committed scores once at least {@code count} are there, or whatever is there at the deadline. */
    public static Map<Long, ScoreRecord> awaitScores(String servers, String topic, int count, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<Long, ScoreRecord> s = committedScores(servers, topic);
            if (s.size() >= count || System.nanoTime() > deadline) {
                return s;
            }
            Thread.sleep(200);
        }
    }
}
