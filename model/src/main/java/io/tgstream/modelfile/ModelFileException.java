package io.tgstream.modelfile;

import java.io.IOException;
import java.nio.file.Path;

/** A model file that cannot be used: not a model file, another format version, truncated or corrupt. */
public final class ModelFileException extends IOException {
    private static final long serialVersionUID = 1L;

    public ModelFileException(Path file, String problem, String remedy) {
        super("model file " + file + ": " + problem + ". " + remedy);
    }
}
