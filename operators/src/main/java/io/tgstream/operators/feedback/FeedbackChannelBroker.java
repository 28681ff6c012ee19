package io.tgstream.operators.feedback;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The JVM-wide rendezvous of feedback channels: head and tail subtasks with the same
 * {@link FeedbackChannelKey} obtain the same {@link FeedbackChannel}.
 *
 * <p>Both sides {@link #acquire} the channel when they open and {@link #release} it when they
 * close; the channel is dropped once neither holds it, so failed attempts do not leak queues.
 */
final class FeedbackChannelBroker {

    private static final FeedbackChannelBroker INSTANCE = new FeedbackChannelBroker();

    private final ConcurrentHashMap<FeedbackChannelKey, FeedbackChannel<?>> channels =
            new ConcurrentHashMap<>();

    private FeedbackChannelBroker() {}

    static FeedbackChannelBroker get() {
        return INSTANCE;
    }

    @SuppressWarnings("unchecked")
    <T> FeedbackChannel<T> acquire(FeedbackChannelKey key) {
        FeedbackChannel<?>[] acquired = new FeedbackChannel<?>[1];
        channels.compute(
                key,
                (k, existing) -> {
                    FeedbackChannel<?> channel = existing != null ? existing : new FeedbackChannel<>();
                    channel.acquire();
                    acquired[0] = channel;
                    return channel;
                });
        return (FeedbackChannel<T>) acquired[0];
    }

    void release(FeedbackChannelKey key) {
        channels.computeIfPresent(key, (k, channel) -> channel.release() <= 0 ? null : channel);
    }

    /** Number of live channels; for tests that check nothing leaks. */
    int size() {
        return channels.size();
    }
}
