package io.tgstream.connectors.requests;

import static org.assertj.core.api.Assertions.assertThat;

import io.tgstream.connectors.json.Rejection;
import io.tgstream.data.ScoringRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.types.Either;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The two request forms, and each way a request is refused. */
class ScoringRequestParserTest {
    private final ScoringRequestParser parser = new ScoringRequestParser();

    private Either<ScoringRequest, Rejection> parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void candidatesAndTopKRequestsAreRead() {
        ScoringRequest c = parse("{\"request_id\": \"r1\", \"src\": \"alice\", \"candidates\": [\"bob\", 42]}").left();
        assertThat(c).isEqualTo(new ScoringRequest("r1", "alice", List.of("bob", "42"), 0, ScoringRequest.NOW));
        assertThat(c.isTopK()).isFalse();
        ScoringRequest k = parse("{\"request_id\": \"r2\", \"src\": 7, \"top_k\": 5, \"ts\": 1700}").left();
        assertThat(k).isEqualTo(new ScoringRequest("r2", "7", List.of(), 5, 1700));
        assertThat(k.isTopK()).isTrue();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"request_id\": \"r\", \"src\": \"a\"                                | malformed_json",
            "[1]                                                                   | not_an_object",
            "{\"src\": \"a\", \"top_k\": 1}                                         | missing_field:request_id",
            "{\"request_id\": 3, \"src\": \"a\", \"top_k\": 1}                      | bad_type:request_id",
            "{\"request_id\": \"r\", \"top_k\": 1}                                  | missing_field:src",
            "{\"request_id\": \"r\", \"src\": \"\", \"top_k\": 1}                    | empty_id:src",
            "{\"request_id\": \"r\", \"src\": \"a\"}                                | missing_field:candidates",
            "{\"request_id\": \"r\", \"src\": \"a\", \"top_k\": 1, \"candidates\": [\"b\"]} | missing_field:top_k",
            "{\"request_id\": \"r\", \"src\": \"a\", \"candidates\": []}             | bad_type:candidates",
            "{\"request_id\": \"r\", \"src\": \"a\", \"candidates\": [true]}         | bad_type:candidates",
            "{\"request_id\": \"r\", \"src\": \"a\", \"top_k\": 0}                   | bad_type:top_k",
            "{\"request_id\": \"r\", \"src\": \"a\", \"top_k\": 2.5}                 | bad_type:top_k",
            "{\"request_id\": \"r\", \"src\": \"a\", \"top_k\": 1, \"ts\": -3}        | negative_ts",
            "{\"request_id\": \"r\", \"src\": \"a\", \"top_k\": 1, \"ts\": \"x\"}     | bad_type:ts",
    })
    void eachFaultHasItsReason(String json, String code) {
        Either<ScoringRequest, Rejection> r = parse(json);
        assertThat(r.isRight()).as(json).isTrue();
        assertThat(r.right().code()).isEqualTo(code);
    }

    @Test
    void tooManyCandidatesAndEmptyRecordsAreRefused() {
        StringBuilder many = new StringBuilder("{\"request_id\": \"r\", \"src\": \"a\", \"candidates\": [");
        for (int i = 0; i <= ScoringRequestParser.MAX_CANDIDATES; i++) many.append(i == 0 ? "" : ",").append(i);
        assertThat(parse(many + "]}").right().code()).isEqualTo("too_large");
        assertThat(parser.parse(new byte[0]).right().code()).isEqualTo("empty_record");
        assertThat(parser.parse(null).right().code()).isEqualTo("empty_record");
    }
}
