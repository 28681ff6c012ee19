package io.tgstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tgstream.model.MemoryModelFile;
import io.tgstream.modelfile.ModelFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tgstream train} writes a model file that {@code tgstream eval --model-file} then evaluates. */
class TrainAndEvalModelFileTest {

    /** A seeded stream in which most events go to five busy destinations, so a model can learn something. */
    private static Path edges(Path dir) throws IOException {
        SplittableRandom random = new SplittableRandom(4);
        List<String> lines = new ArrayList<>();
        lines.add("from,to,time");
        for (int i = 0; i < 3000; i++) {
            int u = random.nextInt(40);
            int v = random.nextInt(10) < 8 ? random.nextInt(5) : random.nextInt(40);
            lines.add(u + "," + v + "," + (10 * i));
        }
        Path file = dir.resolve("edges.csv");
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void trainThenEvaluateTheModelFile(@TempDir Path dir) throws IOException {
        Path data = edges(dir);
        Path model = dir.resolve("m.tgm");
        CliRun train = CliRun.of("train", "--data", data.toString(), "--src", "from", "--dst", "to", "--ts", "time",
                "--epochs", "2", "--batch", "100", "--out", model.toString());
        assertThat(train.exitCode()).as(train.err()).isZero();
        assertThat(train.out()).contains("epoch   1").contains("epoch   2").contains("model written to");
        assertThat(model).isRegularFile();

        Path json = dir.resolve("r.jsonl");
        CliRun eval = CliRun.of("eval", "--data", data.toString(), "--src", "from", "--dst", "to", "--ts", "time",
                "--model-file", model.toString(), "--negatives", "rnd", "--setting", "transductive", "--batch", "100",
                "--json", json.toString());
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        JsonNode row = new ObjectMapper().readTree(Files.readAllLines(json).get(0));
        assertThat(row.get("model").asText()).isEqualTo("memory");
        assertThat(row.has("edgebank_mode")).isFalse();
        // busy destinations are recently updated ones, which the memory sees: a trained model must beat a coin
        assertThat(row.get("ap").asDouble()).isGreaterThan(0.6);
    }

    @Test
    void aCorruptModelFileIsAUsageErrorNotAStackTrace(@TempDir Path dir) throws IOException {
        Path data = edges(dir);
        Path bad = dir.resolve("bad.tgm");
        Files.write(bad, "not a model".getBytes(StandardCharsets.UTF_8));
        CliRun eval = CliRun.of("eval", "--data", data.toString(), "--src", "from", "--dst", "to", "--ts", "time",
                "--model-file", bad.toString());
        assertThat(eval.exitCode()).isEqualTo(2);
        assertThat(eval.err()).contains("bad.tgm").doesNotContain("\tat ");
    }

    @Test
    void trainRefusesABadOption(@TempDir Path dir) throws IOException {
        Path data = edges(dir);
        CliRun r = CliRun.of("train", "--data", data.toString(), "--src", "from", "--dst", "to", "--ts", "time",
                "--epochs", "0", "--out", dir.resolve("m.tgm").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--epochs must be >= 1");
    }

    @Test
    void presOptionsAreCheckedAndRecorded(@TempDir Path dir) throws IOException {
        Path data = edges(dir);
        String[] base = {"train", "--data", data.toString(), "--src", "from", "--dst", "to", "--ts", "time",
                "--epochs", "1", "--batch", "100"};
        CliRun typo = CliRun.of(concat(base, "--pres", "--pres-correction", "dropd", "--out",
                dir.resolve("a.tgm").toString()));
        assertThat(typo.exitCode()).isEqualTo(2);
        assertThat(typo.err()).contains("--pres-correction must be fuse or dropped");
        CliRun withoutPres = CliRun.of(concat(base, "--pres-correction", "dropped", "--out",
                dir.resolve("b.tgm").toString()));
        assertThat(withoutPres.exitCode()).isEqualTo(2);
        assertThat(withoutPres.err()).contains("add --pres");

        Path model = dir.resolve("c.tgm");
        CliRun ok = CliRun.of(concat(base, "--pres", "--pres-correction", "dropped", "--pres-coherence", "0.25",
                "--out", model.toString()));
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("PRES dropped");
        Map<String, String> header = ModelFile.read(model).header().config();
        assertThat(header).containsEntry("pres_correction", "dropped").containsEntry("coherence_weight", "0.25");
    }

    @Test
    void historicalPairNegativesAreCheckedAndTrain(@TempDir Path dir) throws IOException {
        Path data = edges(dir);
        String[] base = {"train", "--data", data.toString(), "--src", "from", "--dst", "to", "--ts", "time",
                "--epochs", "1", "--batch", "100"};
        CliRun typo = CliRun.of(concat(base, "--hist-negatives", "0.2", "--hist-negatives-from", "pair", "--out",
                dir.resolve("a.tgm").toString()));
        assertThat(typo.exitCode()).isEqualTo(2);
        assertThat(typo.err()).contains("partners or pairs, got 'pair'");
        CliRun withoutShare = CliRun.of(concat(base, "--hist-negatives-from", "pairs", "--out",
                dir.resolve("b.tgm").toString()));
        assertThat(withoutShare.exitCode()).isEqualTo(2);
        assertThat(withoutShare.err()).contains("needs --hist-negatives SHARE above 0");
        CliRun ok = CliRun.of(concat(base, "--hist-negatives", "0.5", "--hist-negatives-from", "pairs",
                "--dictionaries", "--out", dir.resolve("c.tgm").toString()));
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("epoch   1").contains("model written to");
    }

    @Test
    void thePairScorersTimeEncodingWidthIsCheckedAndRecorded(@TempDir Path dir) throws Exception {
        Path data = edges(dir);
        String[] base = {"train", "--data", data.toString(), "--src", "from", "--dst", "to", "--ts", "time",
                "--epochs", "1", "--batch", "100"};
        CliRun withoutDictionaries = CliRun.of(concat(base, "--pair-time-dim", "4", "--out",
                dir.resolve("a.tgm").toString()));
        assertThat(withoutDictionaries.exitCode()).isEqualTo(2);
        assertThat(withoutDictionaries.err()).contains("add --dictionaries");
        CliRun zero = CliRun.of(concat(base, "--dictionaries", "--pair-time-dim", "0", "--out",
                dir.resolve("b.tgm").toString()));
        assertThat(zero.exitCode()).isEqualTo(2);
        assertThat(zero.err()).contains("--pair-time-dim");

        Path model = dir.resolve("c.tgm");
        CliRun ok = CliRun.of(concat(base, "--dictionaries", "--pair-time-dim", "4", "--out", model.toString()));
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("(entry time encoding 4)");
        assertThat(ModelFile.read(model).header().config()).containsEntry("scorer.time_dim", "4");
        // the weights have the narrower shapes, so the file only loads if they were saved as such
        assertThat(MemoryModelFile.load(model).parts().scorer().timeDim()).isEqualTo(4);
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
