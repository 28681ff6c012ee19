package io.tgstream.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes one benchmark's result as {@code <dir>/<name>.json} (data) and {@code <dir>/<name>.md} (the table). */
public final class ResultFiles {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultFiles() {
    }

    /** Writes both files (creating the folder) and returns the JSON file's path. */
    public static Path write(Path dir, String name, Object json, String markdown) {
        try {
            Files.createDirectories(dir);
            Path j = dir.resolve(name + ".json");
            JSON.writeValue(j.toFile(), json);
            Files.writeString(dir.resolve(name + ".md"), markdown);
            return j;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results " + name + " under " + dir + ": " + e.getMessage()
                    + "; choose a writable folder with -D" + BenchEnvironment.RESULTS_DIR_PROPERTY, e);
        }
    }

    /** The shared JSON mapper (reading JMH output, tests). */
    public static ObjectMapper json() {
        return JSON;
    }
}
