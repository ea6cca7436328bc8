package io.sseline.servlet;

/**
 * What an {@link EventStream} does when a client reads more slowly than events are sent and the
 * stream's outbound queue would grow past {@link EventStreamConfig.Builder#maxQueuedBytes(int)}.
 *
 * <pre>{@code
 * EventStreamConfig config = EventStreamConfig.builder()
 *         .slowConsumerPolicy(SlowConsumerPolicy.DROP)
 *         .slowConsumerHandler((stream, policy) -> metrics.increment("sse.slow"))
 *         .build();
 * }</pre>
 *
 * <p>Either way the queue never holds more than its bound, so one stalled client cannot exhaust the
 * server's memory or slow down the threads that send to other clients. Each time the policy applies,
 * {@link EventStreams#slowConsumerCount()} grows by one and the {@link SlowConsumerHandler} is called.
 */
public enum SlowConsumerPolicy {
    /**
     * Close the stream with {@link CloseReason#SLOW_CONSUMER}. The client reconnects with its {@code
     * Last-Event-ID} and, through an {@link io.sseline.servlet.hub.EventHub}, resumes from the history.
     * The default.
     */
    DISCONNECT,

    /**
     * Drop the event that does not fit and keep the stream open. The client silently misses that event;
     * use this for feeds where only the latest value matters (prices, progress, presence).
     */
    DROP
}
