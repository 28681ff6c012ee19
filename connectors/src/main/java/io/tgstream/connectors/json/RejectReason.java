package io.tgstream.connectors.json;

/**
 * Every reason an input record can be refused, with its machine-readable code: the one list of dead-letter reasons.
 *
 * <p>A code is the reason's {@link #prefix()} alone, or {@code prefix:field} for the reasons that concern one field
 * (for example {@code missing_field:src}, {@code bad_type:ts}). Consumers of the dead-letter topic may match on the
 * codes; they are part of the project's interface and are only ever added to, never renamed.
 * <ul>
 *   <li>{@code empty_record}: the record has no value (null or zero bytes, e.g. a tombstone).</li>
 *   <li>{@code too_large}: the record, a string, a field name or a number exceeds the configured size limits.</li>
 *   <li>{@code malformed_json}: the bytes are not one well-formed JSON value (also invalid UTF-8, trailing content).</li>
 *   <li>{@code not_an_object}: well-formed JSON, but the top-level value is not an object.</li>
 *   <li>{@code too_deep}: containers nested deeper than the configured maximum depth.</li>
 *   <li>{@code duplicate_field}: a top-level field appears twice (the message names it).</li>
 *   <li>{@code missing_field:f}: a required field ({@code src}, {@code dst}, {@code ts}) is absent or null.</li>
 *   <li>{@code bad_type:f}: field {@code f} has the wrong JSON type (e.g. a string timestamp, a fractional id).</li>
 *   <li>{@code empty_id:f}: the id in {@code src} or {@code dst} is the empty string.</li>
 *   <li>{@code negative_ts}: the timestamp is below zero.</li>
 *   <li>{@code ts_out_of_range}: the timestamp is too large for its unit (its value in milliseconds overflows).</li>
 *   <li>{@code non_finite_feature}: a feature is NaN, infinite, or outside the float range.</li>
 *   <li>{@code too_many_features}: more features than the configured maximum.</li>
 *   <li>{@code wrong_feature_count}: a feature count other than the configured exact count.</li>
 *   <li>{@code bad_label}: the label does not fit a 32-bit integer.</li>
 *   <li>{@code bad_sign}: the sign is a number other than -1 or 1.</li>
 *   <li>{@code late}: a valid event behind the watermark (assigned by the sequencer, not by the parser).</li>
 * </ul>
 */
public enum RejectReason {
    EMPTY_RECORD("empty_record", false),
    TOO_LARGE("too_large", false),
    MALFORMED_JSON("malformed_json", false),
    NOT_AN_OBJECT("not_an_object", false),
    TOO_DEEP("too_deep", false),
    DUPLICATE_FIELD("duplicate_field", false),
    MISSING_FIELD("missing_field", true),
    BAD_TYPE("bad_type", true),
    EMPTY_ID("empty_id", true),
    NEGATIVE_TS("negative_ts", false),
    TS_OUT_OF_RANGE("ts_out_of_range", false),
    NON_FINITE_FEATURE("non_finite_feature", false),
    TOO_MANY_FEATURES("too_many_features", false),
    WRONG_FEATURE_COUNT("wrong_feature_count", false),
    BAD_LABEL("bad_label", false),
    BAD_SIGN("bad_sign", false),
    LATE("late", false);

    private final String prefix;
    private final boolean perField;

    RejectReason(String prefix, boolean perField) {
        this.prefix = prefix;
        this.perField = perField;
    }

    /** The code without a field, e.g. {@code bad_type}. */
    public String prefix() {
        return prefix;
    }

    /** Whether the code names the offending field ({@code prefix:field}). */
    public boolean perField() {
        return perField;
    }

    /** The full code for this reason about {@code field} (ignored, and may be null, for reasons that name none). */
    public String code(String field) {
        if (!perField) {
            return prefix;
        }
        if (field == null || field.isEmpty()) {
            throw new IllegalArgumentException("reason " + prefix + " needs the name of the field it concerns");
        }
        return prefix + ':' + field;
    }

    /** The reason a code denotes, e.g. {@code bad_type:ts} gives {@link #BAD_TYPE}. */
    public static RejectReason ofCode(String code) {
        int colon = code.indexOf(':');
        String prefix = colon < 0 ? code : code.substring(0, colon);
        for (RejectReason r : values()) {
            if (r.prefix.equals(prefix)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown reject reason code '" + code + "'");
    }
}
