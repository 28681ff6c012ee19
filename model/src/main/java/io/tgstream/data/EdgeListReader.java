package io.tgstream.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a delimited edge list (CSV, TSV or whitespace-separated; LF or CRLF) into an {@link EdgeStream}, sorted stably
 * by time.
 *
 * <p>Blank lines and lines starting with '#' are ignored. A bad row (too few fields, an empty id, a timestamp that is
 * not a whole non-negative number, a feature that is not a finite number, a label that is not an integer) stops the
 * read with a {@link BadEdgeFileException} naming the file, the line and the reason; with {@code skipBad} it is
 * skipped and counted instead.
 */
public final class EdgeListReader {
    /** How many skip reasons a {@link LoadedEdges} keeps to show the user. */
    public static final int KEPT_SKIP_REASONS = 5;
    /** How many neighbouring file names a missing-file error lists. */
    private static final int MAX_LISTED_FILES = 10;

    private final EdgeListFormat format;
    private final boolean skipBad;

    public EdgeListReader(EdgeListFormat format, boolean skipBad) {
        this.format = format;
        this.skipBad = skipBad;
    }

    /** Reads {@code file}; the stream is named {@code name}. */
    public LoadedEdges read(Path file, String name) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(in, file, name);
        } catch (NoSuchFileException e) {
            throw new BadEdgeFileException(file, 0, "no such file; " + whatExistsNear(file));
        } catch (IOException e) {
            throw new BadEdgeFileException(file, 0, "cannot read: " + e.getMessage());
        } catch (UncheckedIOException e) {
            throw new BadEdgeFileException(file, 0, "cannot read: " + e.getCause().getMessage());
        }
    }

    /** What a user who mistyped a path needs: the files next to it, or that its directory does not exist either. */
    static String whatExistsNear(Path file) {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return "the directory " + dir + " does not exist either (working directory: "
                    + Path.of("").toAbsolutePath() + ")";
        }
        try (java.util.stream.Stream<Path> list = Files.list(dir)) {
            List<String> names = list.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted()
                    .limit(MAX_LISTED_FILES + 1).collect(java.util.stream.Collectors.toList());
            if (names.isEmpty()) return "the directory " + dir + " has no files";
            String shown = String.join(", ", names.subList(0, Math.min(names.size(), MAX_LISTED_FILES)));
            return "files in " + dir + ": " + shown + (names.size() > MAX_LISTED_FILES ? ", ..." : "");
        } catch (IOException e) {
            return "cannot list " + dir + ": " + e.getMessage();
        }
    }

    private LoadedEdges read(BufferedReader in, Path file, String name) throws IOException {
        String line;
        long lineNo = 0;
        // Find the first content line: it decides the delimiter and whether it is a header.
        do {
            line = in.readLine();
            lineNo++;
        } while (line != null && isIgnorable(line));
        if (line == null) {
            throw new BadEdgeFileException(file, 0, "the file has no edge rows");
        }
        char delimiter = format.delimiter() != null ? format.delimiter() : detectDelimiter(line);
        String[] first = split(line, delimiter);
        boolean header = decideHeader(first);
        List<String> headerNames = header ? Arrays.asList(first) : null;

        Columns cols;
        try {
            cols = new Columns(format, headerNames);
        } catch (IllegalArgumentException e) {
            throw new BadEdgeFileException(file, header ? lineNo : 0, e.getMessage());
        }
        EdgeStream.Builder builder = EdgeStream.builder(name, format.timeUnit(), cols.features.length);
        long skipped = 0;
        List<String> reasons = new ArrayList<>();
        if (!header) {
            String bad = addRow(builder, first, cols);
            if (bad != null) {
                skipped += handleBad(file, lineNo, bad, reasons);
            }
        }
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (isIgnorable(line)) continue;
            String bad = addRow(builder, split(line, delimiter), cols);
            if (bad != null) {
                skipped += handleBad(file, lineNo, bad, reasons);
            }
        }
        if (builder.size() == 0) {
            throw new BadEdgeFileException(file, 0, skipped > 0
                    ? "all " + skipped + " rows are bad; first: " + reasons.get(0)
                    : "the file has no edge rows, only a header");
        }
        return new LoadedEdges(builder.build(), file, skipped, reasons);
    }

    private long handleBad(Path file, long lineNo, String reason, List<String> reasons) {
        if (!skipBad) {
            throw new BadEdgeFileException(file, lineNo, reason + " (use --skip-bad to skip and count such rows)");
        }
        if (reasons.size() < KEPT_SKIP_REASONS) reasons.add("line " + lineNo + ": " + reason);
        return 1;
    }

    private static boolean isIgnorable(String line) {
        String t = line.strip();
        return t.isEmpty() || t.charAt(0) == '#';
    }

    /** Tab if the line has one, else comma if it has one, else whitespace. */
    static char detectDelimiter(String line) {
        if (line.indexOf('\t') >= 0) return '\t';
        if (line.indexOf(',') >= 0) return ',';
        return EdgeListFormat.WHITESPACE;
    }

    private boolean decideHeader(String[] first) {
        if (format.header() != null) return format.header();
        if (format.namesColumns()) return true;
        int ts = format.timestamp().resolve(null);
        return ts >= first.length || parseTimestamp(first[ts]) == null;
    }

    static String[] split(String line, char delimiter) {
        if (delimiter == EdgeListFormat.WHITESPACE) {
            return line.strip().split("\\s+");
        }
        List<String> out = new ArrayList<>();
        int start = 0;
        int n = line.length();
        for (int i = 0; i <= n; i++) {
            if (i == n || line.charAt(i) == delimiter) {
                out.add(line.substring(start, i).strip());
                start = i + 1;
            }
        }
        return out.toArray(new String[0]);
    }

    /** Returns null when the row was added, else the reason it is bad. */
    private static String addRow(EdgeStream.Builder builder, String[] f, Columns c) {
        if (f.length <= c.maxIndex) {
            return "expected at least " + (c.maxIndex + 1) + " fields, found " + f.length;
        }
        String s = f[c.src];
        String d = f[c.dst];
        if (s.isEmpty()) return "empty source id (column " + c.src + ")";
        if (d.isEmpty()) return "empty destination id (column " + c.dst + ")";
        Long t = parseTimestamp(f[c.ts]);
        if (t == null) {
            return "timestamp '" + f[c.ts] + "' (column " + c.ts + ") is not a whole non-negative number";
        }
        float[] feats = null;
        if (c.features.length > 0) {
            feats = new float[c.features.length];
            for (int j = 0; j < feats.length; j++) {
                String v = f[c.features[j]];
                float x;
                try {
                    x = Float.parseFloat(v);
                } catch (NumberFormatException e) {
                    return "feature '" + v + "' (column " + c.features[j] + ") is not a number";
                }
                if (!Float.isFinite(x)) return "feature '" + v + "' (column " + c.features[j] + ") is not finite";
                feats[j] = x;
            }
        }
        int label = 0;
        if (c.label >= 0) {
            Long l = parseWhole(f[c.label]);
            if (l == null || l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
                return "label '" + f[c.label] + "' (column " + c.label + ") is not an integer";
            }
            label = (int) (long) l;
        }
        int sign = 1;
        if (c.sign >= 0) {
            double v;
            try {
                v = Double.parseDouble(f[c.sign]);
            } catch (NumberFormatException e) {
                return "sign value '" + f[c.sign] + "' (column " + c.sign + ") is not a number";
            }
            if (Double.isNaN(v)) return "sign value '" + f[c.sign] + "' (column " + c.sign + ") is not a number";
            sign = v < 0 ? -1 : 1;
        }
        builder.add(s, d, t, feats, label, sign);
        return null;
    }

    /** A whole non-negative number, also written as a decimal such as "123.0"; null otherwise. */
    static Long parseTimestamp(String text) {
        Long v = parseWhole(text);
        return v == null || v < 0 ? null : v;
    }

    private static Long parseWhole(String text) {
        Long fast = parsePlainWhole(text);
        if (fast != null) return fast;
        try {
            double d = Double.parseDouble(text);
            if (!Double.isFinite(d) || d != Math.rint(d) || Math.abs(d) >= 0x1p63) return null;
            return (long) d;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Fast path without exceptions: optional '-', up to 18 digits, optionally ".0..." (as "123.0" in the ml_ files);
     * null when the text has any other form (then the general parser decides).
     */
    private static Long parsePlainWhole(String text) {
        int n = text.length();
        int i = 0;
        boolean negative = n > 0 && text.charAt(0) == '-';
        if (negative) i++;
        int digitsStart = i;
        long v = 0;
        while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            v = v * 10 + (text.charAt(i) - '0');
            i++;
        }
        int digits = i - digitsStart;
        if (digits == 0 || digits > 18) return null;
        if (i < n) {
            if (text.charAt(i) != '.') return null;
            for (i++; i < n; i++) if (text.charAt(i) != '0') return null;
        }
        return negative ? -v : v;
    }

    /** The format's columns resolved to indices for one file. */
    private static final class Columns {
        final int src;
        final int dst;
        final int ts;
        final int[] features;
        final int label;
        final int sign;
        final int maxIndex;

        Columns(EdgeListFormat fmt, List<String> header) {
            src = fmt.src().resolve(header);
            dst = fmt.dst().resolve(header);
            ts = fmt.timestamp().resolve(header);
            features = fmt.features().stream().mapToInt(r -> r.resolve(header)).toArray();
            label = fmt.label() == null ? -1 : fmt.label().resolve(header);
            sign = fmt.sign() == null ? -1 : fmt.sign().resolve(header);
            int m = Math.max(src, Math.max(dst, Math.max(ts, Math.max(label, sign))));
            for (int f : features) m = Math.max(m, f);
            maxIndex = m;
        }
    }
}
