package io.tgstream.connectors.requests;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tgstream.connectors.json.HostileEdgeRecords;
import io.tgstream.connectors.json.HostileEdgeRecords.Hostile;
import io.tgstream.connectors.json.RejectReason;
import io.tgstream.data.ScoringRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators (jqwik) of scoring-request records the job must refuse, labelled with the reasons the parser may give
 * (the request-topic counterpart of {@link HostileEdgeRecords}), and of valid requests with their JSON.
 */
public final class HostileRequests {
    private HostileRequests() {}

    /** Any hostile request, every kind with its weight; {@code maxBytes} bounds the huge kinds (at least 64 KiB). */
    public static Arbitrary<Hostile> any(int maxBytes) {
        if (maxBytes < 64 << 10) {
            throw new IllegalArgumentException("maxBytes must be at least 64 KiB, got " + maxBytes);
        }
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(300)
                        .map(b -> new Hostile("arbitrary bytes", b, anyParserReason()))),
                Tuple.of(2, invalidUtf8()),
                Tuple.of(3, truncated()),
                Tuple.of(2, deepNesting(Math.min(100_000, maxBytes / 5))),
                Tuple.of(1, tooManyCandidates(maxBytes)),
                Tuple.of(1, hugeIds(maxBytes)),
                Tuple.of(6, wrongFieldValues()),
                Tuple.of(2, duplicateFields()),
                Tuple.of(2, Arbitraries.of("[]", "1", "\"r\"", "null", "true", " ", "[{\"request_id\":\"r\"}]")
                        .map(s -> new Hostile("not an object", utf8(s), Set.of("not_an_object")))),
                Tuple.of(2, Combinators.combine(validRequests(), Arbitraries.of("x", "{}", " 1", "]", "}"))
                        .as((r, tail) -> new Hostile("trailing content", utf8(json(r) + tail),
                                Set.of("malformed_json")))),
                Tuple.of(1, Arbitraries.just(new Hostile("empty", new byte[0], Set.of("empty_record")))));
    }

    /** Valid requests: candidates (1..20 ids) or top K (1..max), at a given time or at the stream's current time. */
    public static Arbitrary<ScoringRequest> validRequests() {
        Arbitrary<String> ids = Arbitraries.oneOf(
                Arbitraries.strings().ofMinLength(1).ofMaxLength(30).filter(HostileRequests::encodable),
                Arbitraries.longs().map(l -> Long.toString(l)));
        Arbitrary<List<String>> candidates = ids.list().ofMinSize(1).ofMaxSize(20);
        Arbitrary<Integer> topK = Arbitraries.integers().between(1, ScoringRequestParser.MAX_CANDIDATES);
        Arbitrary<Long> ts = Arbitraries.oneOf(Arbitraries.just(ScoringRequest.NOW),
                Arbitraries.longs().between(0, Long.MAX_VALUE));
        return Combinators.combine(ids, ids, candidates, topK, ts, Arbitraries.of(true, false))
                .as((id, src, c, k, t, byCandidates) -> byCandidates
                        ? new ScoringRequest(id, src, c, 0, t) : new ScoringRequest(id, src, List.of(), k, t));
    }

    /** The JSON of a request in the schema {@link ScoringRequestParser} reads (ids as strings). */
    public static String json(ScoringRequest r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("request_id", r.requestId());
            g.writeStringField("src", r.srcId());
            if (r.isTopK()) {
                g.writeNumberField("top_k", r.topK());
            } else {
                g.writeArrayFieldStart("candidates");
                for (String c : r.candidates()) {
                    g.writeString(c);
                }
                g.writeEndArray();
            }
            if (r.ts() != ScoringRequest.NOW) {
                g.writeNumberField("ts", r.ts());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A valid request with an ill-formed UTF-8 sequence inside its request id. */
    public static Arbitrary<Hostile> invalidUtf8() {
        return Combinators.combine(validRequests(), Arbitraries.of(HostileEdgeRecords.INVALID_UTF8)).as((r, bad) -> {
            byte[] json = utf8(json(r));
            int at = "{\"request_id\":\"".length();
            byte[] b = new byte[json.length + bad.length];
            System.arraycopy(json, 0, b, 0, at);
            System.arraycopy(bad, 0, b, at, bad.length);
            System.arraycopy(json, at, b, at + bad.length, json.length - at);
            return new Hostile("invalid UTF-8", b, Set.of("malformed_json"));
        });
    }

    /** A valid request's JSON cut short. */
    public static Arbitrary<Hostile> truncated() {
        return Combinators.combine(validRequests(), Arbitraries.integers().between(0, Integer.MAX_VALUE - 1))
                .as((r, cut) -> {
                    byte[] full = utf8(json(r));
                    return new Hostile("truncated", Arrays.copyOf(full, 1 + cut % (full.length - 1)),
                            Set.of("malformed_json"));
                });
    }

    /** Containers nested beyond the limit, at the top or inside a field. */
    public static Arbitrary<Hostile> deepNesting(int maxDepth) {
        return Combinators.combine(Arbitraries.integers().between(9, Math.max(9, maxDepth)),
                Arbitraries.of(true, false), Arbitraries.of(true, false)).as((d, top, closed) -> {
                    String body = "[".repeat(d) + "1" + (closed ? "]".repeat(d) : "");
                    String json = top ? body : "{\"request_id\":\"r\",\"src\":\"a\",\"top_k\":1,\"x\":" + body
                            + (closed ? "}" : "");
                    return new Hostile("deep nesting", utf8(json), Set.of("too_deep", "malformed_json"));
                });
    }

    /** More candidates than {@link ScoringRequestParser#MAX_CANDIDATES}. */
    public static Arbitrary<Hostile> tooManyCandidates(int maxBytes) {
        int most = Math.max(ScoringRequestParser.MAX_CANDIDATES + 1, (maxBytes - 64) / 8);
        return Arbitraries.integers().between(ScoringRequestParser.MAX_CANDIDATES + 1, most).map(n -> {
            StringBuilder b = new StringBuilder("{\"request_id\":\"r\",\"src\":\"a\",\"candidates\":[");
            for (int i = 0; i < n; i++) {
                b.append(i == 0 ? "" : ",").append(i % 1000);
            }
            return new Hostile("too many candidates", utf8(b.append("]}").toString()), Set.of("too_large"));
        });
    }

    /** A request id, source or candidate longer than the id limit. */
    public static Arbitrary<Hostile> hugeIds(int maxBytes) {
        return Combinators.combine(Arbitraries.integers().between(1_001, Math.min(maxBytes - 64, 100_000)),
                Arbitraries.of("request_id", "src", "candidates")).as((n, field) -> {
                    String id = "\"" + "i".repeat(n) + "\"";
                    String json = switch (field) {
                        case "request_id" -> "{\"request_id\":" + id + ",\"src\":\"a\",\"top_k\":1}";
                        case "src" -> "{\"request_id\":\"r\",\"src\":" + id + ",\"top_k\":1}";
                        default -> "{\"request_id\":\"r\",\"src\":\"a\",\"candidates\":[" + id + "]}";
                    };
                    return new Hostile("huge id", utf8(json), Set.of("too_large"));
                });
    }

    /** {field, value (null: absent), allowed reasons}, applied to a top-K or a candidates request. */
    private static final List<String[]> WRONG_VALUES = List.of(
            w("request_id", "1", "bad_type:request_id"), w("request_id", "true", "bad_type:request_id"),
            w("request_id", "\"\"", "bad_type:request_id"), w("request_id", "[\"r\"]", "bad_type:request_id"),
            w("request_id", "null", "missing_field:request_id"), w("request_id", null, "missing_field:request_id"),
            w("src", "true", "bad_type:src"), w("src", "1.5", "bad_type:src"), w("src", "{}", "bad_type:src"),
            w("src", "\"\"", "empty_id:src"), w("src", "99999999999999999999", "bad_type:src"),
            w("src", null, "missing_field:src"), w("src", "null", "missing_field:src"),
            w("candidates", "[]", "bad_type:candidates"), w("candidates", "\"a\"", "bad_type:candidates"),
            w("candidates", "[true]", "bad_type:candidates"), w("candidates", "[\"\"]", "empty_id:candidates"),
            w("candidates", "[1.5]", "bad_type:candidates"), w("candidates", "[null]", "missing_field:candidates"),
            w("candidates", "[[\"a\"]]", "bad_type:candidates"), w("candidates", "{}", "bad_type:candidates"),
            w("top_k", "0", "bad_type:top_k"), w("top_k", "-1", "bad_type:top_k"), w("top_k", "10001", "bad_type:top_k"),
            w("top_k", "1.5", "bad_type:top_k"), w("top_k", "\"3\"", "bad_type:top_k"),
            w("top_k", "3000000000", "bad_type:top_k"), w("top_k", "true", "bad_type:top_k"),
            w("top_k", "NaN", "malformed_json"), w("top_k", "1e400", "bad_type:top_k"),
            w("ts", "-1", "negative_ts"), w("ts", "1.5", "bad_type:ts"), w("ts", "\"1\"", "bad_type:ts"),
            w("ts", "true", "bad_type:ts"), w("ts", "1e300", "bad_type:ts"),
            w("ts", "99999999999999999999", "bad_type:ts"), w("ts", "Infinity", "malformed_json"));

    private static String[] w(String field, String value, String reasons) {
        return new String[] {field, value, reasons};
    }

    /** A request with one field wrong; candidates/top_k both or neither given. */
    public static Arbitrary<Hostile> wrongFieldValues() {
        Arbitrary<Hostile> one = Combinators.combine(Arbitraries.of(WRONG_VALUES), Arbitraries.of(true, false))
                .as((w, topK) -> {
                    String field = w[0];
                    // the field under test replaces the one of its kind: candidates and top_k exclude each other
                    boolean useTopK = field.equals("top_k") || (!field.equals("candidates") && topK);
                    StringBuilder b = new StringBuilder("{");
                    append(b, "request_id", field.equals("request_id") ? w[1] : "\"r1\"");
                    append(b, "src", field.equals("src") ? w[1] : "\"a\"");
                    if (useTopK) {
                        append(b, "top_k", field.equals("top_k") ? w[1] : "3");
                    } else {
                        append(b, "candidates", field.equals("candidates") ? w[1] : "[\"b\",2]");
                    }
                    if (field.equals("ts")) {
                        append(b, "ts", w[1]);
                    }
                    return new Hostile("wrong value of " + field, utf8(b.append('}').toString()),
                            Set.of(w[2].split(",")));
                });
        Arbitrary<Hostile> bothOrNeither = Arbitraries.of(
                "{\"request_id\":\"r\",\"src\":\"a\",\"top_k\":2,\"candidates\":[\"b\"]}",
                "{\"request_id\":\"r\",\"src\":\"a\"}", "{\"request_id\":\"r\",\"src\":\"a\",\"top_k\":null}")
                .map(s -> new Hostile("candidates and top_k", utf8(s), Set.of("missing_field")));
        return Arbitraries.frequencyOf(Tuple.of(10, one), Tuple.of(1, bothOrNeither));
    }

    /** A request with a field given twice. */
    public static Arbitrary<Hostile> duplicateFields() {
        return Combinators.combine(validRequests(), Arbitraries.of("request_id", "src", "x"))
                .as((r, field) -> new Hostile("duplicate " + field,
                        utf8("{\"" + field + "\":\"d\"," + (field.equals("x") ? "\"x\":1," : "") + json(r).substring(1)),
                        Set.of("duplicate_field")));
    }

    private static void append(StringBuilder b, String field, String value) {
        if (value == null) {
            return;
        }
        if (b.length() > 1) {
            b.append(',');
        }
        b.append('"').append(field).append("\":").append(value);
    }

    private static Set<String> anyParserReason() {
        return Arrays.stream(RejectReason.values()).filter(r -> r != RejectReason.LATE).map(RejectReason::prefix)
                .collect(Collectors.toUnmodifiableSet());
    }

    private static boolean encodable(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(s);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
