package io.tgstream.connectors.json;

import io.tgstream.data.EdgeEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Hand-written cases: one accepted form after another, and each reason code from an input that earns it. */
class EdgeEventParserTest {
    private final EdgeEventParser parser = EdgeEventParser.withDefaults();

    private ParseResult parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private EdgeEvent valid(String json) {
        ParseResult r = parse(json);
        assertThat(r).as(json).isInstanceOf(ParseResult.Valid.class);
        return ((ParseResult.Valid) r).event();
    }

    private Rejection invalid(String json) {
        ParseResult r = parse(json);
        assertThat(r).as(json).isInstanceOf(ParseResult.Invalid.class);
        return ((ParseResult.Invalid) r).rejection();
    }

    @Test
    void fullEventIsReadFieldByField() {
        EdgeEvent e = valid("{\"src\": \"alice\", \"dst\": \"bob\", \"ts\": 1700000000123, "
                + "\"features\": [0.5, -2, 1e-3], \"label\": 3, \"sign\": -1}");
        assertThat(e.srcId()).isEqualTo("alice");
        assertThat(e.dstId()).isEqualTo("bob");
        assertThat(e.timestamp()).isEqualTo(1700000000123L);
        assertThat(e.features()).containsExactly(0.5f, -2f, 1e-3f);
        assertThat(e.label()).isEqualTo(3);
        assertThat(e.sign()).isEqualTo(-1);
    }

    @Test
    void optionalFieldsDefaultAndNullMeansAbsent() {
        EdgeEvent e = valid("{\"ts\": 0, \"dst\": \"b\", \"src\": \"a\", \"label\": null, \"features\": null}");
        assertThat(e).isEqualTo(EdgeEvent.of("a", "b", 0));
    }

    @Test
    void probesAndBatchEndsAreReadAndWrittenBack() {
        EdgeEvent probe = valid("{\"src\": \"a\", \"dst\": \"b\", \"ts\": 4, \"probe\": \"neg-17\"}");
        assertThat(probe.isProbe()).isTrue();
        assertThat(probe.probeId()).isEqualTo("neg-17");
        assertThat(probe.endsBatch()).isFalse();
        EdgeEvent last = valid("{\"src\": \"a\", \"dst\": \"b\", \"ts\": 4, \"end_batch\": true}");
        assertThat(last.endsBatch()).isTrue();
        assertThat(last.isProbe()).isFalse();
        assertThat(valid("{\"src\": \"a\", \"dst\": \"b\", \"ts\": 4, \"end_batch\": false}"))
                .isEqualTo(EdgeEvent.of("a", "b", 4));
        for (EdgeEvent e : new EdgeEvent[] {probe, last}) {
            assertThat(parser.parse(EdgeEventJson.write(e))).isEqualTo(new ParseResult.Valid(e));
        }
    }

    @Test
    void numericIdsAreTheSameNodesAsTheirDecimalText() {
        EdgeEvent e = valid("{\"src\": 42, \"dst\": -7, \"ts\": 5}");
        assertThat(e.srcId()).isEqualTo("42");
        assertThat(e.src()).isEqualTo(valid("{\"src\": \"42\", \"dst\": \"x\", \"ts\": 5}").src());
        assertThat(e.dstId()).isEqualTo("-7");
    }

    @Test
    void integralFloatsAreAcceptedWhereIntegersAreExpected() {
        EdgeEvent e = valid("{\"src\": \"a\", \"dst\": \"b\", \"ts\": 36.0, \"label\": 1.0, \"sign\": -1.0}");
        assertThat(e.timestamp()).isEqualTo(36L);
        assertThat(e.label()).isEqualTo(1);
        assertThat(e.sign()).isEqualTo(-1);
    }

    @Test
    void unknownFieldsAreIgnoredWithinTheDepthLimit() {
        EdgeEvent e = valid("{\"src\": \"a\", \"dst\": \"b\", \"ts\": 1, \"meta\": {\"x\": [1, {\"y\": null}]}}");
        assertThat(e).isEqualTo(EdgeEvent.of("a", "b", 1));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"src\": \"a\", \"dst\": \"b\"                                    | malformed_json",
            "{\"src\": \"a\", \"dst\": \"b\"}                                   | missing_field:ts",
            "{\"src\": \"a\", \"dst\": \"b\", \"ts\": 1}}                         | malformed_json",
            "{\"src\": \"a\", \"dst\": \"b\", \"ts\": 1} {}                       | malformed_json",
            "{src: 1}                                                          | malformed_json",
            "[1, 2]                                                            | not_an_object",
            "\"text\"                                                          | not_an_object",
            "{\"dst\": \"b\", \"ts\": 1}                                          | missing_field:src",
            "{\"src\": \"a\", \"ts\": 1}                                          | missing_field:dst",
            "{\"src\": null, \"dst\": \"b\", \"ts\": 1}                             | missing_field:src",
            "{\"src\": \"a\", \"dst\": \"b\", \"ts\": \"1\"}                         | bad_type:ts",
            "{\"src\": \"a\", \"dst\": \"b\", \"ts\": 1.5}                          | bad_type:ts",
            "{\"src\": \"a\", \"dst\": \"b\", \"ts\": NaN}                          | bad_type:ts",
            "{\"src\": \"a\", \"dst\": \"b\", \"ts\": true}                         | bad_type:ts",
            "{\"src\": \"a\", \"dst\": \"b\", \"ts\": -1}                           | negative_ts",
            "{\"src\": \"a\", \"dst\": \"b\", \"ts\": -1e30}                        | negative_ts",
            "{\"src\": \"a\", \"dst\": \"b\", \"ts\": 99999999999999999999999}      | ts_out_of_range",
            "{\"src\": 1.5, \"dst\": \"b\", \"ts\": 1}                             | bad_type:src",
            "{\"src\": \"a\", \"dst\": [\"b\"], \"ts\": 1}                          | bad_type:dst",
            "{\"src\": 99999999999999999999999, \"dst\": \"b\", \"ts\": 1}          | bad_type:src",
            "{\"src\": \"\", \"dst\": \"b\", \"ts\": 1}                             | empty_id:src",
            "{\"src\": \"a\", \"dst\": \"b\", \"ts\": 1, \"src\": \"c\"}              | duplicate_field",
            "{\"src\": \"a\", \"dst\": \"b\", \"ts\": 1, \"x\": 1, \"x\": 2}          | duplicate_field",
            "{\"src\": \"a\", \"dst\": \"b\", \"ts\": 1, \"features\": [1, NaN]}      | non_finite_feature",
            "{\"src\": \"a\", \"dst\": \"b\", \"ts\": 1, \"features\": [Infinity]}    | non_finite_feature",
            "{\"src\": \"a\", \"dst\": \"b\", \"ts\": 1, \"features\": [-Infinity]}   | non_finite_feature",
            "{\"src\": \"a\", \"dst\": \"b\", \"ts\": 1, \"features\": [1e39]}        | non_finite_feature",
            "{\"src\": \"a\", \"dst\": \"b\", \"ts\": 1, \"features\": [1, \"2\"]}    | bad_type:features",
            "{\"src\": \"a\", \"dst\": \"b\", \"ts\": 1, \"features\": [[1]]}        | bad_type:features",
            "{\"src\": \"a\", \"dst\": \"b\", \"ts\": 1, \"features\": 1}            | bad_type:features",
            "{\"src\": \"a\", \"dst\": \"b\", \"ts\": 1, \"label\": \"x\"}           | bad_type:label",
            "{\"src\": \"a\", \"dst\": \"b\", \"ts\": 1, \"label\": 3000000000}      | bad_label",
            "{\"src\": \"a\", \"dst\": \"b\", \"ts\": 1, \"sign\": 0}                | bad_sign",
            "{\"src\": \"a\", \"dst\": \"b\", \"ts\": 1, \"sign\": 2}                | bad_sign",
            "{\"src\": \"a\", \"dst\": \"b\", \"ts\": 1, \"sign\": \"-1\"}           | bad_type:sign",
            "{\"src\": \"a\", \"dst\": \"b\", \"ts\": 1, \"m\": [[[[[[[[1]]]]]]]]}    | too_deep",
            "{\"src\": \"a\", \"dst\": \"b\", \"ts\": 1, \"probe\": 7}              | bad_type:probe",
            "{\"src\": \"a\", \"dst\": \"b\", \"ts\": 1, \"probe\": \"\"}           | bad_type:probe",
            "{\"src\": \"a\", \"dst\": \"b\", \"ts\": 1, \"end_batch\": 1}          | bad_type:end_batch",
            "{\"src\": \"a\", \"dst\": \"b\", \"ts\": 1, \"probe\": \"p\", \"end_batch\": true} | bad_type:end_batch",
    })
    void eachFaultHasItsReason(String json, String code) {
        assertThat(invalid(json == null ? "" : json).code()).isEqualTo(code);
    }

    @Test
    void whitespaceIsMalformed() {
        assertThat(invalid(" \n\t ").code()).isEqualTo("malformed_json");
    }

    @Test
    void emptyAndNullRecordsAreRefusedWithoutParsing() {
        assertThat(((ParseResult.Invalid) parser.parse(null)).rejection().code()).isEqualTo("empty_record");
        assertThat(((ParseResult.Invalid) parser.parse(new byte[0])).rejection().code()).isEqualTo("empty_record");
    }

    @Test
    void depthLimitCountsTheTopLevelObjectAsOne() {
        EdgeEventParser shallow = new EdgeEventParser(ParserSettings.defaults().withMaxNestingDepth(3));
        String ok = "{\"src\": \"a\", \"dst\": \"b\", \"ts\": 1, \"m\": [[1]]}";   // depth 3
        String deep = "{\"src\": \"a\", \"dst\": \"b\", \"ts\": 1, \"m\": [[[1]]]}"; // depth 4
        assertThat(shallow.parse(ok.getBytes(StandardCharsets.UTF_8)).isValid()).isTrue();
        assertThat(((ParseResult.Invalid) shallow.parse(deep.getBytes(StandardCharsets.UTF_8))).rejection().code())
                .isEqualTo("too_deep");
    }

    @Test
    void featureLimitsAreExactBoundaries() {
        EdgeEventParser two = new EdgeEventParser(ParserSettings.defaults().withMaxFeatures(2));
        assertThat(two.parse("{\"src\":1,\"dst\":2,\"ts\":3,\"features\":[1,2]}".getBytes(StandardCharsets.UTF_8)).isValid())
                .isTrue();
        assertThat(((ParseResult.Invalid) two.parse("{\"src\":1,\"dst\":2,\"ts\":3,\"features\":[1,2,3]}"
                .getBytes(StandardCharsets.UTF_8))).rejection().code()).isEqualTo("too_many_features");

        EdgeEventParser exactlyTwo = new EdgeEventParser(ParserSettings.defaults().withExpectedFeatures(2));
        assertThat(((ParseResult.Invalid) exactlyTwo.parse("{\"src\":1,\"dst\":2,\"ts\":3}"
                .getBytes(StandardCharsets.UTF_8))).rejection().code()).isEqualTo("wrong_feature_count");
        // a probe is only scored: it may leave its features out, but not give a wrong count
        assertThat(exactlyTwo.parse("{\"src\":1,\"dst\":2,\"ts\":3,\"probe\":\"p\"}"
                .getBytes(StandardCharsets.UTF_8)).isValid()).isTrue();
        assertThat(((ParseResult.Invalid) exactlyTwo.parse("{\"src\":1,\"dst\":2,\"ts\":3,\"probe\":\"p\",\"features\":[1]}"
                .getBytes(StandardCharsets.UTF_8))).rejection().code()).isEqualTo("wrong_feature_count");
    }

    @Test
    void sizeLimitsGiveTooLarge() {
        EdgeEventParser small = new EdgeEventParser(ParserSettings.defaults().withMaxRecordBytes(20).withMaxStringLength(5));
        assertThat(((ParseResult.Invalid) small.parse("{\"src\":1,\"dst\":2,\"ts\":3,\"x\":1}"
                .getBytes(StandardCharsets.UTF_8))).rejection().code()).isEqualTo("too_large");
        EdgeEventParser shortIds = new EdgeEventParser(ParserSettings.defaults().withMaxStringLength(5));
        assertThat(((ParseResult.Invalid) shortIds.parse("{\"src\":\"abcdef\",\"dst\":2,\"ts\":3}"
                .getBytes(StandardCharsets.UTF_8))).rejection().code()).isEqualTo("too_large");
        assertThat(shortIds.parse("{\"src\":\"abcde\",\"dst\":2,\"ts\":3}".getBytes(StandardCharsets.UTF_8)).isValid())
                .isTrue();
    }

    @Test
    void secondsTimestampsAreBoundedSoThatMillisecondsFitALong() {
        EdgeEventParser seconds = new EdgeEventParser(ParserSettings.defaults().withTimestampUnit(TimestampUnit.SECONDS));
        long max = Long.MAX_VALUE / 1000;
        assertThat(seconds.parse(("{\"src\":1,\"dst\":2,\"ts\":" + max + "}").getBytes(StandardCharsets.UTF_8)).isValid())
                .isTrue();
        assertThat(((ParseResult.Invalid) seconds.parse(("{\"src\":1,\"dst\":2,\"ts\":" + (max + 1) + "}")
                .getBytes(StandardCharsets.UTF_8))).rejection().code()).isEqualTo("ts_out_of_range");
        // the millisecond parser takes the same number unchanged
        assertThat(parse("{\"src\":1,\"dst\":2,\"ts\":" + (max + 1) + "}").isValid()).isTrue();
    }

    @Test
    void invalidUtf8IsMalformed() {
        byte[] bad = "{\"src\": \"a\u00e9\", \"dst\": \"b\", \"ts\": 1}".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(((ParseResult.Invalid) parser.parse(bad)).rejection().code()).isEqualTo("malformed_json");
    }

    @Test
    void everyCodeMapsBackToItsReason() {
        for (RejectReason r : RejectReason.values()) {
            String code = r.code(r.perField() ? "ts" : null);
            assertThat(RejectReason.ofCode(code)).isEqualTo(r);
        }
    }
}
