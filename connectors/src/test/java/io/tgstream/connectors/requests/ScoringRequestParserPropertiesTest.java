package io.tgstream.connectors.requests;

import static org.assertj.core.api.Assertions.assertThat;

import io.tgstream.connectors.json.HostileEdgeRecords.Hostile;
import io.tgstream.connectors.json.Rejection;
import io.tgstream.data.ScoringRequest;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.constraints.Size;
import org.apache.flink.types.Either;

/**
 * The scoring-request parser against hostile input: every hostile request is refused with an admitted reason (never
 * a throw, never accepted), arbitrary bytes never pass, valid requests read back unchanged. The {@code heavy} tag runs
 * each property 10,000 times.
 */
class ScoringRequestParserPropertiesTest {
    static final int HEAVY_TRIES = 10_000;
    static final int MAX_BYTES = 256 << 10;
    private static final ScoringRequestParser PARSER = new ScoringRequestParser();

    static void assertRefused(Hostile h) {
        Either<ScoringRequest, Rejection> r = PARSER.parse(h.value());
        assertThat(r.isRight()).as("%s accepted as %s", h, r.isLeft() ? r.left() : null).isTrue();
        Rejection rejection = r.right();
        assertThat(h.admits(rejection.code())).as("%s refused as %s: %s", h, rejection.code(), rejection.message())
                .isTrue();
        assertThat(rejection.message()).isNotBlank().hasSizeLessThan(1000);
    }

    @Provide
    Arbitrary<Hostile> hostile() {
        return HostileRequests.any(MAX_BYTES);
    }

    @Provide
    Arbitrary<ScoringRequest> requests() {
        return HostileRequests.validRequests();
    }

    @Property(tries = 2000)
    void everyHostileRequestIsRefusedWithItsReason(@ForAll("hostile") Hostile h) {
        assertRefused(h);
    }

    @Property(tries = HEAVY_TRIES)
    @Tag("heavy")
    void everyHostileRequestIsRefusedWithItsReasonHeavy(@ForAll("hostile") Hostile h) {
        assertRefused(h);
    }

    @Property(tries = 2000)
    void arbitraryBytesNeverPass(@ForAll @Size(max = 500) byte[] bytes) {
        assertThat(PARSER.parse(bytes).isRight()).isTrue();
    }

    @Property(tries = HEAVY_TRIES)
    @Tag("heavy")
    void arbitraryBytesNeverPassHeavy(@ForAll @Size(max = 2000) byte[] bytes) {
        assertThat(PARSER.parse(bytes).isRight()).isTrue();
    }

    @Property(tries = 1000)
    void validRequestsReadBackUnchanged(@ForAll("requests") ScoringRequest r) {
        Either<ScoringRequest, Rejection> parsed = PARSER.parse(HostileRequests.json(r).getBytes(StandardCharsets.UTF_8));
        assertThat(parsed.isLeft()).as("%s refused: %s", r, parsed.isRight() ? parsed.right() : null).isTrue();
        assertThat(parsed.left()).isEqualTo(r);
    }

    @Property(tries = HEAVY_TRIES)
    @Tag("heavy")
    void validRequestsReadBackUnchangedHeavy(@ForAll("requests") ScoringRequest r) {
        validRequestsReadBackUnchanged(r);
    }

    @Example
    void repeatedFieldsAndTrailingContentAreRefused() {
        assertThat(PARSER.parse(bytes("{\"request_id\":\"a\",\"src\":2,\"src\":3,\"top_k\":3}")).right().code())
                .isEqualTo("duplicate_field");
        assertThat(PARSER.parse(bytes("{\"request_id\":\"a\",\"src\":2,\"top_k\":3} x")).right().code())
                .isEqualTo("malformed_json");
        assertThat(PARSER.parse(bytes("{\"request_id\":\"a\",\"src\":2,\"top_k\":3}{}")).right().code())
                .isEqualTo("malformed_json");
        assertThat(PARSER.parse(bytes("{\"request_id\":\"a\",\"src\":2,\"top_k\":3}  \n")).isLeft()).isTrue();
        assertThat(PARSER.parse(bytes("[".repeat(100_000))).right().code()).isEqualTo("too_deep");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
