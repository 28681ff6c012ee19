package io.tgstream.connectors.requests;

import io.tgstream.connectors.records.DeadLetter;
import io.tgstream.data.ScoringRequest;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Kafka deserializer of scoring requests: a valid request (left) or a dead letter with its reason (right). */
public final class ScoringRequestDeserializer
        implements KafkaRecordDeserializationSchema<Either<ScoringRequest, DeadLetter>> {
    private static final long serialVersionUID = 1L;
    /** Metric: valid requests emitted. */
    public static final String REQUESTS_IN = "requestsIn";
    /** Metric: requests refused. */
    public static final String DEAD_LETTERED = "requestsDeadLettered";

    private transient ScoringRequestParser parser;
    private transient Counter in;
    private transient Counter refused;

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        parser = new ScoringRequestParser();
        in = context.getMetricGroup().counter(REQUESTS_IN);
        refused = context.getMetricGroup().counter(DEAD_LETTERED);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Either<ScoringRequest, DeadLetter>> out) {
        Either<ScoringRequest, io.tgstream.connectors.json.Rejection> r = parser.parse(record.value());
        if (r.isLeft()) {
            in.inc();
            out.collect(Either.Left(r.left()));
        } else {
            refused.inc();
            out.collect(Either.Right(DeadLetter.of(r.right(), record.value(), record.topic(), record.partition(),
                    record.offset())));
        }
    }

    @Override
    public TypeInformation<Either<ScoringRequest, DeadLetter>> getProducedType() {
        return new EitherTypeInfo<>(TypeInformation.of(ScoringRequest.class), TypeInformation.of(DeadLetter.class));
    }
}
