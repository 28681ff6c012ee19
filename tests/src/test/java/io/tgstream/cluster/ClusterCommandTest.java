package io.tgstream.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.tgstream.cli.TgstreamCommand;
import io.tgstream.data.EdgeStream;
import io.tgstream.stream.ParityFixture;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The command line: {@code tgstream cluster start} starts four live processes (broker, JobManager, two TaskManagers)
 * that a separate {@code status} finds again by their pid files; {@code submit --create-topics} puts the job on the
 * cluster, where it runs and scores events; {@code stop} ends every process; and user mistakes are one-line errors.
 */
@Tag("heavy")
class ClusterCommandTest {
    private Path dir;

    private record Result(int code, String out, String err) {}

    private static Result tgstream(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TgstreamCommand.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    @AfterEach
    void stopEverything() {
        if (dir != null && Files.exists(new ClusterLayout(dir).stateFile())) {
            LocalCluster.open(dir, null).stop();
        }
    }

    @Test
    void startStatusSubmitStop() throws Exception {
        dir = Path.of(System.getProperty("java.io.tmpdir")).resolve("cluster-cli-" + System.currentTimeMillis());
        String shared = ClusterTestFixture.sharedFlinkConfig().toString();

        Result start = tgstream("cluster", "start", "--dir", dir.toString(), "--flink-config", shared);
        assertThat(start.code()).as("start: %s", start.err()).isZero();
        Result status = tgstream("cluster", "status", "--dir", dir.toString());
        assertThat(status.code()).isZero();
        List<String> processes = status.out().lines().filter(l -> l.matches("^(kafka|jobmanager|taskmanager-\\d+) .*"))
                .toList();
        assertThat(processes).as("status lines:%n%s", status.out()).hasSize(4).allMatch(l -> l.contains(" alive "));
        Matcher kafka = Pattern.compile("Kafka bootstrap servers: (\\S+)").matcher(status.out());
        assertThat(kafka.find()).isTrue();
        String servers = kafka.group(1);

        Result again = tgstream("cluster", "start", "--dir", dir.toString(), "--flink-config", shared);
        assertThat(again.code()).as("a second start in the same directory is refused").isEqualTo(2);
        assertThat(again.err()).contains("already runs").doesNotContain("Exception");

        EdgeStream stream = ClusterTestFixture.stream(400, 40, 5);
        Path model = dir.resolve("model.tgm");
        ClusterTestFixture.model(stream, model);
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, String.join("\n",
                "bootstrap-servers: " + servers,
                "input-topic: events",
                "scores-topic: scores",
                "dead-letter-topic: dead-letters",
                "model: " + model,
                "batch-size: 50",
                "parallelism: 2",
                "checkpoint-interval-ms: 300",
                "transactional-id-prefix: cli-test", ""));
        Result submit = tgstream("cluster", "submit", "--dir", dir.toString(), "--config", job.toString(),
                "--create-topics");
        assertThat(submit.code()).as("submit: %s", submit.err()).isZero();
        Matcher id = Pattern.compile("JobID ([0-9a-f]{32})").matcher(submit.out());
        assertThat(id.find()).as("submit prints the job id: %s", submit.out()).isTrue();

        ParityFixture.publishAll(servers, "events", stream);
        assertThat(ParityFixture.awaitScores(servers, "scores", stream.size(), Duration.ofMinutes(2)))
                .as("every event scored by the submitted job").hasSize(stream.size());
        LocalCluster cluster = LocalCluster.open(dir, null);
        assertThat(cluster.rest().jobState(id.group(1))).contains("RUNNING");

        Result stop = tgstream("cluster", "stop", "--dir", dir.toString());
        assertThat(stop.code()).isZero();
        assertThat(cluster.processes()).as("no process of the cluster is left").noneMatch(ClusterProcess::alive);
        assertThat(tgstream("cluster", "status", "--dir", dir.toString()).out().lines()
                .filter(l -> l.contains(" down ")).count()).isEqualTo(4);

        Result missing = tgstream("cluster", "status", "--dir", dir.resolve("nothing-here").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("tgstream cluster start").doesNotContain("Exception");
    }
}
