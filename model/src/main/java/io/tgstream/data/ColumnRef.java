package io.tgstream.data;

import java.util.List;

/** A column of a delimited file, named by its header name or by its 0-based index. */
public final class ColumnRef {
    private final String name;
    private final int index;

    private ColumnRef(String name, int index) {
        this.name = name;
        this.index = index;
    }

    /** A column by header name. */
    public static ColumnRef named(String name) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("a column name must not be empty");
        return new ColumnRef(name, -1);
    }

    /** A column by 0-based index. */
    public static ColumnRef at(int index) {
        if (index < 0) throw new IllegalArgumentException("a column index must be >= 0, got " + index);
        return new ColumnRef(null, index);
    }

    /** Parses a command-line spelling: digits mean an index, anything else a header name. */
    public static ColumnRef parse(String text) {
        String t = text.trim();
        if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
            return at(Integer.parseInt(t));
        }
        return named(t);
    }

    public boolean isNamed() { return name != null; }

    /**
     * The index of this column, given the header (null when the file has none).
     *
     * @throws IllegalArgumentException with the available names, when a named column is not in the header
     */
    int resolve(List<String> header) {
        if (name == null) return index;
        if (header == null) {
            throw new IllegalArgumentException("column '" + name + "' is named, but the file is read without a header;"
                    + " use a 0-based column index or --header");
        }
        int i = header.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no column named '" + name + "' in the header " + header
                    + "; use one of these names or a 0-based column index");
        }
        return i;
    }

    @Override
    public String toString() {
        return name != null ? name : Integer.toString(index);
    }
}
