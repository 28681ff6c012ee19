package io.tgstream.connectors.json;

import io.tgstream.data.EdgeEvent;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property tests: whatever the bytes, the parser returns a result (never throws), and accepted events satisfy every
 * rule of the schema; faults of each kind earn their reason.
 */
class EdgeEventParserPropertiesTest {
    private static final EdgeEventParser PARSER = EdgeEventParser.withDefaults();
    private static final String JSONISH = "{}[]\":,. -+0123456789eEtrufalsnNIiybcdgx\\/\t\n\u00e9\u20ac\ud83d\ude00";

    /** The parse must not throw, and its result must be consistent with the schema and the limits. */
    private static ParseResult parseChecked(EdgeEventParser parser, byte[] bytes) {
        ParseResult r = parser.parse(bytes);
        assertThat(r).isNotNull();
        ParserSettings s = parser.settings();
        if (r instanceof ParseResult.Valid v) {
            EdgeEvent e = v.event();
            assertThat(e.srcId()).isNotEmpty().hasSizeLessThanOrEqualTo(s.maxStringLength());
            assertThat(e.dstId()).isNotEmpty().hasSizeLessThanOrEqualTo(s.maxStringLength());
            assertThat(e.timestamp()).isBetween(0L, s.timestampUnit().maxTimestamp());
            assertThat(e.featureCount()).isLessThanOrEqualTo(s.maxFeatures());
            for (float f : e.features()) {
                assertThat(Float.isFinite(f)).isTrue();
            }
            assertThat(e.sign()).isIn(-1, 1);
        } else {
            Rejection rej = ((ParseResult.Invalid) r).rejection();
            assertThat(RejectReason.ofCode(rej.code())).isEqualTo(rej.reason());
            assertThat(rej.message()).isNotBlank().hasSizeLessThan(2 * EdgeEventParser.MAX_MESSAGE_LENGTH);
            assertThat(rej.reason()).isNotEqualTo(RejectReason.LATE);
        }
        return r;
    }

    private static String code(ParseResult r) {
        assertThat(r).isInstanceOf(ParseResult.Invalid.class);
        return ((ParseResult.Invalid) r).rejection().code();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Property(tries = 3000)
    void arbitraryBytesNeverThrow(@ForAll @Size(max = 300) byte[] bytes) {
        parseChecked(PARSER, bytes);
    }

    @Property(tries = 3000)
    void jsonLookingTextNeverThrows(@ForAll("jsonish") String text) {
        parseChecked(PARSER, utf8(text));
    }

    @Provide
    Arbitrary<String> jsonish() {
        Arbitrary<String> text = Arbitraries.strings().withChars(JSONISH.toCharArray()).ofMaxLength(200);
        return Combinators.combine(text, Arbitraries.of(true, false))
                .as((s, prefixed) -> prefixed ? "{\"src\":1,\"dst\":2," + s : s);
    }

    @Property(tries = 500)
    void writtenEventsReadBackUnchanged(@ForAll("events") EdgeEvent e) {
        ParseResult r = parseChecked(PARSER, EdgeEventJson.write(e));
        assertThat(r).isInstanceOf(ParseResult.Valid.class);
        assertThat(((ParseResult.Valid) r).event()).isEqualTo(e);
    }

    @Property(tries = 300)
    void everyTruncationIsMalformed(@ForAll("events") EdgeEvent e, @ForAll @IntRange(min = 1, max = 10_000) int cut) {
        byte[] full = EdgeEventJson.write(e);
        byte[] prefix = Arrays.copyOf(full, 1 + cut % (full.length - 1));
        assertThat(code(parseChecked(PARSER, prefix))).isIn("malformed_json", "too_large");
    }

    @Property(tries = 300)
    void mutatedEventsNeverThrow(@ForAll("events") EdgeEvent e, @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 1_000_000) Integer> edits) {
        byte[] b = EdgeEventJson.write(e);
        for (int edit : edits) {
            int at = edit % b.length;
            switch (edit % 3) {
                case 0 -> b[at] = (byte) (b[at] ^ (1 << (edit % 8)));
                case 1 -> b = Arrays.copyOfRange(b, 0, Math.max(1, b.length - 1 - at % 3)); // drop the tail
                default -> {
                    byte[] c = new byte[b.length + 1];
                    System.arraycopy(b, 0, c, 0, at);
                    c[at] = (byte) JSONISH.charAt(edit % JSONISH.length());
                    System.arraycopy(b, at, c, at + 1, b.length - at);
                    b = c;
                }
            }
        }
        parseChecked(PARSER, b);
    }

    @Property(tries = 200)
    void nestingBeyondTheLimitIsTooDeep(@ForAll @IntRange(min = 1, max = 5000) int depth, @ForAll boolean arrays,
                                        @ForAll boolean closed) {
        String open = arrays ? "[" : "{\"k\":";
        String close = arrays ? "]" : "}";
        String inner = arrays ? "1" : "1";
        String json = "{\"src\":1,\"dst\":2,\"ts\":3,\"m\":" + open.repeat(depth) + inner
                + (closed ? close.repeat(depth) + "}" : "");
        ParseResult r = parseChecked(PARSER, utf8(json));
        int deepest = depth + 1; // the top-level object is depth 1
        if (deepest > ParserSettings.DEFAULT_MAX_NESTING_DEPTH) {
            assertThat(code(r)).isEqualTo("too_deep");
        } else if (closed) {
            assertThat(r.isValid()).isTrue();
        } else {
            assertThat(code(r)).isEqualTo("malformed_json");
        }
    }

    @Property(tries = 50)
    void deeplyNestedRecordsAreNotObjectsOrTooDeep(@ForAll @IntRange(min = 1, max = 100_000) int depth) {
        assertThat(code(parseChecked(PARSER, utf8("[".repeat(depth))))).isEqualTo("not_an_object");
        String objects = "{\"a\":".repeat(depth);
        assertThat(code(parseChecked(PARSER, utf8(objects))))
                .isEqualTo(depth > ParserSettings.DEFAULT_MAX_NESTING_DEPTH ? "too_deep" : "malformed_json");
    }

    @Property(tries = 100)
    void longStringsAreTooLarge(@ForAll @IntRange(min = 1, max = 200) int length, @ForAll boolean asId) {
        EdgeEventParser parser = new EdgeEventParser(ParserSettings.defaults().withMaxStringLength(64));
        String s = "x".repeat(length);
        String json = asId ? "{\"src\":\"" + s + "\",\"dst\":2,\"ts\":3}" : "{\"src\":1,\"dst\":2,\"ts\":3,\"note\":\"" + s + "\"}";
        ParseResult r = parseChecked(parser, utf8(json));
        if (length > 64 && asId) {
            assertThat(code(r)).isEqualTo("too_large");
        } else if (length <= 64) {
            assertThat(r.isValid()).isTrue();
        }
        // a long unknown string may or may not be caught by Jackson's chunked check; either outcome is bounded
    }

    @Property(tries = 10)
    void hugeStringsAndRecordsAreTooLarge(@ForAll @IntRange(min = 1, max = 4) int megabytes) {
        String s = "y".repeat(megabytes << 20);
        assertThat(code(parseChecked(PARSER, utf8("{\"src\":\"" + s + "\",\"dst\":2,\"ts\":3}")))).isEqualTo("too_large");
        EdgeEventParser roomy = new EdgeEventParser(ParserSettings.defaults().withMaxRecordBytes(8 << 20));
        assertThat(code(parseChecked(roomy, utf8("{\"src\":\"" + s + "\",\"dst\":2,\"ts\":3}")))).isEqualTo("too_large");
    }

    @Property(tries = 100)
    void featureCountsAboveTheMaximumAreRefused(@ForAll @IntRange(min = 0, max = 3000) int n) {
        StringBuilder b = new StringBuilder("{\"src\":1,\"dst\":2,\"ts\":3,\"features\":[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append(i % 7).append(".5");
        }
        ParseResult r = parseChecked(PARSER, utf8(b.append("]}").toString()));
        if (n > ParserSettings.DEFAULT_MAX_FEATURES) {
            assertThat(code(r)).isEqualTo("too_many_features");
        } else {
            assertThat(((ParseResult.Valid) r).event().featureCount()).isEqualTo(n);
        }
    }

    @Property(tries = 300)
    void nonFiniteFeaturesAreRefused(@ForAll("events") EdgeEvent e, @ForAll @IntRange(min = 0, max = 100) int at,
                                     @ForAll("nonFinite") String token) {
        float[] f = e.features();
        StringBuilder b = new StringBuilder("{\"src\":1,\"dst\":2,\"ts\":3,\"features\":[");
        int pos = at % (f.length + 1);
        for (int i = 0; i <= f.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(i == pos ? token : Float.toString(f[i < pos ? i : i - 1]));
        }
        assertThat(code(parseChecked(PARSER, utf8(b.append("]}").toString())))).isEqualTo("non_finite_feature");
    }

    @Provide
    Arbitrary<String> nonFinite() {
        return Arbitraries.of("NaN", "Infinity", "-Infinity", "+Infinity", "1e39", "-3.5e38", "1e400", "-1e999",
                "340282356779733661637539395458142568448");
    }

    @Property(tries = 500)
    void wrongTypesAreBadTypeOfTheirField(@ForAll("wrongTypes") String[] fieldAndValue) {
        String field = fieldAndValue[0];
        String json = "{\"src\":\"a\",\"dst\":\"b\",\"ts\":3,\"features\":[1],\"label\":1,\"sign\":1}"
                .replaceFirst("\"" + field + "\":(\\[1\\]|\"[ab]\"|[0-9]+)", "\"" + field + "\":" + fieldAndValue[1]);
        assertThat(json).contains(fieldAndValue[1]);
        assertThat(code(parseChecked(PARSER, utf8(json)))).isEqualTo("bad_type:" + field);
    }

    @Provide
    Arbitrary<String[]> wrongTypes() {
        Arbitrary<String> field = Arbitraries.of("src", "dst", "ts", "features", "label", "sign");
        Arbitrary<String> text = Arbitraries.strings().alpha().ofMaxLength(10).map(s -> "\"" + s + "\"");
        Arbitrary<String> other = Arbitraries.of("true", "false", "{}", "{\"x\":1}", "[\"x\"]", "[{}]", "[true]");
        Arbitrary<String> fraction = Arbitraries.doubles().between(-1e6, 1e6).filter(d -> d != Math.floor(d))
                .map(d -> Double.toString(d));
        return Combinators.combine(field, Arbitraries.oneOf(text, other, fraction)).as((f, v) -> {
            if (f.equals("features") && v.startsWith("[") && !v.startsWith("[\"") && !v.startsWith("[{")
                    && !v.startsWith("[t")) {
                v = "true";
            }
            if ((f.equals("sign") || f.equals("features")) && !v.startsWith("\"") && !v.startsWith("{")
                    && !v.startsWith("[") && !v.startsWith("t") && !v.startsWith("f")) {
                v = "false"; // a fractional sign is bad_sign and a fractional features value is bad_type; keep it simple
            }
            if ((f.equals("src") || f.equals("dst")) && v.startsWith("\"")) {
                v = "[" + v + "]"; // strings are valid ids
            }
            return new String[] {f, v};
        });
    }

    @Provide
    Arbitrary<EdgeEvent> events() {
        Arbitrary<String> ids = Arbitraries.oneOf(
                Arbitraries.strings().ofMinLength(1).ofMaxLength(40),
                Arbitraries.longs().map(l -> Long.toString(l)));
        Arbitrary<Long> ts = Arbitraries.longs().between(0, Long.MAX_VALUE);
        Arbitrary<float[]> features = Arbitraries.floats()
                .filter(Float::isFinite)
                .edgeCases(c -> c.includeOnly(0f, -0f, Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE))
                .array(float[].class).ofMaxSize(20);
        Arbitrary<Integer> labels = Arbitraries.integers();
        Arbitrary<Integer> signs = Arbitraries.of(-1, 1);
        return Combinators.combine(ids, ids, ts, features, labels, signs).as(EdgeEvent::new)
                .filter(e -> isValidUtf16(e.srcId()) && isValidUtf16(e.dstId()));
    }

    /** Lone surrogates cannot be encoded in UTF-8, so no producer can send them. */
    private static boolean isValidUtf16(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(s);
    }
}
