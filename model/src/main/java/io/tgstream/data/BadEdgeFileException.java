package io.tgstream.data;

import java.nio.file.Path;

/** A user-facing error in an edge file: names the file, the 1-based line (0 when not about one line) and the reason. */
public final class BadEdgeFileException extends RuntimeException {
    private final Path file;
    private final long line;
    private final String reason;

    public BadEdgeFileException(Path file, long line, String reason) {
        super(file + (line > 0 ? ", line " + line : "") + ": " + reason);
        this.file = file;
        this.line = line;
        this.reason = reason;
    }

    public Path file() { return file; }
    /** 1-based line number, or 0 when the problem is not about one line. */
    public long line() { return line; }
    public String reason() { return reason; }
}
