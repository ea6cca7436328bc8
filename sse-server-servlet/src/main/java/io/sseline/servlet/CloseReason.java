package io.sseline.servlet;

/**
 * Why an {@link EventStream} ended. Each stream ends exactly once, for the first of these reasons
 * that happened.
 *
 * <pre>{@code
 * stream.onClose((s, reason) -> {
 *     if (reason == CloseReason.SLOW_CONSUMER) {
 *         metrics.increment("sse.disconnected.slow");
 *     }
 * });
 * }</pre>
 */
public enum CloseReason {
    /** The application called {@link EventStream#close()}. */
    CLOSED,
    /**
     * The client went away: the connection was closed or reset, a write failed, or the container
     * reported an error on the response.
     */
    CLIENT_GONE,
    /** The asynchronous timeout ({@link EventStreamConfig.Builder#asyncTimeout}) expired. */
    TIMEOUT,
    /** The client read too slowly and {@link SlowConsumerPolicy#DISCONNECT} applied. */
    SLOW_CONSUMER,
    /** {@link EventStreams#shutdown} closed every stream. */
    SHUTDOWN
}
