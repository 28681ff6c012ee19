package io.tgstream.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The data sets tgstream knows by name: where each one's file lives inside a data directory, how to read it, and
 * where it comes from.
 *
 * <p>Quirks handled here: the TGN/DyGLib "ml_" files (uci, enron) have an unnamed row-index column, which is simply
 * not read; uci and wikipedia have CRLF line endings; enron writes timestamps as "123.0"; wikipedia's items are
 * already offset into the users' id space (ids are kept as in the file); bitcoin-alpha is unsorted (the stream is
 * sorted stably on load) and its rating becomes both the one feature and the edge's sign; uslegis has no header,
 * discrete time (one step per Congress) and its weight becomes the one feature.
 */
public enum NamedDataset {
    UCI("uci", "ml_uci.csv", "s",
            EdgeListFormat.of(ColumnRef.named("u"), ColumnRef.named("i"), ColumnRef.named("ts"))
                    .withLabel(ColumnRef.named("label")).withHeader(true).withDelimiter(','),
            "UC Irvine online student messages (CollegeMsg, Opsahl and Panzarasa) as processed by DGB (Poursafaei et al.,"
                    + " NeurIPS 2022) and DyGLib: file ml_uci.csv, e.g. GitHub YayaLee666/datasets, path ml_uci.csv"),
    ENRON("enron", "ml_enron.csv", "s",
            EdgeListFormat.of(ColumnRef.named("u"), ColumnRef.named("i"), ColumnRef.named("ts"))
                    .withLabel(ColumnRef.named("label")).withHeader(true).withDelimiter(','),
            "Enron email network as processed by DGB (Poursafaei et al., NeurIPS 2022) and DyGLib: file ml_enron.csv,"
                    + " e.g. GitHub YayaLee666/datasets, path ml_enron.csv"),
    WIKIPEDIA("wikipedia", "wikipedia.csv", "s",
            EdgeListFormat.of(ColumnRef.named("u"), ColumnRef.named("i"), ColumnRef.named("ts"))
                    .withLabel(ColumnRef.named("label")).withHeader(true).withDelimiter(','),
            "JODIE Wikipedia edits (Kumar et al., KDD 2019; Stanford SNAP, snap.stanford.edu/jodie) without the 172"
                    + " LIWC features, header u,i,ts,label with items offset by 8227: e.g. GitHub"
                    + " TantalizingPotato/TE-Conv, branch 6000d, path data/wikipedia.csv"),
    BITCOIN_ALPHA("bitcoin-alpha", "soc-sign-bitcoinalpha.csv", "s",
            EdgeListFormat.of(ColumnRef.at(0), ColumnRef.at(1), ColumnRef.at(3))
                    .withFeatures(List.of(ColumnRef.at(2))).withSign(ColumnRef.at(2)).withDelimiter(','),
            "Stanford SNAP soc-sign-bitcoin-alpha, https://snap.stanford.edu/data/soc-sign-bitcoin-alpha.html"
                    + " (Kumar et al., ICDM 2016): columns source,target,rating,time, with or without a header"),
    USLEGIS("uslegis", "LegisEdgelist.txt", "congress",
            EdgeListFormat.of(ColumnRef.at(1), ColumnRef.at(2), ColumnRef.at(0))
                    .withFeatures(List.of(ColumnRef.at(3))).withHeader(false).withDelimiter(','),
            "US Senate co-sponsorship network (Huang et al., KDD 2020; DGB \"US Legis\"): GitHub shenyangHuang/LAD,"
                    + " path datasets/USLegis_processed/LegisEdgelist.txt");

    private final String cliName;
    private final String fileName;
    private final EdgeListFormat format;
    private final String origin;

    NamedDataset(String cliName, String fileName, String timeUnit, EdgeListFormat format, String origin) {
        this.cliName = cliName;
        this.fileName = fileName;
        this.format = format.withTimeUnit(timeUnit);
        this.origin = origin;
    }

    /** The name used on the command line and in results, e.g. "bitcoin-alpha". */
    public String cliName() { return cliName; }
    /** The file's path relative to a data directory, e.g. "uci/ml_uci.csv". */
    public Path relativePath() { return Path.of(cliName, fileName); }
    public EdgeListFormat format() { return format; }
    /** Where the file comes from (its public origin). */
    public String origin() { return origin; }
    public String timeUnit() { return format.timeUnit(); }

    /** Reads this data set from {@code file}. */
    public LoadedEdges load(Path file, boolean skipBad) {
        return new EdgeListReader(format, skipBad).read(file, cliName);
    }

    /** All names, comma-separated, for messages. */
    public static String knownNames() {
        return Arrays.stream(values()).map(NamedDataset::cliName).collect(Collectors.joining(", "));
    }

    /** The data set of a command-line name (case-insensitive). */
    public static NamedDataset byName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (NamedDataset d : values()) {
            if (d.cliName.equals(n)) return d;
        }
        throw new DatasetLookupException("unknown data set '" + name + "'. Known data sets: " + knownNames()
                + ". For a file of your own use --data FILE with --src, --dst and --ts.");
    }
}
