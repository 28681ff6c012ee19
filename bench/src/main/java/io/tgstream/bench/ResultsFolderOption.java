package io.tgstream.bench;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --out} option every benchmark command shares: where its result files go. */
public final class ResultsFolderOption {
    @Option(names = "--out", description = "Results folder (default: -Dtgstream.results.dir, else docs/results).")
    Path out;

    /** The folder given with {@code --out}, else {@link BenchEnvironment#resultsDir()}. */
    public Path folder() {
        return out != null ? out : BenchEnvironment.resultsDir();
    }
}
