package io.tgstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tgstream.bench.e2e.EndToEndBench;
import io.tgstream.bench.kernels.KernelBench;
import io.tgstream.bench.inductive.InductiveProbe;
import io.tgstream.bench.training.TrainingBench;
import io.tgstream.bench.training.TrainingProfile;
import io.tgstream.data.DataDirectory;
import io.tgstream.data.NamedDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The three benchmark commands at a tiny size (module bench, built only with -Pbench): each must finish, write its
 * JSON and Markdown, and the figures must describe the run that happened (every event scored, every benchmark
 * measured).
 */
class BenchSmokeTest {
    @TempDir
    Path out;

    @Test
    void endToEndRunsEveryStageAndScoresEveryEvent() throws Exception {
        int events = 3000;
        int code = new CommandLine(new EndToEndBench()).execute("--datasets", "synthetic", "--synthetic-events",
                Integer.toString(events), "--synthetic-nodes", "500", "--batch", "200", "--checkpoint-ms", "200",
                "--latency-seconds", "1", "--warmup-runs", "1",
                "--latency-datasets", "synthetic", "--out", out.toString());
        assertThat(code).isZero();
        JsonNode run = ResultFiles.json().readTree(out.resolve("bench-e2e.json").toFile()).path("runs").get(0);
        assertThat(run.path("events").asInt()).isEqualTo(events);
        assertThat(run.path("warmupRuns").asInt()).isEqualTo(1);
        assertThat(run.path("b_passThrough").path("outputRecords").asLong()).isEqualTo(events);
        assertThat(run.path("b_passThrough").path("cpu").path("processCpuMicrosPerEvent").asDouble()).isPositive();
        JsonNode c = run.path("c_tgstream");
        assertThat(c.path("outputRecords").asLong()).isEqualTo(events);
        assertThat(c.path("eventsPerSecondSteady").asDouble()).isPositive();
        assertThat(c.path("feedbackQueuePeakLength").asLong()).isPositive();
        // checkpoints every 200 ms: at least one completes (and is sampled) while the job runs
        assertThat(c.path("largestCheckpointBytes").asLong()).isPositive();
        assertThat(c.path("jfrBreakdown").path("threads").size()).isPositive();
        assertThat(c.path("cpu").path("cpuSecondsByOsThread").size()).isGreaterThan(1);
        assertThat(c.path("cpu").path("processCpuSeconds").asDouble()).isPositive();
        assertThat(run.path("a_kafka").path("copyEventsPerSecond").asDouble()).isPositive();
        JsonNode latency = run.path("latency");
        assertThat(latency.size()).isEqualTo(2);
        for (JsonNode l : latency) {
            assertThat(l.path("scoresMissing").asInt()).isZero();
            assertThat(l.path("latencyCommittedMs").path("count").asLong()).isEqualTo(l.path("eventsMeasured").asLong());
            assertThat(l.path("latencyCommittedMs").path("p50").asLong())
                    .isGreaterThanOrEqualTo(l.path("latencyAppendedMs").path("p50").asLong());
        }
        assertThat(Files.readString(out.resolve("bench-e2e.md"))).contains("(c) tgstream job", "load", "Latency");
    }

    @Test
    void kernelBenchmarksAllRunAndAreTabulated() throws Exception {
        int code = new CommandLine(new KernelBench()).execute("--forks", "0", "--warmup", "0", "--iterations", "1",
                "--seconds", "0.05", "--batch", "200", "--out", out.toString());
        assertThat(code).isZero();
        JsonNode jmh = ResultFiles.json().readTree(out.resolve("bench-kernels.json").toFile()).path("jmh");
        assertThat(jmh.size()).isEqualTo(6); // 4 model kernels at B = 200 + serialize + deserialize
        for (JsonNode r : jmh) {
            assertThat(r.path("primaryMetric").path("score").asDouble()).isPositive();
        }
        assertThat(Files.readString(out.resolve("bench-kernels.md")))
                .contains("embedDecode", "trainStep", "gruUpdate", "jointNeighbourhoodAndAttention", "serialize");
    }

    @Test
    void trainingBenchmarkTimesEveryConfiguration() throws Exception {
        assumeTrue(DataDirectory.resolve(null).find(NamedDataset.UCI).isPresent(),
                "uci is not in the data directory (-Dtgstream.data.dir): skipping the training benchmark smoke run");
        int code = new CommandLine(new TrainingBench()).execute("--datasets", "uci", "--batch", "200",
                "--max-events", "3000", "--out", out.toString());
        assertThat(code).isZero();
        JsonNode rows = ResultFiles.json().readTree(out.resolve("bench-training.json").toFile()).path("results");
        assertThat(rows.size()).isEqualTo(4); // PRES off and on x memory only and the full model
        for (JsonNode r : rows) {
            assertThat(r.path("secondsPerEpoch").asDouble()).isPositive();
            assertThat(r.path("cpuSecondsPerEpoch").asDouble()).isPositive();
            assertThat(r.path("epochs").asInt()).isEqualTo(1);
        }
        assertThat(rows.findValuesAsText("model")).containsExactly("memory", "memory+dictionaries", "memory",
                "memory+dictionaries");
        assertThat(Files.readString(out.resolve("bench-training.md"))).contains("| uci | 200 | off |",
                "| uci | 200 | on |", "wall ratio");
    }

    @Test
    void trainingProfileBreaksDownEveryModelsEpoch() throws Exception {
        assumeTrue(DataDirectory.resolve(null).find(NamedDataset.UCI).isPresent(),
                "uci is not in the data directory (-Dtgstream.data.dir): skipping the training profile smoke run");
        int code = new CommandLine(new TrainingProfile()).execute("--dataset", "uci", "--max-events", "6000",
                "--epochs", "2", "--pair-time-dims", "16,4", "--name", "profile", "--out", out.toString());
        assertThat(code).isZero();
        JsonNode runs = ResultFiles.json().readTree(out.resolve("profile.json").toFile()).path("runs");
        assertThat(runs.findValuesAsText("model")).containsExactly("memory",
                "memory+dictionaries, time encoding 16", "memory+dictionaries, time encoding 4");
        for (JsonNode run : runs) {
            JsonNode root = run.path("phases").get(0);
            assertThat(root.path("phase").asText()).isEqualTo("training epoch");
            assertThat(root.path("sampleMillis").asLong()).isPositive();
            assertThat(root.path("share").asDouble()).isEqualTo(1.0);
        }
        assertThat(runs.get(0).path("phases").findValuesAsText("phase")).doesNotContain("pair scorer forward");
        assertThat(runs.get(1).path("phases").findValuesAsText("phase")).contains("pair scorer forward");
        assertThat(Files.readString(out.resolve("profile.md"))).contains("| memory | ", "over memory only");
    }

    @Test
    void inductiveProbeCountsEveryInductiveTestEdgeOnce() throws Exception {
        assumeTrue(DataDirectory.resolve(null).find(NamedDataset.UCI).isPresent(),
                "uci is not in the data directory (-Dtgstream.data.dir): skipping the inductive probe smoke run");
        int code = new CommandLine(new InductiveProbe()).execute("--dataset", "uci", "--out", out.toString());
        assertThat(code).isZero();
        JsonNode json = ResultFiles.json().readTree(out.resolve("inductive-probe-uci.json").toFile());
        int bucketed = 0;
        for (JsonNode b : json.path("newEndpointPriorEvents")) {
            bucketed += b.asInt();
        }
        JsonNode inductive = json.path("testPositivesAndRandomNegatives").get(1);
        assertThat(inductive.path("setting").asText()).isEqualTo("inductive");
        assertThat(bucketed).isPositive().isEqualTo(inductive.path("positives").asInt());
        assertThat(json.path("mask").path("droppedTrainingEvents").asInt()).isPositive();
        assertThat(Files.readString(out.resolve("inductive-probe-uci.md"))).contains("| inductive |")
                .doesNotContain("Probes");
    }
}
