package io.sseline.servlet;

/**
 * Why an {@link EventStream} ended. Each stream ends exactly once, for the first of these reasons
 * that happened. A stream that {@link EventStreams#open} returned already ended ({@link #HEAD_REQUEST},
 * {@link #SHUTDOWN}) never opened.
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
    /**
     * {@link EventStreams#shutdown} closed every stream; or the stream never opened because the
     * request came during or after the shutdown (the client was answered {@code 503}).
     */
    SHUTDOWN,
    /**
     * The request was a {@code HEAD}: the client was answered with the headers a {@code GET} gets
     * and no body, and the stream never opened.
     */
    HEAD_REQUEST
}
