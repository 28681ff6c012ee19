package io.tgstream.connectors.json;

import java.io.Serializable;
import java.util.Objects;

/**
 * The limits and options of {@link EdgeEventParser}: immutable, serializable, changed through {@code with...} copies.
 *
 * <p>The limits bound the work and memory one record can cost, whatever its bytes: the record size, the nesting depth
 * of containers, the length of any string or field name, and the number of features.
 */
public final class ParserSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Largest accepted record value: 1 MiB, the order of Kafka's default maximum message size. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 1 << 20;
    /** Deepest accepted container nesting (the top-level object is depth 1, its features array depth 2). */
    public static final int DEFAULT_MAX_NESTING_DEPTH = 8;
    /** Longest accepted string value or field name, in characters (node ids are strings). */
    public static final int DEFAULT_MAX_STRING_LENGTH = 4096;
    /** Most features accepted per event. */
    public static final int DEFAULT_MAX_FEATURES = 1024;
    /** Value of {@link #expectedFeatures()} that accepts any feature count up to the maximum. */
    public static final int ANY_FEATURE_COUNT = -1;
    /** Unit of {@code ts} unless configured otherwise. */
    public static final TimestampUnit DEFAULT_TIMESTAMP_UNIT = TimestampUnit.MILLISECONDS;

    /** The smallest depth that still admits the schema itself (object, features array). */
    static final int MIN_NESTING_DEPTH = 2;

    private final int maxRecordBytes;
    private final int maxNestingDepth;
    private final int maxStringLength;
    private final int maxFeatures;
    private final int expectedFeatures;
    private final TimestampUnit timestampUnit;

    private ParserSettings(int maxRecordBytes, int maxNestingDepth, int maxStringLength, int maxFeatures,
                           int expectedFeatures, TimestampUnit timestampUnit) {
        if (maxRecordBytes < 2) {
            throw new IllegalArgumentException("maxRecordBytes must be at least 2 (the size of '{}'), got " + maxRecordBytes);
        }
        if (maxNestingDepth < MIN_NESTING_DEPTH) {
            throw new IllegalArgumentException("maxNestingDepth must be at least " + MIN_NESTING_DEPTH
                    + " (an object holding the features array), got " + maxNestingDepth);
        }
        if (maxStringLength < 1) {
            throw new IllegalArgumentException("maxStringLength must be positive, got " + maxStringLength);
        }
        if (maxFeatures < 0) {
            throw new IllegalArgumentException("maxFeatures must be zero or more, got " + maxFeatures);
        }
        if (expectedFeatures != ANY_FEATURE_COUNT && (expectedFeatures < 0 || expectedFeatures > maxFeatures)) {
            throw new IllegalArgumentException("expectedFeatures must be " + ANY_FEATURE_COUNT
                    + " (any) or between 0 and maxFeatures=" + maxFeatures + ", got " + expectedFeatures);
        }
        this.maxRecordBytes = maxRecordBytes;
        this.maxNestingDepth = maxNestingDepth;
        this.maxStringLength = maxStringLength;
        this.maxFeatures = maxFeatures;
        this.expectedFeatures = expectedFeatures;
        this.timestampUnit = Objects.requireNonNull(timestampUnit, "timestampUnit");
    }

    /** The defaults: the {@code DEFAULT_...} constants of this class and any feature count. */
    public static ParserSettings defaults() {
        return new ParserSettings(DEFAULT_MAX_RECORD_BYTES, DEFAULT_MAX_NESTING_DEPTH, DEFAULT_MAX_STRING_LENGTH,
                DEFAULT_MAX_FEATURES, ANY_FEATURE_COUNT, DEFAULT_TIMESTAMP_UNIT);
    }

    public ParserSettings withMaxRecordBytes(int v) {
        return new ParserSettings(v, maxNestingDepth, maxStringLength, maxFeatures, expectedFeatures, timestampUnit);
    }

    public ParserSettings withMaxNestingDepth(int v) {
        return new ParserSettings(maxRecordBytes, v, maxStringLength, maxFeatures, expectedFeatures, timestampUnit);
    }

    public ParserSettings withMaxStringLength(int v) {
        return new ParserSettings(maxRecordBytes, maxNestingDepth, v, maxFeatures, expectedFeatures, timestampUnit);
    }

    public ParserSettings withMaxFeatures(int v) {
        return new ParserSettings(maxRecordBytes, maxNestingDepth, maxStringLength, v, expectedFeatures, timestampUnit);
    }

    /** Require exactly {@code v} features per event ({@link #ANY_FEATURE_COUNT} to accept any count). */
    public ParserSettings withExpectedFeatures(int v) {
        return new ParserSettings(maxRecordBytes, maxNestingDepth, maxStringLength, maxFeatures, v, timestampUnit);
    }

    public ParserSettings withTimestampUnit(TimestampUnit v) {
        return new ParserSettings(maxRecordBytes, maxNestingDepth, maxStringLength, maxFeatures, expectedFeatures, v);
    }

    public int maxRecordBytes() { return maxRecordBytes; }
    public int maxNestingDepth() { return maxNestingDepth; }
    public int maxStringLength() { return maxStringLength; }
    public int maxFeatures() { return maxFeatures; }
    /** The exact feature count required, or {@link #ANY_FEATURE_COUNT}. */
    public int expectedFeatures() { return expectedFeatures; }
    public TimestampUnit timestampUnit() { return timestampUnit; }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof ParserSettings)) return false;
        ParserSettings s = (ParserSettings) o;
        return maxRecordBytes == s.maxRecordBytes && maxNestingDepth == s.maxNestingDepth
                && maxStringLength == s.maxStringLength && maxFeatures == s.maxFeatures
                && expectedFeatures == s.expectedFeatures && timestampUnit == s.timestampUnit;
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxRecordBytes, maxNestingDepth, maxStringLength, maxFeatures, expectedFeatures, timestampUnit);
    }

    @Override
    public String toString() {
        return "ParserSettings{maxRecordBytes=" + maxRecordBytes + ", maxNestingDepth=" + maxNestingDepth
                + ", maxStringLength=" + maxStringLength + ", maxFeatures=" + maxFeatures
                + ", expectedFeatures=" + expectedFeatures + ", timestampUnit=" + timestampUnit + '}';
    }
}
