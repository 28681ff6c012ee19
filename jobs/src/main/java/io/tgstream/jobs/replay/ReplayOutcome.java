package io.tgstream.jobs.replay;

import io.tgstream.eval.StreamReplayPlan;
import io.tgstream.eval.StreamReplayPlan.PlannedRecord;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** What a {@link StreamReplay} saw: every committed score, its latency, and the run's throughput and state size. */
public final class ReplayOutcome implements StreamReplayPlan.ScoreLookup {
    private final StreamReplayPlan plan;
    private final float[] scores;
    private final Map<String, Integer> probeIndex;
    private final Map<Integer, Integer> edgeIndex;
    private final long[] latencyNanos;
    private final long[] seenNanosFromStart;
    private final double seconds;
    private final double publishSeconds;
    private final long deadLetters;
    private final StreamReplay.Settings settings;
    private final long checkpointBytes;
    private final int nodesWithState;

    ReplayOutcome(StreamReplayPlan plan, float[] scores, Map<String, Integer> probeIndex, Map<Integer, Integer> edgeIndex,
                  long[] latencyNanos, long[] seenNanosFromStart, double seconds, double publishSeconds,
                  long deadLetters, StreamReplay.Settings settings, long checkpointBytes) {
        this.plan = plan;
        this.scores = scores;
        this.probeIndex = probeIndex;
        this.edgeIndex = edgeIndex;
        this.latencyNanos = latencyNanos;
        this.seenNanosFromStart = seenNanosFromStart;
        this.seconds = seconds;
        this.publishSeconds = publishSeconds;
        this.deadLetters = deadLetters;
        this.settings = settings;
        this.checkpointBytes = checkpointBytes;
        Set<Long> nodes = new HashSet<>();
        for (PlannedRecord r : plan.records()) {
            if (!r.isProbe()) {
                nodes.add(r.event().src());
                nodes.add(r.event().dst());
            }
        }
        this.nodesWithState = nodes.size();
    }

    @Override
    public float edge(int e) {
        Integer i = edgeIndex.get(e);
        if (i == null) throw new IllegalArgumentException("stream event " + e + " was not replayed");
        return scores[i];
    }

    @Override
    public float probe(String id) {
        Integer i = probeIndex.get(id);
        if (i == null) throw new IllegalArgumentException("no probe " + id + " was replayed");
        return scores[i];
    }

    public StreamReplayPlan plan() { return plan; }
    public StreamReplay.Settings settings() { return settings; }
    /** Records published (edges and probes), each scored exactly once. */
    public int records() { return scores.length; }
    /** From the first record's hand-over to the last score seen. */
    public double seconds() { return seconds; }
    /** How long publishing took (at full speed, the producer outruns the job). */
    public double publishSeconds() { return publishSeconds; }
    /** Scored records (edges and probes) per second, end to end. */
    public double recordsPerSecond() { return scores.length / seconds; }
    public long deadLetters() { return deadLetters; }

    /** The q-quantile (0..1) of the records' latency, in milliseconds (nearest rank). */
    public double latencyMillis(double q) {
        long[] sorted = latencyNanos.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))] / 1e6;
    }

    /** Each record's latency in milliseconds, in publication order. */
    public double[] latenciesMillis() {
        return Arrays.stream(latencyNanos).mapToDouble(l -> l / 1e6).toArray();
    }

    /** When each record's score was seen, in seconds from the first hand-over, in publication order. */
    public double[] seenSeconds() {
        return Arrays.stream(seenNanosFromStart).mapToDouble(l -> l / 1e9).toArray();
    }

    /** Nodes that own state: the endpoints of the replayed edges (probes create none). */
    public int nodesWithState() {
        return nodesWithState;
    }

    /** Bytes of the newest retained checkpoint (RocksDB, all operators), -1 if none completed. */
    public long checkpointBytes() { return checkpointBytes; }

    /** Checkpoint bytes per node with state, or NaN without a checkpoint. */
    public double checkpointBytesPerNode() {
        return checkpointBytes < 0 ? Double.NaN : (double) checkpointBytes / Math.max(1, nodesWithState());
    }
}
