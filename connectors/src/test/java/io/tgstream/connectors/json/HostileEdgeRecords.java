package io.tgstream.connectors.json;

import io.tgstream.data.EdgeEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generators (jqwik) of edge-event records that a producer could send and the job must refuse, each labelled with
 * the reason codes the parser may give it; shared by the parser properties and the job-level hostile-input test.
 *
 * <p>Every record of {@link #any(int)} is invalid under {@link ParserSettings#defaults()}: arbitrary bytes, invalid
 * UTF-8, truncated objects, deep nesting, huge ids and feature arrays, a wrong type or value in each field (strings,
 * booleans, containers, fractions, NaN, infinities, numbers beyond every range), missing, null and duplicate fields,
 * top-level values that are not objects, trailing content, empty records. {@link #validEvents()} gives the events
 * the same generators start from.
 */
public final class HostileEdgeRecords {
    private HostileEdgeRecords() {}

    /** Byte sequences that are not well-formed UTF-8: bad lead bytes, overlong forms, surrogates, cut sequences. */
    public static final List<byte[]> INVALID_UTF8 = List.of(
            bytes(0xFF), bytes(0xFE), bytes(0x80), bytes(0xBF), bytes(0xC0, 0xAF), bytes(0xC1, 0xBF),
            bytes(0xE0, 0x80, 0xAF), bytes(0xED, 0xA0, 0x80), bytes(0xED, 0xBF, 0xBF), bytes(0xF4, 0x90, 0x80, 0x80),
            bytes(0xF5, 0x80, 0x80, 0x80), bytes(0xF8, 0x88, 0x80, 0x80, 0x80), bytes(0xC3), bytes(0xE2, 0x82),
            bytes(0xF0, 0x9F, 0x98), bytes(0xC3, 0x28));

    /**
     * One hostile record: what kind of fault it carries, its bytes (null: a record without a value), and the reason
     * codes the parser may refuse it with (a code like {@code bad_type:ts}, or a bare prefix that admits any field).
     */
    public record Hostile(String kind, byte[] value, Set<String> reasons) {
        /** Whether {@code code} is one of the reasons this record may be refused with. */
        public boolean admits(String code) {
            int colon = code.indexOf(':');
            return reasons.contains(code) || (colon > 0 && reasons.contains(code.substring(0, colon)));
        }

        @Override
        public String toString() {
            String text = value == null ? "null" : new String(value, 0, Math.min(value.length, 160),
                    StandardCharsets.UTF_8);
            return kind + " (" + (value == null ? 0 : value.length) + " bytes) " + text + " -> " + reasons;
        }
    }

    /**
     * Any hostile record, every kind with its weight; {@code maxBytes} bounds the size of the huge kinds (at least
     * 8 KiB, so that an id can exceed {@link ParserSettings#DEFAULT_MAX_STRING_LENGTH}).
     */
    public static Arbitrary<Hostile> any(int maxBytes) {
        if (maxBytes < 8 << 10) {
            throw new IllegalArgumentException("maxBytes must be at least 8 KiB, got " + maxBytes);
        }
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, arbitraryBytes()),
                net.jqwik.api.Tuple.of(3, invalidUtf8()),
                net.jqwik.api.Tuple.of(4, truncated()),
                net.jqwik.api.Tuple.of(2, deepNesting(Math.min(100_000, maxBytes / 5))),
                net.jqwik.api.Tuple.of(1, hugeIds(maxBytes)),
                net.jqwik.api.Tuple.of(1, hugeFeatureArrays(maxBytes)),
                net.jqwik.api.Tuple.of(8, wrongFieldValues()),
                net.jqwik.api.Tuple.of(3, missingFields()),
                net.jqwik.api.Tuple.of(2, duplicateFields()),
                net.jqwik.api.Tuple.of(2, notObjects()),
                net.jqwik.api.Tuple.of(2, trailingContent()),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Hostile("empty", new byte[0], Set.of("empty_record")))));
    }

    /** Valid events: ids of any Unicode text or 64-bit integers, any timestamp, up to 20 finite features. */
    public static Arbitrary<EdgeEvent> validEvents() {
        Arbitrary<String> ids = Arbitraries.oneOf(
                Arbitraries.strings().ofMinLength(1).ofMaxLength(40).filter(HostileEdgeRecords::encodable),
                Arbitraries.longs().map(l -> Long.toString(l)));
        Arbitrary<Long> ts = Arbitraries.longs().between(0, Long.MAX_VALUE);
        Arbitrary<float[]> features = Arbitraries.floats().filter(Float::isFinite)
                .edgeCases(c -> c.includeOnly(0f, -0f, Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE))
                .array(float[].class).ofMaxSize(20);
        return Combinators.combine(ids, ids, ts, features, Arbitraries.integers(), Arbitraries.of(-1, 1))
                .as(EdgeEvent::new);
    }

    /** Random bytes: nothing a JSON object with the three required fields can come from. */
    public static Arbitrary<Hostile> arbitraryBytes() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(300)
                .map(b -> new Hostile("arbitrary bytes", b, anyParserReason()));
    }

    /** A valid event with an ill-formed UTF-8 sequence in a string: an id, an unknown field's value or a name. */
    public static Arbitrary<Hostile> invalidUtf8() {
        Arbitrary<Integer> where = Arbitraries.integers().between(0, 3);
        return Combinators.combine(validEvents(), Arbitraries.of(INVALID_UTF8), where).as((e, bad, w) -> {
            String json = json(e);
            String at = switch (w) {
                case 0 -> "{\"src\":\"";
                case 1 -> "{\"src\":\"" + escaped(e.srcId()) + "\",\"note\":\"x";
                case 2 -> "{\"src\":\"" + escaped(e.srcId()) + "\",\"n";
                default -> "{";
            };
            String rest = switch (w) {
                case 0 -> json.substring("{\"src\":\"".length());
                case 1 -> "\"," + json.substring(("{\"src\":\"" + escaped(e.srcId()) + "\",").length());
                case 2 -> "\":1," + json.substring(("{\"src\":\"" + escaped(e.srcId()) + "\",").length());
                default -> json.substring(1);
            };
            return new Hostile("invalid UTF-8", concat(utf8(at), bad, utf8(rest)), Set.of("malformed_json"));
        });
    }

    /** A valid event's JSON cut short at any byte. */
    public static Arbitrary<Hostile> truncated() {
        return Combinators.combine(validEvents(), Arbitraries.integers().between(0, Integer.MAX_VALUE - 1))
                .as((e, cut) -> {
                    byte[] full = EdgeEventJson.write(e);
                    return new Hostile("truncated", Arrays.copyOf(full, 1 + cut % (full.length - 1)),
                            Set.of("malformed_json"));
                });
    }

    /** Arrays or objects nested beyond the limit, at the top or inside a field, closed or not (up to maxDepth). */
    public static Arbitrary<Hostile> deepNesting(int maxDepth) {
        int shallowest = ParserSettings.DEFAULT_MAX_NESTING_DEPTH + 1;
        Arbitrary<Integer> depth = Arbitraries.integers().between(shallowest, Math.max(shallowest, maxDepth));
        return Combinators.combine(depth, Arbitraries.integers().between(0, 3), Arbitraries.of(true, false))
                .as((d, shape, closed) -> {
                    String open = shape % 2 == 0 ? "[" : "{\"a\":";
                    String close = shape % 2 == 0 ? "]" : "}";
                    String body = open.repeat(d) + "1" + (closed ? close.repeat(d) : "");
                    if (shape < 2) {
                        Set<String> r = shape == 0 ? Set.of("not_an_object") : closed ? Set.of("too_deep")
                                : Set.of("too_deep", "malformed_json");
                        return new Hostile("deep nesting", utf8(body), r);
                    }
                    // inside a field: the record object is depth 1, so depth d ends at d + 1 > the limit
                    return new Hostile("deep nesting in a field", utf8("{\"src\":\"a\",\"dst\":\"b\",\"ts\":1,\"x\":"
                            + body + (closed ? "}" : "")), Set.of("too_deep"));
                });
    }

    /** An id or probe id longer than the string limit (the record itself at most {@code maxBytes}). */
    public static Arbitrary<Hostile> hugeIds(int maxBytes) {
        int longest = Math.min(maxBytes - 64, ParserSettings.DEFAULT_MAX_RECORD_BYTES - 64);
        return Combinators.combine(Arbitraries.integers().between(ParserSettings.DEFAULT_MAX_STRING_LENGTH + 1, longest),
                Arbitraries.of("src", "dst", "probe")).as((n, field) -> {
                    String id = "i".repeat(n);
                    String json = switch (field) {
                        case "src" -> "{\"src\":\"" + id + "\",\"dst\":\"b\",\"ts\":1}";
                        case "dst" -> "{\"src\":\"a\",\"dst\":\"" + id + "\",\"ts\":1}";
                        default -> "{\"src\":\"a\",\"dst\":\"b\",\"ts\":1,\"probe\":\"" + id + "\"}";
                    };
                    return new Hostile("huge id", utf8(json), Set.of("too_large"));
                });
    }

    /** More features than the maximum (each a short number, the record at most {@code maxBytes}). */
    public static Arbitrary<Hostile> hugeFeatureArrays(int maxBytes) {
        int most = Math.max(ParserSettings.DEFAULT_MAX_FEATURES + 1, (maxBytes - 64) / 4);
        return Arbitraries.integers().between(ParserSettings.DEFAULT_MAX_FEATURES + 1, most).map(n -> {
            StringBuilder b = new StringBuilder("{\"src\":\"a\",\"dst\":\"b\",\"ts\":1,\"features\":[");
            for (int i = 0; i < n; i++) {
                b.append(i == 0 ? "" : ",").append(i % 10).append(i % 3 == 0 ? ".5" : "");
            }
            return new Hostile("huge feature array", utf8(b.append("]}").toString()), Set.of("too_many_features"));
        });
    }

    /** A valid event with one field's value replaced by a wrong type or an out-of-range value. */
    public static Arbitrary<Hostile> wrongFieldValues() {
        return Combinators.combine(validEvents(), Arbitraries.of(WRONG_VALUES)).as((e, w) -> {
            String json = withField(json(e), w[0], w[1]);
            if (w[0].equals("end_batch") && e.isProbe()) {
                json = withField(json, "probe", null);
            }
            return new Hostile("wrong value of " + w[0], utf8(json), Set.of(w[2].split(",")));
        });
    }

    /** {field, value, allowed reason codes}: a value the field must not take, and why the parser refuses it. */
    private static final List<String[]> WRONG_VALUES = List.of(
            w("src", "true", "bad_type:src"), w("src", "{}", "bad_type:src"), w("src", "[\"a\"]", "bad_type:src"),
            w("src", "1.5", "bad_type:src"), w("src", "1e30", "bad_type:src"), w("src", "\"\"", "empty_id:src"),
            w("src", "99999999999999999999", "bad_type:src"), w("src", "NaN", "bad_type:src"),
            w("dst", "false", "bad_type:dst"), w("dst", "[]", "bad_type:dst"), w("dst", "-0.5", "bad_type:dst"),
            w("dst", "\"\"", "empty_id:dst"), w("dst", "-Infinity", "bad_type:dst"),
            w("ts", "\"123\"", "bad_type:ts"), w("ts", "true", "bad_type:ts"), w("ts", "{}", "bad_type:ts"),
            w("ts", "[1]", "bad_type:ts"), w("ts", "1.5", "bad_type:ts"), w("ts", "NaN", "bad_type:ts"),
            w("ts", "-1", "negative_ts"), w("ts", "-1e300", "negative_ts"), w("ts", "-Infinity", "bad_type:ts,negative_ts"),
            w("ts", "-99999999999999999999", "negative_ts"), w("ts", "Infinity", "bad_type:ts,ts_out_of_range"),
            w("ts", "1e400", "ts_out_of_range"), w("ts", "99999999999999999999", "ts_out_of_range"),
            w("ts", "9.3e18", "ts_out_of_range"),
            w("features", "\"x\"", "bad_type:features"), w("features", "1", "bad_type:features"),
            w("features", "{}", "bad_type:features"), w("features", "[\"1\"]", "bad_type:features"),
            w("features", "[true]", "bad_type:features"), w("features", "[[1]]", "bad_type:features"),
            w("features", "[1,null]", "bad_type:features"), w("features", "[{}]", "bad_type:features"),
            w("features", "[NaN]", "non_finite_feature"), w("features", "[0,Infinity]", "non_finite_feature"),
            w("features", "[-Infinity]", "non_finite_feature"), w("features", "[1e39]", "non_finite_feature"),
            w("features", "[-3.5e38]", "non_finite_feature"), w("features", "[1e400]", "non_finite_feature"),
            w("label", "\"1\"", "bad_type:label"), w("label", "true", "bad_type:label"),
            w("label", "1.5", "bad_type:label"), w("label", "NaN", "bad_type:label"), w("label", "[]", "bad_type:label"),
            w("label", "3000000000", "bad_label"), w("label", "1e20", "bad_label"),
            w("label", "99999999999999999999", "bad_label"),
            w("sign", "\"1\"", "bad_type:sign"), w("sign", "true", "bad_type:sign"), w("sign", "[1]", "bad_type:sign"),
            w("sign", "0", "bad_sign"), w("sign", "2", "bad_sign"), w("sign", "-0.5", "bad_sign"),
            w("sign", "NaN", "bad_sign"), w("sign", "1e400", "bad_sign"), w("sign", "-0", "bad_sign"),
            w("probe", "1", "bad_type:probe"), w("probe", "true", "bad_type:probe"), w("probe", "\"\"", "bad_type:probe"),
            w("probe", "[\"p\"]", "bad_type:probe"),
            w("end_batch", "1", "bad_type:end_batch"), w("end_batch", "\"true\"", "bad_type:end_batch"),
            w("end_batch", "[]", "bad_type:end_batch"));

    private static String[] w(String field, String value, String reasons) {
        return new String[] {field, value, reasons};
    }

    /** A valid event without a required field, or with it null (null counts as absent). */
    public static Arbitrary<Hostile> missingFields() {
        return Combinators.combine(validEvents(), Arbitraries.of("src", "dst", "ts"), Arbitraries.of(true, false))
                .as((e, field, asNull) -> new Hostile("missing " + field,
                        utf8(withField(json(e), field, asNull ? "null" : null)), Set.of("missing_field:" + field)));
    }

    /** A valid event with one of its fields (or an unknown one) given twice. */
    public static Arbitrary<Hostile> duplicateFields() {
        return Combinators.combine(validEvents(), Arbitraries.of("src", "dst", "ts", "x")).as((e, field) -> {
            String json = json(e);
            String extra = "\"" + field + "\":" + (field.equals("ts") ? "5" : "\"again\"") + ",";
            String doubled = field.equals("x")
                    ? "{\"x\":1," + extra + json.substring(1)
                    : "{" + extra + json.substring(1);
            return new Hostile("duplicate " + field, utf8(doubled), Set.of("duplicate_field"));
        });
    }

    /** Well-formed JSON whose top-level value is not an object (or whitespace only). */
    public static Arbitrary<Hostile> notObjects() {
        return Arbitraries.oneOf(
                Arbitraries.of("[]", "[{\"src\":\"a\",\"dst\":\"b\",\"ts\":1}]", "1", "-0", "1e400", "NaN", "\"x\"",
                        "true", "null", "\"{\\\"src\\\":1}\"").map(s -> new Hostile("not an object", utf8(s),
                        Set.of("not_an_object"))),
                Arbitraries.of(" ", "\n\t ", "\r\n").map(s -> new Hostile("whitespace", utf8(s),
                        Set.of("malformed_json"))));
    }

    /** A valid event followed by more content than whitespace. */
    public static Arbitrary<Hostile> trailingContent() {
        return Combinators.combine(validEvents(), Arbitraries.of("x", "{}", "]", ",", " 1", "\n{\"src\":1}", "}"))
                .as((e, tail) -> new Hostile("trailing content", utf8(json(e) + tail), Set.of("malformed_json")));
    }

    /** Events with a feature count other than {@code expected}: refused when the parser requires that count. */
    public static Arbitrary<Hostile> wrongFeatureCounts(int expected) {
        return validEvents().filter(e -> e.featureCount() != expected)
                .map(e -> new Hostile("wrong feature count", EdgeEventJson.write(e), Set.of("wrong_feature_count")));
    }

    /** Every reason the parser can give (all but {@code late}, which only the sequencer assigns). */
    private static Set<String> anyParserReason() {
        return Arrays.stream(RejectReason.values()).filter(r -> r != RejectReason.LATE).map(RejectReason::prefix)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** The JSON of an event, with {@code field} set to the raw JSON {@code value} (null: removed). */
    static String withField(String json, String field, String value) {
        String key = "\"" + field + "\":";
        int at = json.indexOf(key);
        if (at < 0) {
            return value == null ? json : json.substring(0, json.length() - 1) + "," + key + value + "}";
        }
        int end = endOfValue(json, at + key.length());
        String before = json.substring(0, at);
        String after = json.substring(end);
        if (value != null) {
            return before + key + value + after;
        }
        if (after.startsWith(",")) {
            return before + after.substring(1);
        }
        return before.endsWith(",") ? before.substring(0, before.length() - 1) + after : before + after;
    }

    /** The index just after the JSON value starting at {@code i} (strings, numbers, literals, arrays of numbers). */
    private static int endOfValue(String json, int i) {
        char c = json.charAt(i);
        if (c == '"') {
            int j = i + 1;
            while (json.charAt(j) != '"') {
                j += json.charAt(j) == '\\' ? 2 : 1;
            }
            return j + 1;
        }
        if (c == '[') {
            return json.indexOf(']', i) + 1;
        }
        int j = i;
        while (j < json.length() && json.charAt(j) != ',' && json.charAt(j) != '}') {
            j++;
        }
        return j;
    }

    private static String json(EdgeEvent e) {
        return new String(EdgeEventJson.write(e), StandardCharsets.UTF_8);
    }

    private static String escaped(String id) {
        String json = new String(EdgeEventJson.write(EdgeEvent.of(id, "b", 0)), StandardCharsets.UTF_8);
        return json.substring("{\"src\":\"".length(), json.indexOf("\",\"dst\""));
    }

    /** Whether a string survives UTF-8 (no lone surrogates): only such ids can be sent at all. */
    static boolean encodable(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(s);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.write(p, 0, p.length);
        }
        return out.toByteArray();
    }
}
