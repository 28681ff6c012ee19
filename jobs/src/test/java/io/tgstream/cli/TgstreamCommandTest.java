package io.tgstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TgstreamCommandTest {
    private static Path shared;

    @BeforeAll
    static void setUp() throws IOException {
        // The build points java.io.tmpdir at target/tmp, which nothing else creates; @TempDir needs it.
        Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
        String dir = System.getProperty("tgstream.data.dir");
        shared = dir == null ? null : Path.of(dir);
    }

    private static Path uciFile() {
        assumeTrue(shared != null && Files.isRegularFile(shared.resolve("uci/ml_uci.csv")),
                "shared data set uci/ml_uci.csv is absent; skipping");
        return shared.resolve("uci/ml_uci.csv");
    }

    private static void assertUserError(CliRun r, String... fragments) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        for (String f : fragments) assertThat(r.err()).contains(f);
        assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    void datasetsListsWhatIsFoundAndWhereTheRestComesFrom(@TempDir Path empty) {
        uciFile();
        CliRun r = CliRun.of("datasets", "--data-dir", shared.toString());
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("uci").contains("59,835").contains("1,899").contains("wikipedia").contains("157,474")
                .contains(shared.resolve("uci/ml_uci.csv").toString());
        CliRun none = CliRun.of("datasets", "--data-dir", empty.toString());
        assertThat(none.exitCode()).isZero();
        assertThat(none.out()).contains("missing: ").contains("snap.stanford.edu").contains("YayaLee666/datasets");
    }

    @Test
    void describeShowsTheSplit() {
        uciFile();
        CliRun r = CliRun.of("datasets", "describe", "uci");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("events:       59,835").contains("nodes:        1,899").contains("masking 189 nodes");
    }

    @Test
    void evalWritesTableAndJsonWithThePublishedAnchor(@TempDir Path tmp) throws IOException {
        uciFile();
        Path json = tmp.resolve("r.jsonl");
        CliRun r = CliRun.of("eval", "--dataset", "uci", "--model", "edgebank", "--negatives", "rnd,hist",
                "--setting", "transductive", "--mrr", "--json", json.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("unlimited").contains("window-fixed").contains("MRR");
        List<String> lines = Files.readAllLines(json, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(2);
        JsonNode rnd = new ObjectMapper().readTree(lines.get(0));
        for (String field : List.of("dataset", "model", "setting", "negatives", "batch_size", "ap", "auc", "global_ap",
                "mrr", "n_positives", "seconds")) {
            assertThat(rnd.has(field)).as(field).isTrue();
        }
        assertThat(rnd.get("dataset").asText()).isEqualTo("uci");
        assertThat(rnd.get("negatives").asText()).isEqualTo("rnd");
        assertThat(rnd.get("batch_size").asInt()).isEqualTo(200);
        assertThat(rnd.get("n_positives").asInt()).isEqualTo(8976);
        assertThat(100 * rnd.get("ap").asDouble()).isBetween(76.20 - 1, 76.20 + 1); // DyGLib's published EdgeBank
        assertThat(rnd.get("mrr").asDouble()).isBetween(0.0, 1.0);
    }

    @Test
    void genericLoaderOptionsGiveTheSameNumbersAsTheNamedDataSet(@TempDir Path tmp) throws IOException {
        Path file = uciFile();
        Path a = tmp.resolve("a.jsonl");
        Path b = tmp.resolve("b.jsonl");
        String[] common = {"--negatives", "rnd,hist,ind", "--setting", "transductive,inductive", "--edgebank-mode",
                "window-repeat"};
        CliRun named = CliRun.of(concat(new String[] {"eval", "--dataset", "uci", "--json", a.toString()}, common));
        CliRun generic = CliRun.of(concat(new String[] {"eval", "--data", file.toString(), "--src", "u", "--dst", "i",
                "--ts", "ts", "--label", "label", "--json", b.toString()}, common));
        assertThat(named.exitCode()).as(named.err()).isZero();
        assertThat(generic.exitCode()).as(generic.err()).isZero();
        ObjectMapper m = new ObjectMapper();
        List<String> la = Files.readAllLines(a);
        List<String> lb = Files.readAllLines(b);
        assertThat(lb).hasSize(6).hasSameSizeAs(la);
        for (int i = 0; i < la.size(); i++) {
            JsonNode x = m.readTree(la.get(i));
            JsonNode y = m.readTree(lb.get(i));
            for (String f : List.of("ap", "auc", "global_ap", "val_ap", "n_positives")) {
                assertThat(y.get(f)).as(f).isEqualTo(x.get(f));
            }
        }
    }

    @Test
    void badRowsStopWithFileAndLineOrAreSkippedAndCounted(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("edges.csv");
        StringBuilder sb = new StringBuilder("src,dst,t\n");
        for (int i = 0; i < 300; i++) sb.append(i % 17).append(',').append((i * 7) % 23).append(',').append(i).append('\n');
        sb.append("1,2,yesterday\n").append("3,4\n");
        Files.writeString(f, sb.toString());
        CliRun strict = CliRun.of("eval", "--data", f.toString(), "--src", "src", "--dst", "dst", "--ts", "t");
        assertUserError(strict, "edges.csv", "line 302", "timestamp 'yesterday'", "--skip-bad");
        CliRun skipping = CliRun.of("eval", "--data", f.toString(), "--src", "0", "--dst", "1", "--ts", "2",
                "--skip-bad", "--negatives", "rnd", "--setting", "transductive");
        assertThat(skipping.exitCode()).as(skipping.err()).isZero();
        assertThat(skipping.err()).contains("skipped 2 bad rows").contains("line 302").contains("line 303");
    }

    @Test
    void usageErrorsExitWithTwoAndSayWhatToDo(@TempDir Path empty) {
        assertUserError(CliRun.of("eval", "--dataset", "reddit"), "unknown data set 'reddit'", "uci, enron");
        assertUserError(CliRun.of("eval", "--dataset", "enron", "--data-dir", empty.toString()),
                "data set 'enron' not found", empty.resolve("enron/ml_enron.csv").toString(), "YayaLee666");
        assertUserError(CliRun.of("eval", "--data", "x.csv"), "--data needs --src, --dst and --ts");
        assertUserError(CliRun.of("eval"), "--dataset NAME");
        assertUserError(CliRun.of("eval", "--dataset", "uci", "--negatives", "hard"), "unknown negative kind 'hard'");
        assertUserError(CliRun.of("eval", "--dataset", "uci", "--model", "tgn9"), "unknown model 'tgn9'");
        assertUserError(CliRun.of("eval", "--data", empty.resolve("nope.csv").toString(), "--src", "0", "--dst", "1",
                "--ts", "2"), "nope.csv", "no such file");
        assertThat(CliRun.of("eval", "--no-such-option").exitCode()).isEqualTo(2);
        assertThat(CliRun.of().exitCode()).isEqualTo(2);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
