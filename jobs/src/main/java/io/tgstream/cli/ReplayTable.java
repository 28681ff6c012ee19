package io.tgstream.cli;

import io.tgstream.eval.EvalResult;
import io.tgstream.eval.EvalSetting;
import io.tgstream.eval.StreamReplayPlan;
import io.tgstream.jobs.replay.ReplayOutcome;
import io.tgstream.model.EmbeddingKind;
import io.tgstream.model.MemoryModel;
import io.tgstream.model.MemoryModelConfig;
import io.tgstream.state.NodeState;
import io.tgstream.state.NodeStateSerializer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.core.memory.DataOutputSerializer;

/** The output of {@code tgstream replay} and the demo: the stream's metrics beside the offline ones, then the run's. */
final class ReplayTable {
    private final String dataset;
    private final int batchSize;
    private final List<String> metricRows = new ArrayList<>();
    private final List<String> runRows = new ArrayList<>();
    private double largestDifference;

    ReplayTable(String dataset, int batchSize) {
        this.dataset = dataset;
        this.batchSize = batchSize;
    }

    /** The largest |stream - offline| score over every compared record so far (0 without a comparison). */
    double largestDifference() { return largestDifference; }

    void add(EvalResult streamed, StreamReplayPlan.OfflineScores offline, ReplayOutcome outcome) {
        String offAp = "-";
        String diff = "-";
        if (offline != null) {
            double d = 0;
            for (int e : offline.scoredEdges()) {
                d = Math.max(d, Math.abs(outcome.edge(e) - offline.edge(e)));
            }
            for (String id : offline.probeIds()) {
                d = Math.max(d, Math.abs(outcome.probe(id) - offline.probe(id)));
            }
            largestDifference = Math.max(largestDifference, d);
            offAp = pct(offline.result().test().ap());
            diff = String.format(Locale.ROOT, "%.1e", d);
        }
        metricRows.add(String.format(Locale.ROOT, "%-12s %-12s %-4s %5d %7s %7s %7s %7s %7s %10s %9d", dataset,
                streamed.setting().cliName(), streamed.negatives().cliName(), batchSize, pct(streamed.test().ap()),
                pct(streamed.test().auc()), pct(streamed.test().globalAp()), pct(streamed.validation().ap()), offAp,
                diff, streamed.test().positives()));
    }

    void addRun(EvalSetting setting, ReplayOutcome o, MemoryModel model) {
        runRows.add(String.format(Locale.ROOT, "%-12s %9d %8.1f %10.0f %8.0f %8.0f %8d %10s %9s", setting.cliName(),
                o.records(), o.seconds(), o.recordsPerSecond(), o.latencyMillis(0.5), o.latencyMillis(0.99),
                o.deadLetters(), Double.isNaN(o.checkpointBytesPerNode()) ? "-"
                        : String.format(Locale.ROOT, "%.0f", o.checkpointBytesPerNode()),
                recordBytes(model.config(), false) + "-" + recordBytes(model.config(), true)));
    }

    void print(PrintWriter out) {
        out.printf(Locale.ROOT, "%-12s %-12s %-4s %5s %7s %7s %7s %7s %7s %10s %9s%n", "dataset", "setting", "neg", "B",
                "AP", "AUC", "gAP", "val AP", "off AP", "max|diff|", "positives");
        metricRows.forEach(out::println);
        out.println("Test split from the stream's committed scores; AP/AUC are means over batches of B positives (x100);"
                + " 'off AP' is the offline evaluator's test AP, max|diff| the largest |stream - offline| score.");
        out.println();
        out.printf(Locale.ROOT, "%-12s %9s %8s %10s %8s %8s %8s %10s %9s%n", "run", "records", "seconds", "records/s",
                "p50 ms", "p99 ms", "dead", "ckpt B/nd", "record B");
        runRows.forEach(out::println);
        out.println("records = edges + probes, each scored once; latency = hand-over to the producer -> score visible to a"
                + " read_committed consumer (includes the commit at the next checkpoint, and the backlog at full speed);"
                + " ckpt B/nd = newest checkpoint's bytes per node with state; record B = one node's serialized"
                + " state, no partners - all partner slots full.");
        out.flush();
    }

    /** Serialized bytes of one node's state at this config, with no or all recent-partner slots filled. */
    static int recordBytes(MemoryModelConfig c, boolean full) {
        int k = c.embedding() == EmbeddingKind.RECENT_PARTNERS ? c.recentPartners() : 0;
        int p = k == 0 ? 0 : c.partnerDim();
        NodeState s = NodeState.empty(c.memoryDim(), c.pres(), k, p);
        if (full) {
            for (int i = 0; i < k; i++) {
                s.addPartner(new float[p], 0, i);
            }
        }
        DataOutputSerializer buf = new DataOutputSerializer(256);
        try {
            NodeStateSerializer.INSTANCE.serialize(s, buf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.length();
    }

    private static String pct(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f", 100 * v) : "-";
    }
}
