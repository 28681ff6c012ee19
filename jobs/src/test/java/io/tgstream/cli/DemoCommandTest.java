package io.tgstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo path end to end at a small size: train, in-process Kafka, the job on a MiniCluster, the summary. */
class DemoCommandTest {
    @Test
    void theDemoStreamsEveryEventAndAgreesWithTheOfflineModel(@TempDir Path dir) throws IOException {
        SplittableRandom random = new SplittableRandom(8);
        List<String> lines = new ArrayList<>();
        lines.add("from,to,time");
        for (int i = 0; i < 1000; i++) {
            lines.add(random.nextInt(30) + "," + (random.nextInt(10) < 8 ? random.nextInt(5) : random.nextInt(30))
                    + "," + (10 * i));
        }
        Path data = dir.resolve("edges.csv");
        Files.write(data, lines, StandardCharsets.UTF_8);

        CliRun r = CliRun.of("demo", "--data", data.toString(), "--src", "from", "--dst", "to", "--ts", "time",
                "--epochs", "1", "--batch", "50", "--parallelism", "1", "--max-events", "400",
                "--work-dir", dir.resolve("work").toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("dataset").contains("transductive rnd").contains("transductive hist")
                .contains("transductive ind").contains("records/s").contains("offline MRR");
        Matcher m = Pattern.compile("largest \\|stream - offline\\| score: (\\S+)").matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        assertThat(Double.parseDouble(m.group(1))).isLessThan(1e-5);
        Matcher run = Pattern.compile("transductive\\s+(\\d+)\\s+\\S+\\s+\\S+\\s+\\S+\\s+\\S+\\s+(\\d+)")
                .matcher(r.out());
        assertThat(run.find()).as(r.out()).isTrue();
        assertThat(Integer.parseInt(run.group(1))).as("edges and probes").isGreaterThan(400);
        assertThat(run.group(2)).as("dead letters").isEqualTo("0");
        Matcher report = Pattern.compile("report: (\\S+)").matcher(r.out());
        assertThat(report.find()).as(r.out()).isTrue();
        assertThat(Files.readString(Path.of(report.group(1)))).contains("<svg").contains("precision");
    }
}
