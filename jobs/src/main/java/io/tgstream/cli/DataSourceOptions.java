package io.tgstream.cli;

import io.tgstream.data.ColumnRef;
import io.tgstream.data.DataDirectory;
import io.tgstream.data.EdgeListFormat;
import io.tgstream.data.EdgeListReader;
import io.tgstream.data.LoadedEdges;
import io.tgstream.data.NamedDataset;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/**
 * The options that say which events to read: a named data set ({@code --dataset}, looked up in the data directory) or
 * any delimited edge list ({@code --data FILE} with its columns). Shared by every command that reads events.
 */
final class DataSourceOptions {
    @Option(names = "--dataset", paramLabel = "NAME",
            description = "A named data set: uci, enron, wikipedia, bitcoin-alpha, uslegis.")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where named data sets are looked up (default: $" + DataDirectory.ENV + ", -D"
                    + DataDirectory.PROPERTY + ", ./data, ../shared/data).")
    Path dataDir;

    @Option(names = "--data", paramLabel = "FILE", description = "Any delimited edge list (CSV, TSV, spaces).")
    Path data;

    @Option(names = "--src", paramLabel = "COL", description = "Source column: header name or 0-based index.")
    String src;

    @Option(names = "--dst", paramLabel = "COL", description = "Destination column: header name or 0-based index.")
    String dst;

    @Option(names = "--ts", paramLabel = "COL", description = "Timestamp column (whole numbers): name or index.")
    String ts;

    @Option(names = "--features", paramLabel = "COL", split = ",", description = "Feature columns, comma-separated.")
    List<String> features;

    @Option(names = "--label", paramLabel = "COL", description = "Integer label column.")
    String label;

    @Option(names = "--sign", paramLabel = "COL", description = "Column whose sign (negative: -1) is the edge's sign.")
    String sign;

    @Option(names = "--delimiter", paramLabel = "D",
            description = "comma, tab, space, or one character (default: auto-detected from the first line).")
    String delimiter;

    @Option(names = "--header", negatable = true,
            description = "Whether the first line is a header (default: auto; --no-header to force none).")
    Boolean header;

    @Option(names = "--time-unit", paramLabel = "UNIT", description = "Unit of the timestamps (default: s).")
    String timeUnit;

    @Option(names = "--skip-bad", description = "Skip and count bad rows instead of stopping at the first one.")
    boolean skipBad;

    /** A short name for results: the data set's name, or the file's name. */
    String sourceName() {
        return dataset != null ? NamedDataset.byName(dataset).cliName() : data.getFileName().toString();
    }

    /** Reads the events; prints the skipped-row count (and the first reasons) to {@code err}. */
    LoadedEdges load(PrintWriter err) {
        validate();
        LoadedEdges le;
        if (dataset != null) {
            NamedDataset d = NamedDataset.byName(dataset);
            le = d.load(DataDirectory.resolve(dataDir).require(d), skipBad);
        } else {
            le = new EdgeListReader(format(), skipBad).read(data, data.getFileName().toString());
        }
        if (le.skippedRows() > 0) {
            err.println("tgstream: skipped " + le.skippedRows() + " bad rows of " + le.file() + "; first: "
                    + String.join("; ", le.firstSkipReasons()));
            err.flush();
        }
        return le;
    }

    private void validate() {
        boolean generic = src != null || dst != null || ts != null || features != null || label != null
                || sign != null || delimiter != null || header != null || timeUnit != null;
        if (dataset == null && data == null) {
            throw new UserInputException("say which events to read: --dataset NAME (one of "
                    + NamedDataset.knownNames() + ") or --data FILE --src COL --dst COL --ts COL");
        }
        if (dataset != null && data != null) {
            throw new UserInputException("give either --dataset or --data, not both");
        }
        if (dataset != null && generic) {
            throw new UserInputException("--src/--dst/--ts/--features/--label/--sign/--delimiter/--header/--time-unit"
                    + " describe a --data file; a named data set knows its own columns");
        }
        if (data != null && (src == null || dst == null || ts == null)) {
            throw new UserInputException("--data needs --src, --dst and --ts (column names or 0-based indices)");
        }
    }

    private EdgeListFormat format() {
        try {
            EdgeListFormat f = EdgeListFormat.of(ColumnRef.parse(src), ColumnRef.parse(dst), ColumnRef.parse(ts));
            if (features != null) f = f.withFeatures(features.stream().map(ColumnRef::parse).collect(Collectors.toList()));
            if (label != null) f = f.withLabel(ColumnRef.parse(label));
            if (sign != null) f = f.withSign(ColumnRef.parse(sign));
            if (timeUnit != null) f = f.withTimeUnit(timeUnit);
            return f.withDelimiter(delimiterChar()).withHeader(header);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage());
        }
    }

    private Character delimiterChar() {
        if (delimiter == null || delimiter.equals("auto")) return null;
        switch (delimiter) {
            case "comma": return ',';
            case "tab": case "\\t": return '\t';
            case "space": case "whitespace": return EdgeListFormat.WHITESPACE;
            case "semicolon": return ';';
            default:
                if (delimiter.length() == 1) return delimiter.charAt(0);
                throw new UserInputException("--delimiter must be comma, tab, space, auto or one character, got '"
                        + delimiter + "'");
        }
    }
}
