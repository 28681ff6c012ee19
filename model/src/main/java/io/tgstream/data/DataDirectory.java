package io.tgstream.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where named data sets are looked up: the one directory configured by the {@code --data-dir} option, else by the
 * environment variable {@value #ENV}, else by the system property {@value #PROPERTY}; when none is configured,
 * {@code <cwd>/data}, then {@code <tgstream.home>/data} (set by the launcher), then {@code <cwd>/../shared/data}.
 * A data set is taken from the first of these directories that holds its file.
 */
public final class DataDirectory {
    /** Environment variable naming the data directory. */
    public static final String ENV = "TGSTREAM_DATA_DIR";
    /** System property naming the data directory. */
    public static final String PROPERTY = "tgstream.data.dir";
    /** System property set by the launcher script to the installation's root. */
    public static final String HOME_PROPERTY = "tgstream.home";

    private final List<Path> candidates;
    private final String configuredBy;

    private DataDirectory(List<Path> candidates, String configuredBy) {
        this.candidates = List.copyOf(candidates);
        this.configuredBy = configuredBy;
    }

    /** Resolves the directory from an explicit option (may be null), the process environment and system properties. */
    public static DataDirectory resolve(Path option) {
        return resolve(option, System.getenv(), System.getProperty(PROPERTY), System.getProperty(HOME_PROPERTY),
                Path.of("").toAbsolutePath());
    }

    /** Resolves the directory from the given sources (testable form of {@link #resolve(Path)}). */
    public static DataDirectory resolve(Path option, Map<String, String> env, String property, String home, Path cwd) {
        if (option != null) return new DataDirectory(List.of(option.toAbsolutePath()), "--data-dir");
        String e = env.get(ENV);
        if (e != null && !e.isBlank()) return new DataDirectory(List.of(Path.of(e).toAbsolutePath()), ENV);
        if (property != null && !property.isBlank()) {
            return new DataDirectory(List.of(Path.of(property).toAbsolutePath()), "-D" + PROPERTY);
        }
        List<Path> c = new ArrayList<>();
        c.add(cwd.resolve("data").normalize());
        if (home != null && !home.isBlank()) {
            Path h = Path.of(home).toAbsolutePath().resolve("data").normalize();
            if (!c.contains(h)) c.add(h);
        }
        c.add(cwd.resolve("../shared/data").normalize());
        return new DataDirectory(c, "the default search path");
    }

    /** The directories searched, in order. */
    public List<Path> candidates() { return candidates; }

    /** What configured this directory (the option, the variable, the property, or the default search path). */
    public String configuredBy() { return configuredBy; }

    /** The data set's file in the first directory that holds it. */
    public Optional<Path> find(NamedDataset d) {
        for (Path dir : candidates) {
            Path f = dir.resolve(d.relativePath());
            if (Files.isRegularFile(f)) return Optional.of(f);
        }
        return Optional.empty();
    }

    /** The data set's file, or an error that says where tgstream looked and where the file comes from. */
    public Path require(NamedDataset d) {
        return find(d).orElseThrow(() -> new DatasetLookupException(notFoundMessage(d)));
    }

    /** Why a data set was not found and how to get it. */
    public String notFoundMessage(NamedDataset d) {
        String looked = candidates.stream().map(c -> c.resolve(d.relativePath()).toString())
                .collect(Collectors.joining(", "));
        return "data set '" + d.cliName() + "' not found; looked for " + looked + " (directories from " + configuredBy
                + "). It comes from: " + d.origin() + ". Put the file at " + candidates.get(0).resolve(d.relativePath())
                + ", or point --data-dir (or " + ENV + ") at a directory holding " + d.relativePath() + ".";
    }
}
