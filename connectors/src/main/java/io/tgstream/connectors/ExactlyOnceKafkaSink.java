package io.tgstream.connectors;

import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Builds the project's Kafka sinks: exactly-once, i.e. Kafka transactions committed when a Flink checkpoint completes.
 *
 * <p>Consumers see the output only with {@code isolation.level=read_committed}, and only after the checkpoint that
 * covers it. Each sink in a job needs its own transactional id prefix, stable across restarts of that job.
 */
public final class ExactlyOnceKafkaSink {
    /**
     * The producers' {@code transaction.timeout.ms}: 15 minutes. It must not exceed the broker's
     * {@code transaction.max.timeout.ms} (15 minutes by default), else the producer cannot start and the job restarts
     * forever without a clear error (STACK.md trap 1); KafkaSink's own default (1 hour) does. It bounds how long a
     * failed job may stay down before its open transactions are aborted (and their data lost), so keep it at the
     * broker's maximum.
     */
    public static final long TRANSACTION_TIMEOUT_MS = 900_000L;

    private ExactlyOnceKafkaSink() {}

    /** An exactly-once sink writing through {@code serializer}, with transactional ids starting with {@code prefix}. */
    public static <T> KafkaSink<T> create(String bootstrapServers, String transactionalIdPrefix,
                                          KafkaRecordSerializationSchema<T> serializer) {
        if (transactionalIdPrefix == null || transactionalIdPrefix.isBlank()) {
            throw new IllegalArgumentException("an exactly-once Kafka sink needs a non-blank transactional id prefix, "
                    + "unique per sink and stable across restarts");
        }
        return KafkaSink.<T>builder()
                .setBootstrapServers(bootstrapServers)
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .setProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Long.toString(TRANSACTION_TIMEOUT_MS))
                .build();
    }
}
