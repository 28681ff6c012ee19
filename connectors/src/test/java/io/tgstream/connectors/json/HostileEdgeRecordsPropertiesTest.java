package io.tgstream.connectors.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.tgstream.connectors.json.HostileEdgeRecords.Hostile;
import io.tgstream.data.EdgeEvent;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.constraints.Size;

/**
 * The parser against the hostile-record generators: every hostile record is refused with one of the reasons its kind
 * admits (never accepted, never a throw), valid events read back unchanged, and the UTF-8 check agrees with the JDK's
 * strict decoder. The default run uses a few thousand tries; the {@code heavy} tag runs each property 10,000 times.
 */
class HostileEdgeRecordsPropertiesTest {
    /** Tries of each property in the heavy profile. */
    static final int HEAVY_TRIES = 10_000;
    /** Huge kinds stay within Kafka's default message size. */
    static final int MAX_BYTES = 256 << 10;
    private static final EdgeEventParser PARSER = EdgeEventParser.withDefaults();

    /** Parses (the parse must not throw) and checks that the record is refused with an admitted reason. */
    static void assertRefused(EdgeEventParser parser, Hostile h) {
        ParseResult r = parser.parse(h.value());
        assertThat(r).as("%s", h).isInstanceOf(ParseResult.Invalid.class);
        Rejection rejection = ((ParseResult.Invalid) r).rejection();
        assertThat(h.admits(rejection.code())).as("%s refused as %s: %s", h, rejection.code(), rejection.message())
                .isTrue();
        assertThat(rejection.message()).isNotBlank().hasSizeLessThan(2 * EdgeEventParser.MAX_MESSAGE_LENGTH);
    }

    @Provide
    Arbitrary<Hostile> hostile() {
        return HostileEdgeRecords.any(MAX_BYTES);
    }

    @Provide
    Arbitrary<EdgeEvent> events() {
        return HostileEdgeRecords.validEvents();
    }

    @Property(tries = 3000)
    void everyHostileRecordIsRefusedWithItsReason(@ForAll("hostile") Hostile h) {
        assertRefused(PARSER, h);
    }

    @Property(tries = HEAVY_TRIES)
    @Tag("heavy")
    void everyHostileRecordIsRefusedWithItsReasonHeavy(@ForAll("hostile") Hostile h) {
        assertRefused(PARSER, h);
    }

    @Property(tries = HEAVY_TRIES)
    @Tag("heavy")
    void arbitraryBytesAreRefusedHeavy(@ForAll @Size(max = 2000) byte[] bytes) {
        assertThat(PARSER.parse(bytes).isValid()).isFalse();
    }

    @Property(tries = 1000)
    void validEventsReadBackUnchangedAndTheSameTwice(@ForAll("events") EdgeEvent e) {
        byte[] json = EdgeEventJson.write(e);
        ParseResult first = PARSER.parse(json);
        assertThat(first).isEqualTo(new ParseResult.Valid(e));
        assertThat(PARSER.parse(json)).isEqualTo(first);
    }

    @Property(tries = HEAVY_TRIES)
    @Tag("heavy")
    void validEventsReadBackUnchangedHeavy(@ForAll("events") EdgeEvent e) {
        assertThat(PARSER.parse(EdgeEventJson.write(e))).isEqualTo(new ParseResult.Valid(e));
    }

    @Property(tries = 300)
    void eventsRequiringAFeatureCountRefuseOthers(@ForAll("wrongCount") Hostile h) {
        assertRefused(new EdgeEventParser(ParserSettings.defaults().withExpectedFeatures(2)), h);
    }

    @Provide
    Arbitrary<Hostile> wrongCount() {
        return HostileEdgeRecords.wrongFeatureCounts(2);
    }

    @Property(tries = 3000)
    void utf8CheckAgreesWithTheJdkDecoder(@ForAll("utf8ish") byte[] bytes) {
        assertThat(StrictUtf8.firstInvalidByte(bytes) < 0).as("valid UTF-8").isEqualTo(jdkDecodes(bytes));
    }

    @Property(tries = HEAVY_TRIES)
    @Tag("heavy")
    void utf8CheckAgreesWithTheJdkDecoderHeavy(@ForAll("utf8ish") byte[] bytes) {
        assertThat(StrictUtf8.firstInvalidByte(bytes) < 0).as("valid UTF-8").isEqualTo(jdkDecodes(bytes));
    }

    /** Bytes around the UTF-8 boundaries (lead bytes, continuation ranges), and text of any code points. */
    @Provide
    Arbitrary<byte[]> utf8ish() {
        Arbitrary<Byte> boundary = Arbitraries.of(0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1,
                0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF).map(i -> (byte) (int) i);
        Arbitrary<byte[]> near = Arbitraries.oneOf(boundary, Arbitraries.bytes()).array(byte[].class).ofMaxSize(12);
        Arbitrary<byte[]> text = Arbitraries.strings().ofMaxLength(12).map(s -> s.getBytes(StandardCharsets.UTF_8));
        return Arbitraries.oneOf(near, text);
    }

    private static boolean jdkDecodes(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Example
    void overlongAndSurrogateFormsOfAnIdAreRefused() {
        // "a/" with the slash as the overlong C0 AF would otherwise be a second spelling of the id "a/"
        byte[] overlong = {'{', '"', 's', 'r', 'c', '"', ':', '"', 'a', (byte) 0xC0, (byte) 0xAF, '"', ',', '"', 'd', 's',
                't', '"', ':', '2', ',', '"', 't', 's', '"', ':', '3', '}'};
        Rejection r = ((ParseResult.Invalid) PARSER.parse(overlong)).rejection();
        assertThat(r.code()).isEqualTo("malformed_json");
        assertThat(r.message()).contains("invalid UTF-8 at byte 9");
        assertThat(StrictUtf8.firstInvalidByte(new byte[] {'x', (byte) 0xED, (byte) 0xA0, (byte) 0x80})).isEqualTo(2);
        assertThat(StrictUtf8.firstInvalidByte("\u00e9\u20ac\ud83d\ude00".getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
    }

    @Example
    void negativeZeroIsTimeZeroAndKeepsItsSignAsAFeature() {
        ParseResult r = PARSER.parse("{\"src\":1,\"dst\":2,\"ts\":-0,\"features\":[-0.0,0]}"
                .getBytes(StandardCharsets.UTF_8));
        EdgeEvent e = ((ParseResult.Valid) r).event();
        assertThat(e.timestamp()).isZero();
        assertThat(Float.floatToRawIntBits(e.feature(0))).isEqualTo(Float.floatToRawIntBits(-0f));
        assertThat(Float.floatToRawIntBits(e.feature(1))).isZero();
        assertThat(PARSER.parse(EdgeEventJson.write(e))).isEqualTo(r);
    }

    @Example
    void aHundredThousandOpenBracketsAreRefusedWithoutAStackOverflow() {
        for (String open : new String[] {"[", "{\"a\":", "{\"src\":1,\"dst\":2,\"ts\":3,\"x\":["}) {
            String json = open.length() > 5 ? open + "[".repeat(100_000) : open.repeat(100_000);
            ParseResult r = PARSER.parse(json.getBytes(StandardCharsets.UTF_8));
            assertThat(r.isValid()).isFalse();
            assertThat(((ParseResult.Invalid) r).rejection().code()).isIn("not_an_object", "too_deep");
        }
    }
}
