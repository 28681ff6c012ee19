package io.tgstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tgstream run} turns a missing or bad config into a one-line usage error. */
class RunCommandTest {
    @Test
    void aMissingConfigSaysSo(@TempDir Path dir) {
        CliRun r = CliRun.of("run", "--config", dir.resolve("nope.yaml").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("nope.yaml").contains("does not exist").doesNotContain("\tat ");
    }

    @Test
    void anUnknownKeyIsNamed(@TempDir Path dir) throws IOException {
        Path yaml = dir.resolve("job.yaml");
        Files.writeString(yaml, "bootstrap-servers: localhost:9092\nno_such_key: 1\n");
        CliRun r = CliRun.of("run", "--config", yaml.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("no_such_key").doesNotContain("\tat ");
    }
}
