package io.tgstream.operators.feedback;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Unbounded FIFO queue from one tail subtask (the producer thread) to its co-located head subtask
 * (the consumer, which drains it in its own mailbox thread).
 *
 * <p>The producer never blocks: a bounded queue could deadlock the cycle. The consumer is woken
 * by a callback only when the queue may have turned non-empty and no wake-up is pending, so an
 * idle loop costs nothing and a busy loop schedules one drain per burst.
 */
final class FeedbackChannel<T> {

    private final LinkedBlockingQueue<FeedbackElement<T>> queue = new LinkedBlockingQueue<>();
    private final AtomicBoolean wakeUpPending = new AtomicBoolean(false);
    private final AtomicInteger holders = new AtomicInteger();
    private final AtomicLong length = new AtomicLong();
    private final AtomicLong peakLength = new AtomicLong();
    private volatile Runnable consumerWakeUp;

    /** Adds an element; never blocks. */
    void put(FeedbackElement<T> element) {
        queue.add(element);
        long now = length.incrementAndGet();
        if (now > peakLength.get()) {
            peakLength.accumulateAndGet(now, Math::max);
        }
        wakeConsumer();
    }

    /**
     * Registers the consumer's wake-up (a mailbox submission). Elements put before the consumer
     * registered are not lost: registering wakes it at once if the queue is non-empty.
     */
    void connectConsumer(Runnable wakeUp) {
        this.consumerWakeUp = wakeUp;
        wakeUpPending.set(false);
        if (!queue.isEmpty()) {
            wakeConsumer();
        }
    }

    void disconnectConsumer() {
        this.consumerWakeUp = null;
    }

    /**
     * Called by the consumer at the start of a drain. Any element put after this call triggers a
     * new wake-up, so nothing can be stranded between the consumer's last poll and its return.
     */
    void beginDrain() {
        wakeUpPending.set(false);
    }

    /** Next element, or null when the queue is empty. Consumer thread only. */
    FeedbackElement<T> poll() {
        FeedbackElement<T> element = queue.poll();
        if (element != null) {
            length.decrementAndGet();
        }
        return element;
    }

    /**
     * Next element, waiting up to {@code timeoutMillis} for one; null on timeout. Consumer thread
     * only, and only where waiting is safe: the head waits for a sentinel in its snapshot, after
     * it has sent its own barrier, so the tail is never waiting for it.
     */
    FeedbackElement<T> poll(long timeoutMillis) throws InterruptedException {
        FeedbackElement<T> element = queue.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        if (element != null) {
            length.decrementAndGet();
        }
        return element;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Highest number of elements the queue has held at once. */
    long peakLength() {
        return peakLength.get();
    }

    int acquire() {
        return holders.incrementAndGet();
    }

    int release() {
        return holders.decrementAndGet();
    }

    private void wakeConsumer() {
        Runnable wakeUp = consumerWakeUp;
        if (wakeUp != null && wakeUpPending.compareAndSet(false, true)) {
            wakeUp.run();
        }
    }
}
