package io.tgstream.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.tgstream.jobs.JobConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's table of job.yaml keys and the keys the job accepts are the same set: the docs cannot drift. */
class ReadmeConfigKeysTest {
    @Test
    void everyJobKeyIsDocumentedAndEveryDocumentedKeyExists() throws IOException {
        Path readme = Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."), "README.md");
        if (!Files.isRegularFile(readme)) {
            readme = Path.of("..", "README.md");
        }
        String text = Files.readString(readme);
        int start = text.indexOf("### The streaming job's configuration");
        assertThat(start).as("README section on job.yaml").isNotNegative();
        int end = text.indexOf("###", start + 3);
        Matcher m = Pattern.compile("^\\| `([a-z-]+)` \\|", Pattern.MULTILINE).matcher(text.substring(start, end));
        Set<String> documented = new TreeSet<>();
        while (m.find()) {
            documented.add(m.group(1));
        }
        assertThat(documented).isEqualTo(new TreeSet<>(JobConfig.keys()));
    }
}
