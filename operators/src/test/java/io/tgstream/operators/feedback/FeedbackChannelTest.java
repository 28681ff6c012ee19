package io.tgstream.operators.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The queue between tail and head: FIFO, no lost wake-up, and the broker's rendezvous. */
class FeedbackChannelTest {

    @Test
    void everyElementReachesAConsumerThatOnlyRunsWhenWoken() throws Exception {
        FeedbackChannel<Long> channel = new FeedbackChannel<>();
        ExecutorService mailbox = Executors.newSingleThreadExecutor();
        List<Long> received = new ArrayList<>();
        AtomicInteger wakeUps = new AtomicInteger();
        Runnable[] drain = new Runnable[1];
        drain[0] =
                () -> {
                    channel.beginDrain();
                    FeedbackElement<Long> e;
                    while ((e = channel.poll()) != null) {
                        received.add(e.record());
                    }
                };
        channel.connectConsumer(
                () -> {
                    wakeUps.incrementAndGet();
                    mailbox.execute(drain[0]);
                });

        long n = 200_000;
        Thread producer =
                new Thread(
                        () -> {
                            for (long i = 0; i < n; i++) {
                                channel.put(FeedbackElement.record(i, i));
                            }
                        });
        producer.start();
        producer.join();
        mailbox.shutdown();
        assertThat(mailbox.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        assertThat(received).hasSize((int) n);
        for (int i = 0; i < n; i++) {
            assertThat(received.get(i)).isEqualTo(i);
        }
        assertThat(wakeUps.get()).as("one wake-up per burst, not per element").isLessThan((int) n);
        assertThat(channel.peakLength()).isBetween(1L, n);
    }

    @Test
    void elementsPutBeforeTheConsumerConnectsAreDelivered() {
        FeedbackChannel<String> channel = new FeedbackChannel<>();
        channel.put(FeedbackElement.record("early", 1));
        channel.put(FeedbackElement.marker(7));
        AtomicInteger wakeUps = new AtomicInteger();
        channel.connectConsumer(wakeUps::incrementAndGet);

        assertThat(wakeUps.get()).isEqualTo(1);
        channel.beginDrain();
        FeedbackElement<String> first = channel.poll();
        FeedbackElement<String> second = channel.poll();
        assertThat(first.kind()).isEqualTo(FeedbackElement.Kind.RECORD);
        assertThat(first.record()).isEqualTo("early");
        assertThat(second.kind()).isEqualTo(FeedbackElement.Kind.MARKER);
        assertThat(second.watermark()).isEqualTo(7);
        assertThat(channel.poll()).isNull();
    }

    @Test
    void headAndTailOfOneAttemptShareAChannelThatIsDroppedWhenBothRelease() {
        FeedbackChannelBroker broker = FeedbackChannelBroker.get();
        int before = broker.size();
        FeedbackChannelKey attempt0 = new FeedbackChannelKey("job", "loop", 1, 0);
        FeedbackChannelKey attempt1 = new FeedbackChannelKey("job", "loop", 1, 1);

        FeedbackChannel<Object> head = broker.acquire(attempt0);
        FeedbackChannel<Object> tail = broker.acquire(attempt0);
        FeedbackChannel<Object> restartedHead = broker.acquire(attempt1);
        assertThat(tail).isSameAs(head);
        assertThat(restartedHead).isNotSameAs(head);

        broker.release(attempt0);
        assertThat(broker.size()).isEqualTo(before + 2);
        broker.release(attempt0);
        broker.release(attempt1);
        assertThat(broker.size()).isEqualTo(before);
    }
}
