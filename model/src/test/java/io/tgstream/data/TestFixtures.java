package io.tgstream.data;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Objects;

/** Locates the small fixture files of model/src/test/resources/data. */
final class TestFixtures {
    private TestFixtures() {}

    /**
     * Creates java.io.tmpdir if it is missing: the build points it at target/tmp, which nothing else creates, and
     * JUnit's @TempDir needs it. Call from a @BeforeAll of classes that use @TempDir.
     */
    static void ensureTmpDir() throws java.io.IOException {
        java.nio.file.Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
    }

    static Path fixture(String name) {
        try {
            return Path.of(Objects.requireNonNull(TestFixtures.class.getResource("/data/" + name), name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
