package io.tgstream.connectors.requests;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tgstream.connectors.json.RejectReason;
import io.tgstream.connectors.json.Rejection;
import io.tgstream.connectors.json.StrictUtf8;
import io.tgstream.data.ScoringRequest;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.types.Either;

/**
 * Parses one scoring request (JSON) into a {@link ScoringRequest} or a {@link Rejection}; never throws.
 *
 * <p>Schema: {@code {"request_id": string, "src": id, "candidates": [id, ...]}} or
 * {@code {"request_id": string, "src": id, "top_k": int}}, optionally {@code "ts": int} (default: the stream's current
 * time); an id is a non-empty string or an integer. At most {@link #MAX_CANDIDATES} candidates and {@code top_k}.
 * One object per record, each field once, well-formed UTF-8 ({@link StrictUtf8}).
 */
public final class ScoringRequestParser {
    /** Largest candidate list and top_k: a request fans out into one probe per candidate. */
    public static final int MAX_CANDIDATES = 10_000;
    /** Largest request in bytes. */
    public static final int MAX_BYTES = 1 << 20;
    private static final int MAX_ID_LENGTH = 1_000;

    private static final int MAX_NESTING_DEPTH = 8;
    /** How Jackson begins the message of a repeated key under {@link StreamReadFeature#STRICT_DUPLICATE_DETECTION}. */
    private static final String DUPLICATE_MESSAGE = "Duplicate field";

    // one object per record, each key once (as for edge events): trailing content and repeated keys are refused
    private final ObjectMapper mapper = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxNumberLength(100).maxStringLength(MAX_ID_LENGTH).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** The request, or why it was refused. */
    public Either<ScoringRequest, Rejection> parse(byte[] value) {
        if (value == null || value.length == 0) {
            return reject(RejectReason.EMPTY_RECORD, null, "the request has no value; send one JSON object per record");
        }
        if (value.length > MAX_BYTES) {
            return reject(RejectReason.TOO_LARGE, null, "the request has " + value.length + " bytes, more than "
                    + MAX_BYTES);
        }
        int badByte = StrictUtf8.firstInvalidByte(value);
        if (badByte >= 0) {
            return reject(RejectReason.MALFORMED_JSON, null, String.format("invalid UTF-8 at byte %d (0x%02x); send"
                    + " the request as well-formed UTF-8", badByte, value[badByte] & 0xFF));
        }
        JsonNode o;
        try {
            o = mapper.readTree(value);
        } catch (StreamConstraintsException e) {
            boolean deep = String.valueOf(e.getMessage()).contains("nesting depth");
            return reject(deep ? RejectReason.TOO_DEEP : RejectReason.TOO_LARGE, null, (deep
                    ? "values are nested deeper than " + MAX_NESTING_DEPTH + " levels: "
                    : "a value exceeds the limits (ids up to " + MAX_ID_LENGTH + " characters): ")
                    + shorten(e.getOriginalMessage()));
        } catch (StreamReadException e) {
            if (String.valueOf(e.getOriginalMessage()).startsWith(DUPLICATE_MESSAGE)) {
                return reject(RejectReason.DUPLICATE_FIELD, null, shorten(e.getOriginalMessage())
                        + "; give each field once");
            }
            return reject(RejectReason.MALFORMED_JSON, null, "not well-formed JSON: " + shorten(e.getOriginalMessage()));
        } catch (Exception e) {
            // trailing tokens and anything else the tree reader refuses
            return reject(RejectReason.MALFORMED_JSON, null, "not well-formed JSON (one object per record): "
                    + shorten(e.getMessage()));
        }
        if (o == null || !o.isObject()) {
            return reject(RejectReason.NOT_AN_OBJECT, null, "a request is a JSON object like {\"request_id\": \"r1\","
                    + " \"src\": \"a\", \"top_k\": 10}");
        }
        JsonNode id = o.get("request_id");
        if (id == null || id.isNull()) return reject(RejectReason.MISSING_FIELD, "request_id", "required field"
                + " 'request_id' is absent or null");
        if (!id.isTextual() || id.asText().isEmpty()) return reject(RejectReason.BAD_TYPE, "request_id",
                "'request_id' must be a non-empty string");
        Either<String, Rejection> src = readId(o.get("src"), "src");
        if (src.isRight()) return Either.Right(src.right());
        JsonNode candidates = o.get("candidates");
        JsonNode topK = o.get("top_k");
        boolean hasCandidates = candidates != null && !candidates.isNull();
        boolean hasTopK = topK != null && !topK.isNull();
        if (hasCandidates == hasTopK) {
            return reject(RejectReason.MISSING_FIELD, hasCandidates ? "top_k" : "candidates", "give exactly one of"
                    + " 'candidates' (a list of ids) and 'top_k' (a positive integer)");
        }
        List<String> ids = new ArrayList<>();
        int k = 0;
        if (hasCandidates) {
            if (!candidates.isArray() || candidates.isEmpty()) return reject(RejectReason.BAD_TYPE, "candidates",
                    "'candidates' must be a non-empty list of ids");
            if (candidates.size() > MAX_CANDIDATES) return reject(RejectReason.TOO_LARGE, null, "more than "
                    + MAX_CANDIDATES + " candidates; split the request");
            for (JsonNode c : candidates) {
                Either<String, Rejection> cid = readId(c, "candidates");
                if (cid.isRight()) return Either.Right(cid.right());
                ids.add(cid.left());
            }
        } else {
            if (!topK.canConvertToInt() || !topK.isIntegralNumber() || topK.asInt() < 1 || topK.asInt() > MAX_CANDIDATES) {
                return reject(RejectReason.BAD_TYPE, "top_k", "'top_k' must be an integer from 1 to " + MAX_CANDIDATES);
            }
            k = topK.asInt();
        }
        long ts = ScoringRequest.NOW;
        JsonNode t = o.get("ts");
        if (t != null && !t.isNull()) {
            if (!t.isIntegralNumber() || !t.canConvertToLong()) return reject(RejectReason.BAD_TYPE, "ts",
                    "'ts' must be an integer timestamp in the job's unit");
            if (t.asLong() < 0) return reject(RejectReason.NEGATIVE_TS, null, "'ts' is negative");
            ts = t.asLong();
        }
        return Either.Left(new ScoringRequest(id.asText(), src.left(), ids, k, ts));
    }

    private static Either<String, Rejection> readId(JsonNode n, String field) {
        if (n == null || n.isNull()) {
            return Either.Right(new Rejection(RejectReason.MISSING_FIELD, field, "required field '" + field
                    + "' is absent or null"));
        }
        if (n.isTextual() && !n.asText().isEmpty()) return Either.Left(n.asText());
        if (n.isIntegralNumber() && n.canConvertToLong()) return Either.Left(Long.toString(n.asLong()));
        if (n.isTextual()) return Either.Right(new Rejection(RejectReason.EMPTY_ID, field, "an id in '" + field
                + "' is an empty string"));
        return Either.Right(new Rejection(RejectReason.BAD_TYPE, field, "ids in '" + field
                + "' must be strings or integers"));
    }

    private static Either<ScoringRequest, Rejection> reject(RejectReason reason, String field, String message) {
        return Either.Right(new Rejection(reason, field, message));
    }

    private static String shorten(String s) {
        String m = String.valueOf(s);
        return m.length() <= 300 ? m : m.substring(0, 300) + "...";
    }
}
