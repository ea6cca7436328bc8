package io.sseline.servlet;

/**
 * Called each time a {@link SlowConsumerPolicy} applies to a stream.
 *
 * <pre>{@code
 * EventStreamConfig config = EventStreamConfig.builder()
 *         .slowConsumerHandler((stream, policy) ->
 *                 log.info("slow client, " + stream.queuedBytes() + " bytes queued: " + policy))
 *         .build();
 * }</pre>
 *
 * <p>Called on the thread whose {@link EventStream#send} found the queue full, after the policy has
 * applied and without any lock of the stream held; it must return quickly. An exception it throws is
 * logged and otherwise ignored.
 */
@FunctionalInterface
public interface SlowConsumerHandler {
    /**
     * Reports that {@code policy} applied to {@code stream}: the stream is closing ({@link
     * SlowConsumerPolicy#DISCONNECT}) or one event was dropped ({@link SlowConsumerPolicy#DROP}).
     */
    void onSlowConsumer(EventStream stream, SlowConsumerPolicy policy);
}
