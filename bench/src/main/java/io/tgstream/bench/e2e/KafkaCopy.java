package io.tgstream.bench.e2e;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Baseline (a), Kafka alone: one consumer reads the input topic and one producer writes every record to an output
 * topic, in one thread, no processing: the most any job can move from topic to topic through this broker.
 */
final class KafkaCopy {
    private KafkaCopy() {
    }

    /** Copies {@code n} records; returns the seconds from subscribing to the last acknowledged write. */
    static double copy(String servers, String from, String to, long n) {
        AtomicReference<Exception> failure = new AtomicReference<>();
        long start = System.nanoTime();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(TopicScan.consumerProperties(servers, "copy-" + from),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(InputTopic.producerProperties(servers),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            c.subscribe(List.of(from));
            long seen = 0;
            long idleSince = System.nanoTime();
            while (seen < n && System.nanoTime() - idleSince < TopicScan.IDLE.toNanos()) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    p.send(new ProducerRecord<>(to, r.key(), r.value()), (m, e) -> {
                        if (e != null) failure.compareAndSet(null, e);
                    });
                    seen++;
                    idleSince = System.nanoTime();
                }
            }
            p.flush();
            if (seen < n) {
                throw new IllegalStateException("Kafka copy saw only " + seen + " of " + n + " records of " + from);
            }
        }
        if (failure.get() != null) {
            throw new IllegalStateException("Kafka copy to " + to + " failed: " + failure.get(), failure.get());
        }
        return (System.nanoTime() - start) / 1e9;
    }
}
