package io.tgstream.data;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared data directory of the tests (system property tgstream.data.dir); skips a test when a file is absent. */
public final class SharedData {
    private SharedData() {}

    /** The named data set's file, or a skipped test with a message saying what is missing. */
    public static Path require(NamedDataset d) {
        String dir = System.getProperty(DataDirectory.PROPERTY);
        assumeTrue(dir != null, "system property " + DataDirectory.PROPERTY + " is not set: shared data sets unavailable");
        Path f = Path.of(dir).resolve(d.relativePath());
        assumeTrue(Files.isRegularFile(f), "data set file " + f + " is absent; skipping");
        return f;
    }

    /** The named data set, loaded strictly. */
    public static EdgeStream load(NamedDataset d) {
        return d.load(require(d), false).stream();
    }
}
