package io.tgstream.connectors.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tgstream.data.EdgeEvent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes an {@link EdgeEvent} in the edge-event JSON schema (DESIGN.md §5), the inverse of {@link EdgeEventParser}.
 *
 * <p>Ids are written as strings, features with the shortest decimal that reads back as the same float, {@code label}
 * only when non-zero, {@code sign} only when -1, {@code probe} and {@code end_batch} only when set, so that parse(write(e)) equals e. The Kafka key of an edge event
 * is its source id (DESIGN.md §3.1).
 */
public final class EdgeEventJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private EdgeEventJson() {}

    /** The JSON value of an event, UTF-8. */
    public static byte[] write(EdgeEvent e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + 12 * e.featureCount());
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("src", e.srcId());
            g.writeStringField("dst", e.dstId());
            g.writeNumberField("ts", e.timestamp());
            if (e.featureCount() > 0) {
                g.writeArrayFieldStart("features");
                for (int i = 0; i < e.featureCount(); i++) {
                    g.writeNumber(e.feature(i));
                }
                g.writeEndArray();
            }
            if (e.label() != 0) {
                g.writeNumberField("label", e.label());
            }
            if (e.sign() != 1) {
                g.writeNumberField("sign", e.sign());
            }
            if (e.isProbe()) {
                g.writeStringField("probe", e.probeId());
            }
            if (e.endsBatch()) {
                g.writeBooleanField("end_batch", true);
            }
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException("writing JSON to memory failed", ex); // cannot happen with a byte buffer
        }
        return out.toByteArray();
    }

    /** The Kafka key of an event: its source id, UTF-8. */
    public static byte[] key(EdgeEvent e) {
        return e.srcId().getBytes(StandardCharsets.UTF_8);
    }
}
