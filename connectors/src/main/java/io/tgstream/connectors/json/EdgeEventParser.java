package io.tgstream.connectors.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.tgstream.data.EdgeEvent;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Parses and validates one edge-event record (JSON, DESIGN.md §5) into an {@link EdgeEvent} or a {@link Rejection}.
 *
 * <p>Schema: {@code {"src": id, "dst": id, "ts": int, "features": [numbers], "label": int, "sign": -1|1, "probe": string,
 * "end_batch": boolean}} where an id is a non-empty string or an integer in the 64-bit range; {@code probe} makes the
 * record a probe with that id (scored, never applied), {@code end_batch: true} closes a count batch after the edge
 * (see {@link EdgeEvent}); {@code src}, {@code dst} and {@code ts} are required; a null
 * value counts as absent; other fields are ignored (within the nesting limit) so that producers can add fields.
 * Integral-valued numbers written with a fraction ({@code 12.0}) are accepted where an integer is expected, because
 * numeric tools often write them so. {@code NaN} and {@code Infinity} tokens are read (to reject them by name).
 *
 * <p>{@link #parse(byte[])} never throws: whatever the bytes, it returns a result. Jackson's streaming parser with
 * {@link StreamReadConstraints} bounds the memory a record can take; the record size is checked before parsing, and
 * the bytes must be well-formed UTF-8 ({@link StrictUtf8}: Jackson alone accepts overlong forms and encoded surrogates).
 * Instances are immutable and safe to share between threads.
 */
public final class EdgeEventParser {
    /** Longest number literal read, in characters: far beyond any float or long, short enough to parse cheaply. */
    static final int MAX_NUMBER_LENGTH = 100;
    /** Messages quote parser errors; this keeps a dead letter small whatever the input. */
    static final int MAX_MESSAGE_LENGTH = 500;

    private final ParserSettings settings;
    private final JsonFactory factory;

    public EdgeEventParser(ParserSettings settings) {
        this.settings = settings;
        StreamReadConstraints constraints = StreamReadConstraints.builder()
                // one more than ours, so that our own depth check (with its clearer reason) fires first
                .maxNestingDepth(settings.maxNestingDepth() + 1)
                .maxStringLength(settings.maxStringLength())
                .maxNameLength(settings.maxStringLength())
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .build();
        this.factory = JsonFactory.builder()
                .streamReadConstraints(constraints)
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                // hostile field names must not end up in the JVM's string table
                .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
                .build();
    }

    /** A parser with {@link ParserSettings#defaults()}. */
    public static EdgeEventParser withDefaults() {
        return new EdgeEventParser(ParserSettings.defaults());
    }

    public ParserSettings settings() {
        return settings;
    }

    /** Parses one record value; never throws. */
    public ParseResult parse(byte[] value) {
        if (value == null || value.length == 0) {
            return invalid(RejectReason.EMPTY_RECORD, null, "the record has no value; send one JSON object per record");
        }
        if (value.length > settings.maxRecordBytes()) {
            return invalid(RejectReason.TOO_LARGE, null, "the record has " + value.length + " bytes, more than the limit of "
                    + settings.maxRecordBytes() + "; split it or raise maxRecordBytes");
        }
        int badByte = StrictUtf8.firstInvalidByte(value);
        if (badByte >= 0) {
            return invalid(RejectReason.MALFORMED_JSON, null, String.format("invalid UTF-8 at byte %d (0x%02x); send"
                    + " the record as well-formed UTF-8", badByte, value[badByte] & 0xFF));
        }
        try (JsonParser p = factory.createParser(value)) {
            return parseRecord(p);
        } catch (StreamConstraintsException e) {
            return invalid(RejectReason.TOO_LARGE, null, "a value exceeds the parser's limits: " + describe(e));
        } catch (JsonProcessingException e) {
            return invalid(RejectReason.MALFORMED_JSON, null, "not well-formed JSON: " + describe(e));
        } catch (IOException e) {
            return invalid(RejectReason.MALFORMED_JSON, null, "unreadable bytes: " + truncate(String.valueOf(e.getMessage())));
        } catch (RuntimeException e) {
            // Jackson reports a few pathological inputs (e.g. symbol-table floods) as unchecked exceptions
            return invalid(RejectReason.MALFORMED_JSON, null, "unreadable JSON: " + truncate(String.valueOf(e)));
        }
    }

    private ParseResult parseRecord(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) {
            return invalid(RejectReason.MALFORMED_JSON, null, "the record holds no JSON value, only whitespace");
        }
        if (t != JsonToken.START_OBJECT) {
            return invalid(RejectReason.NOT_AN_OBJECT, null, "the record is " + describe(t)
                    + "; an edge event is a JSON object like {\"src\": \"a\", \"dst\": \"b\", \"ts\": 0}");
        }
        Draft d = new Draft();
        Set<String> seen = new HashSet<>();
        while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
            if (t != JsonToken.FIELD_NAME) {
                return invalid(RejectReason.MALFORMED_JSON, null, "the object is truncated or broken");
            }
            String name = p.currentName();
            if (!seen.add(name)) {
                return invalid(RejectReason.DUPLICATE_FIELD, null, "field '" + truncate(name) + "' appears twice");
            }
            JsonToken v = p.nextToken();
            if (v == null) {
                return invalid(RejectReason.MALFORMED_JSON, null, "the object is truncated after field '" + truncate(name) + "'");
            }
            Rejection r;
            if (v == JsonToken.VALUE_NULL) {
                r = null; // null means absent
            } else {
                switch (name) {
                    case "src": r = readId(p, v, "src", d); break;
                    case "dst": r = readId(p, v, "dst", d); break;
                    case "ts": r = readTimestamp(p, v, d); break;
                    case "features": r = readFeatures(p, v, d); break;
                    case "label": r = readLabel(p, v, d); break;
                    case "sign": r = readSign(p, v, d); break;
                    case "probe": r = readProbe(p, v, d); break;
                    case "end_batch": r = readEndBatch(v, d); break;
                    default: r = skip(p, v);
                }
            }
            if (r != null) {
                return new ParseResult.Invalid(r);
            }
        }
        if (p.nextToken() != null) {
            return invalid(RejectReason.MALFORMED_JSON, null, "content follows the JSON object; send one object per record");
        }
        return complete(d);
    }

    private ParseResult complete(Draft d) {
        if (d.src == null) {
            return missing("src");
        }
        if (d.dst == null) {
            return missing("dst");
        }
        if (!d.hasTs) {
            return missing("ts");
        }
        int expected = settings.expectedFeatures();
        // a probe is scored, never applied, and scoring reads no edge features: it may leave them out
        boolean probeWithout = d.probe != null && d.featureCount == 0;
        if (expected != ParserSettings.ANY_FEATURE_COUNT && d.featureCount != expected && !probeWithout) {
            return invalid(RejectReason.WRONG_FEATURE_COUNT, null, "the event has " + d.featureCount
                    + " features, the job expects exactly " + expected);
        }
        float[] features = d.features == null ? new float[0] : Arrays.copyOf(d.features, d.featureCount);
        EdgeEvent e = new EdgeEvent(d.src, d.dst, d.ts, features, d.label, d.sign);
        if (d.probe != null && d.endBatch) {
            return invalid(RejectReason.BAD_TYPE, "end_batch", "a probe cannot close a batch: only applied edges"
                    + " count towards one; drop 'end_batch' or 'probe'");
        }
        return new ParseResult.Valid(d.probe != null ? e.asProbe(d.probe) : d.endBatch ? e.endingBatch() : e);
    }

    private Rejection readProbe(JsonParser p, JsonToken v, Draft d) throws IOException {
        if (v != JsonToken.VALUE_STRING || p.getText().isEmpty()) {
            return new Rejection(RejectReason.BAD_TYPE, "probe", "field 'probe' must be a non-empty string (the id"
                    + " its score is keyed by), got " + (v == JsonToken.VALUE_STRING ? "an empty string" : describe(v)));
        }
        if (p.getTextLength() > settings.maxStringLength()) {
            return new Rejection(RejectReason.TOO_LARGE, null, "the probe id has " + p.getTextLength()
                    + " characters, more than the limit of " + settings.maxStringLength());
        }
        d.probe = p.getText();
        return null;
    }

    private static Rejection readEndBatch(JsonToken v, Draft d) {
        if (v != JsonToken.VALUE_TRUE && v != JsonToken.VALUE_FALSE) {
            return new Rejection(RejectReason.BAD_TYPE, "end_batch", "field 'end_batch' must be true or false, got "
                    + describe(v));
        }
        d.endBatch = v == JsonToken.VALUE_TRUE;
        return null;
    }

    private Rejection readId(JsonParser p, JsonToken v, String field, Draft d) throws IOException {
        String id;
        if (v == JsonToken.VALUE_STRING) {
            id = p.getText();
            if (id.isEmpty()) {
                return new Rejection(RejectReason.EMPTY_ID, field, "field '" + field + "' is an empty string; ids must be non-empty");
            }
            if (id.length() > settings.maxStringLength()) {
                return new Rejection(RejectReason.TOO_LARGE, null, "the id in '" + field + "' has " + id.length()
                        + " characters, more than the limit of " + settings.maxStringLength());
            }
        } else if (v == JsonToken.VALUE_NUMBER_INT && fitsLong(p)) {
            id = Long.toString(p.getLongValue());
        } else if (v == JsonToken.VALUE_NUMBER_INT) {
            return new Rejection(RejectReason.BAD_TYPE, field, "the numeric id in '" + field
                    + "' is outside the 64-bit range; send such ids as strings");
        } else {
            return new Rejection(RejectReason.BAD_TYPE, field, "field '" + field
                    + "' must be a string or an integer id, got " + describe(v));
        }
        if (field.equals("src")) {
            d.src = id;
        } else {
            d.dst = id;
        }
        return null;
    }

    private Rejection readTimestamp(JsonParser p, JsonToken v, Draft d) throws IOException {
        String unit = settings.timestampUnit().name().toLowerCase(java.util.Locale.ROOT);
        long ts;
        if (v == JsonToken.VALUE_NUMBER_INT) {
            if (!fitsLong(p)) {
                return p.getBigIntegerValue().signum() < 0 ? negativeTs() : tsOutOfRange();
            }
            ts = p.getLongValue();
        } else if (v == JsonToken.VALUE_NUMBER_FLOAT) {
            if (p.isNaN()) {
                return new Rejection(RejectReason.BAD_TYPE, "ts", "field 'ts' is NaN or Infinity; it must be an integer (epoch "
                        + unit + ")");
            }
            double x = p.getDoubleValue();
            if (Double.isInfinite(x)) {
                return x < 0 ? negativeTs() : tsOutOfRange();
            }
            if (x != Math.floor(x)) {
                return new Rejection(RejectReason.BAD_TYPE, "ts", "field 'ts' has a fractional part; it must be an integer (epoch "
                        + unit + ")");
            }
            if (x < 0) {
                return negativeTs();
            }
            if (x >= 0x1p63) {
                return tsOutOfRange();
            }
            ts = (long) x;
        } else {
            return new Rejection(RejectReason.BAD_TYPE, "ts", "field 'ts' must be an integer (epoch " + unit + "), got "
                    + describe(v));
        }
        if (ts < 0) {
            return negativeTs();
        }
        if (ts > settings.timestampUnit().maxTimestamp()) {
            return tsOutOfRange();
        }
        d.ts = ts;
        d.hasTs = true;
        return null;
    }

    private Rejection negativeTs() {
        return new Rejection(RejectReason.NEGATIVE_TS, null, "field 'ts' is negative; timestamps count from the epoch");
    }

    private Rejection tsOutOfRange() {
        return new Rejection(RejectReason.TS_OUT_OF_RANGE, null, "field 'ts' is beyond " + settings.timestampUnit().maxTimestamp()
                + ", the largest " + settings.timestampUnit().name().toLowerCase(java.util.Locale.ROOT)
                + " timestamp; check the configured timestamp unit");
    }

    private Rejection readFeatures(JsonParser p, JsonToken v, Draft d) throws IOException {
        if (v != JsonToken.START_ARRAY) {
            return new Rejection(RejectReason.BAD_TYPE, "features", "field 'features' must be an array of numbers, got " + describe(v));
        }
        int max = settings.maxFeatures();
        float[] buf = new float[Math.min(16, max)];
        int n = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                return new Rejection(RejectReason.BAD_TYPE, "features", "feature " + n + " is " + describe(t)
                        + "; features must be numbers");
            }
            if (n == max) {
                return new Rejection(RejectReason.TOO_MANY_FEATURES, null, "the event has more than " + max
                        + " features, the configured maximum");
            }
            float f = p.getFloatValue();
            if (!Float.isFinite(f)) {
                return new Rejection(RejectReason.NON_FINITE_FEATURE, null, "feature " + n + " is "
                        + (Float.isNaN(f) ? "NaN" : p.isNaN() ? "infinite" : "outside the float range")
                        + "; features must be finite 32-bit floats");
            }
            if (n == buf.length) {
                buf = Arrays.copyOf(buf, Math.min(max, Math.max(1, buf.length * 2)));
            }
            buf[n++] = f;
        }
        d.features = buf;
        d.featureCount = n;
        return null;
    }

    private Rejection readLabel(JsonParser p, JsonToken v, Draft d) throws IOException {
        if (v == JsonToken.VALUE_NUMBER_INT) {
            if (p.getNumberType() != JsonParser.NumberType.INT) {
                return new Rejection(RejectReason.BAD_LABEL, null, "field 'label' does not fit a 32-bit integer");
            }
            d.label = p.getIntValue();
            return null;
        }
        if (v == JsonToken.VALUE_NUMBER_FLOAT) {
            double x = p.getDoubleValue();
            if (Double.isFinite(x) && x == Math.floor(x)) {
                if (x < Integer.MIN_VALUE || x > Integer.MAX_VALUE) {
                    return new Rejection(RejectReason.BAD_LABEL, null, "field 'label' does not fit a 32-bit integer");
                }
                d.label = (int) x;
                return null;
            }
        }
        return new Rejection(RejectReason.BAD_TYPE, "label", "field 'label' must be an integer, got " + describe(v));
    }

    private Rejection readSign(JsonParser p, JsonToken v, Draft d) throws IOException {
        if (v != JsonToken.VALUE_NUMBER_INT && v != JsonToken.VALUE_NUMBER_FLOAT) {
            return new Rejection(RejectReason.BAD_TYPE, "sign", "field 'sign' must be -1 or 1, got " + describe(v));
        }
        double x = p.getDoubleValue();
        if (x != 1.0 && x != -1.0) {
            return new Rejection(RejectReason.BAD_SIGN, null, "field 'sign' must be -1 or 1");
        }
        d.sign = (int) x;
        return null;
    }

    /** Skips the value of an unknown field, refusing containers deeper than the limit (the root object is depth 1). */
    private Rejection skip(JsonParser p, JsonToken v) throws IOException {
        if (!v.isStructStart()) {
            return null;
        }
        int depth = 2;
        if (depth > settings.maxNestingDepth()) {
            return tooDeep();
        }
        while (depth > 1) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return new Rejection(RejectReason.MALFORMED_JSON, null, "the record is truncated inside a nested value");
            }
            if (t.isStructStart()) {
                if (++depth > settings.maxNestingDepth()) {
                    return tooDeep();
                }
            } else if (t.isStructEnd()) {
                depth--;
            }
        }
        return null;
    }

    private Rejection tooDeep() {
        return new Rejection(RejectReason.TOO_DEEP, null, "values are nested deeper than " + settings.maxNestingDepth()
                + " levels, the configured maximum");
    }

    private static boolean fitsLong(JsonParser p) throws IOException {
        JsonParser.NumberType type = p.getNumberType();
        return type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG;
    }

    private static ParseResult missing(String field) {
        return invalid(RejectReason.MISSING_FIELD, field, "required field '" + field + "' is absent or null");
    }

    private static ParseResult invalid(RejectReason reason, String field, String message) {
        return new ParseResult.Invalid(new Rejection(reason, field, message));
    }

    private static String describe(JsonToken t) {
        switch (t) {
            case VALUE_STRING: return "a string";
            case VALUE_NUMBER_INT: return "an integer";
            case VALUE_NUMBER_FLOAT: return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE: return "a boolean";
            case VALUE_NULL: return "null";
            case START_OBJECT: return "an object";
            case START_ARRAY: return "an array";
            default: return "the token " + t;
        }
    }

    private static String describe(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at != null && at.getByteOffset() >= 0 ? " (at byte " + at.getByteOffset() + ")" : "";
        return truncate(e.getOriginalMessage() + where);
    }

    private static String truncate(String s) {
        return s.length() <= MAX_MESSAGE_LENGTH ? s : s.substring(0, MAX_MESSAGE_LENGTH) + "...";
    }

    /** The fields read so far. */
    private static final class Draft {
        String src;
        String dst;
        boolean hasTs;
        long ts;
        float[] features;
        int featureCount;
        int label;
        int sign = 1;
        String probe;
        boolean endBatch;
    }
}
