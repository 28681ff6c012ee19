package io.tgstream.connectors;

import io.tgstream.connectors.json.EdgeEventJson;
import io.tgstream.data.EdgeEvent;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes edge events to a Kafka topic in the input schema, keyed by source id: how a data set is replayed into Kafka.
 *
 * <p>Idempotent producer (no duplicates on retries), batched for throughput (larger batches and a short linger
 * roughly double the rate on the project's machine, STACK.md). Send errors are remembered and rethrown by the next
 * {@link #send}, {@link #flush} or {@link #close}, so that a replay never silently loses events.
 */
public final class EdgeEventPublisher implements AutoCloseable {
    /** Producer batch size in bytes. */
    static final int BATCH_BYTES = 256 * 1024;
    /** How long the producer waits to fill a batch, in milliseconds. */
    static final int LINGER_MS = 20;
    /** How long to wait for the broker when checking that the topic exists. */
    static final int TOPIC_CHECK_TIMEOUT_S = 30;

    private final String topic;
    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    /**
     * @throws IllegalArgumentException if the topic does not exist (the broker is asked once, before any send)
     * @throws IllegalStateException    if the broker cannot be reached
     */
    public EdgeEventPublisher(String bootstrapServers, String topic) {
        this.topic = topic;
        requireTopic(bootstrapServers, topic);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(BATCH_BYTES));
        p.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(LINGER_MS));
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends one event asynchronously. */
    public void send(EdgeEvent event) {
        rethrowFailure();
        producer.send(new ProducerRecord<>(topic, EdgeEventJson.key(event), EdgeEventJson.write(event)), (meta, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            }
        });
    }

    /** Waits until every event sent so far is acknowledged by the broker. */
    public void flush() {
        producer.flush();
        rethrowFailure();
    }

    @Override
    public void close() {
        try {
            producer.flush();
        } finally {
            producer.close();
        }
        rethrowFailure();
    }

    /** Fails fast on a missing topic: a producer would otherwise block for a minute per send before failing. */
    private static void requireTopic(String bootstrapServers, String topic) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(p)) {
            admin.describeTopics(List.of(topic)).allTopicNames().get(TOPIC_CHECK_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new IllegalArgumentException("topic '" + topic + "' does not exist at " + bootstrapServers
                        + "; create it first", e.getCause());
            }
            throw new IllegalStateException("cannot check topic '" + topic + "' at " + bootstrapServers + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer from Kafka at " + bootstrapServers + " within "
                    + TOPIC_CHECK_TIMEOUT_S + " s; is the broker running?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking topic '" + topic + "'", e);
        }
    }

    private void rethrowFailure() {
        Exception e = failure.get();
        if (e != null) {
            throw new KafkaException("sending edge events to topic '" + topic + "' failed: " + e.getMessage(), e);
        }
    }
}
