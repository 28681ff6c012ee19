package io.tgstream.connectors;

import io.tgstream.connectors.json.EdgeEventParser;
import io.tgstream.connectors.json.ParseResult;
import io.tgstream.connectors.json.ParserSettings;
import io.tgstream.connectors.records.DeadLetter;
import io.tgstream.data.EdgeEvent;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.Objects;

/**
 * Kafka record deserializer of edge events: every record becomes either a valid {@link EdgeEvent} (left) or a
 * {@link DeadLetter} with the reason and the record's topic, partition and offset (right). It never fails a record.
 *
 * <p>Counts, in the source's metric group: {@value #EVENTS_IN} (valid events emitted) and {@value #DEAD_LETTERED}
 * (records refused). {@link ValidatedEdgeEvents} splits the two kinds into separate streams.
 */
public final class EdgeEventDeserializer implements KafkaRecordDeserializationSchema<Either<EdgeEvent, DeadLetter>> {
    private static final long serialVersionUID = 1L;

    /** Metric: valid edge events emitted. */
    public static final String EVENTS_IN = "eventsIn";
    /** Metric: records refused and turned into dead letters. */
    public static final String DEAD_LETTERED = "deadLettered";

    private final ParserSettings settings;
    private transient EdgeEventParser parser;
    private transient Counter eventsIn;
    private transient Counter deadLettered;

    public EdgeEventDeserializer(ParserSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        parser = new EdgeEventParser(settings);
        eventsIn = context.getMetricGroup().counter(EVENTS_IN);
        deadLettered = context.getMetricGroup().counter(DEAD_LETTERED);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Either<EdgeEvent, DeadLetter>> out) {
        if (parser == null) {
            throw new IllegalStateException("open() was not called before deserialize()");
        }
        byte[] value = record.value();
        ParseResult result = parser.parse(value);
        if (result instanceof ParseResult.Valid valid) {
            eventsIn.inc();
            out.collect(Either.Left(valid.event()));
        } else {
            ParseResult.Invalid invalid = (ParseResult.Invalid) result;
            deadLettered.inc();
            out.collect(Either.Right(DeadLetter.of(invalid.rejection(), value, record.topic(), record.partition(),
                    record.offset())));
        }
    }

    @Override
    public TypeInformation<Either<EdgeEvent, DeadLetter>> getProducedType() {
        return new EitherTypeInfo<>(TypeInformation.of(EdgeEvent.class), TypeInformation.of(DeadLetter.class));
    }
}
