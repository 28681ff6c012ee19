package io.tgstream.data;

import java.util.List;
import java.util.Objects;

/**
 * How to read a delimited edge list: which columns hold source, destination, timestamp, features, label and sign,
 * the delimiter and whether the first line is a header.
 *
 * <p>{@code delimiter} null means auto-detect (tab, else comma, else runs of spaces, judged on the first non-blank
 * line); {@code header} null means auto-detect (a header is assumed when any column is given by name, or when the
 * first line's timestamp field is not a number). The sign column, when given, contributes the sign of its value
 * (negative gives -1, otherwise +1), so that e.g. a rating can be both a feature and the edge's sign.
 */
public record EdgeListFormat(ColumnRef src, ColumnRef dst, ColumnRef timestamp, List<ColumnRef> features,
                             ColumnRef label, ColumnRef sign, Character delimiter, Boolean header, String timeUnit) {

    /** Whitespace delimiter: one or more spaces or tabs. */
    public static final char WHITESPACE = ' ';
    /** Time unit assumed when none is configured. */
    public static final String DEFAULT_TIME_UNIT = "s";

    public EdgeListFormat {
        Objects.requireNonNull(src, "src column");
        Objects.requireNonNull(dst, "dst column");
        Objects.requireNonNull(timestamp, "timestamp column");
        features = features == null ? List.of() : List.copyOf(features);
        timeUnit = timeUnit == null ? DEFAULT_TIME_UNIT : timeUnit;
        if (Boolean.FALSE.equals(header) && usesNames(src, dst, timestamp, label, sign, features)) {
            throw new IllegalArgumentException("columns are given by name but the file has no header (--no-header);"
                    + " give 0-based column indices instead");
        }
    }

    /** Source, destination and timestamp columns, everything else auto-detected or absent. */
    public static EdgeListFormat of(ColumnRef src, ColumnRef dst, ColumnRef timestamp) {
        return new EdgeListFormat(src, dst, timestamp, List.of(), null, null, null, null, null);
    }

    public EdgeListFormat withFeatures(List<ColumnRef> f) {
        return new EdgeListFormat(src, dst, timestamp, f, label, sign, delimiter, header, timeUnit);
    }

    public EdgeListFormat withLabel(ColumnRef l) {
        return new EdgeListFormat(src, dst, timestamp, features, l, sign, delimiter, header, timeUnit);
    }

    public EdgeListFormat withSign(ColumnRef s) {
        return new EdgeListFormat(src, dst, timestamp, features, label, s, delimiter, header, timeUnit);
    }

    public EdgeListFormat withDelimiter(Character d) {
        return new EdgeListFormat(src, dst, timestamp, features, label, sign, d, header, timeUnit);
    }

    public EdgeListFormat withHeader(Boolean h) {
        return new EdgeListFormat(src, dst, timestamp, features, label, sign, delimiter, h, timeUnit);
    }

    public EdgeListFormat withTimeUnit(String unit) {
        return new EdgeListFormat(src, dst, timestamp, features, label, sign, delimiter, header, unit);
    }

    /** True when any column is referred to by header name. */
    public boolean namesColumns() {
        return usesNames(src, dst, timestamp, label, sign, features);
    }

    private static boolean usesNames(ColumnRef src, ColumnRef dst, ColumnRef ts, ColumnRef label, ColumnRef sign,
                                     List<ColumnRef> features) {
        if (src.isNamed() || dst.isNamed() || ts.isNamed()) return true;
        if (label != null && label.isNamed()) return true;
        if (sign != null && sign.isNamed()) return true;
        return features != null && features.stream().anyMatch(ColumnRef::isNamed);
    }
}
