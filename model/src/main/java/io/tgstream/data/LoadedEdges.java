package io.tgstream.data;

import java.nio.file.Path;
import java.util.List;

/**
 * The result of reading an edge file: the stream, and the rows skipped as bad (only with skip-bad on), with the
 * first few reasons so that a user can see what was wrong.
 */
public record LoadedEdges(EdgeStream stream, Path file, long skippedRows, List<String> firstSkipReasons) {
    public LoadedEdges {
        firstSkipReasons = List.copyOf(firstSkipReasons);
    }
}
