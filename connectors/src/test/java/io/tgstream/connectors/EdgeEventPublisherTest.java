package io.tgstream.connectors;

import io.tgstream.connectors.broker.EmbeddedKafkaBroker;
import io.tgstream.connectors.broker.KafkaTopicReader;
import io.tgstream.connectors.json.EdgeEventParser;
import io.tgstream.connectors.json.ParseResult;
import io.tgstream.data.EdgeEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Replaying events into Kafka: every event arrives once, parseable, keyed by source, in order per source. */
class EdgeEventPublisherTest {
    private static final Logger LOG = LoggerFactory.getLogger(EdgeEventPublisherTest.class);

    @Test
    void publishedEventsArriveOnceInOrderPerSource() {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Paths.get(System.getProperty("java.io.tmpdir"), "publisher-test"))) {
            broker.createTopic("edges", 3);
            Random rnd = new Random(3);
            List<EdgeEvent> events = new ArrayList<>();
            for (int i = 0; i < 50_000; i++) {
                events.add(new EdgeEvent(Integer.toString(rnd.nextInt(1000)), Integer.toString(rnd.nextInt(1000)), i,
                        new float[] {rnd.nextFloat(), rnd.nextFloat()}, 0, 1));
            }
            long t0 = System.nanoTime();
            try (EdgeEventPublisher publisher = new EdgeEventPublisher(broker.bootstrapServers(), "edges")) {
                events.forEach(publisher::send);
                publisher.flush();
            }
            long t1 = System.nanoTime();
            List<ConsumerRecord<byte[], byte[]>> read = new KafkaTopicReader(broker.bootstrapServers()).readCommitted("edges");
            long t2 = System.nanoTime();
            LOG.info("published {} events in {} ms ({} /s); read back in {} ms ({} /s)", events.size(), (t1 - t0) / 1_000_000,
                    (long) (events.size() / ((t1 - t0) / 1e9)), (t2 - t1) / 1_000_000,
                    (long) (events.size() / ((t2 - t1) / 1e9)));

            assertThat(read).hasSize(events.size());
            EdgeEventParser parser = EdgeEventParser.withDefaults();
            Map<String, TopicPartition> partitionOfSource = new HashMap<>();
            Map<String, Long> lastTsOfSource = new HashMap<>();
            List<EdgeEvent> got = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : read) {
                EdgeEvent e = ((ParseResult.Valid) parser.parse(r.value())).event();
                assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(e.srcId());
                TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                assertThat(partitionOfSource.computeIfAbsent(e.srcId(), k -> tp)).isEqualTo(tp);
                Long last = lastTsOfSource.put(e.srcId(), e.timestamp());
                assertThat(last == null || last < e.timestamp()).as("order per source").isTrue();
                got.add(e);
            }
            got.sort((a, b) -> Long.compare(a.timestamp(), b.timestamp()));
            assertThat(got).containsExactlyElementsOf(events);
        }
    }

    @Test
    void aMissingTopicIsReportedNotSwallowed() {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Paths.get(System.getProperty("java.io.tmpdir"), "publisher-test"),
                Map.of())) {
            assertThatThrownBy(() -> new EdgeEventPublisher(broker.bootstrapServers(), "no-such-topic"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'no-such-topic' does not exist");
        }
    }
}
