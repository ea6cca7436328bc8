package io.sseline.client;

/**
 * The state of an {@link EventSource}, as in the browser's {@code EventSource.readyState}.
 *
 * <pre>{@code
 * if (source.readyState() == ReadyState.CLOSED) {
 *     source = builder.build(listener).connect();
 * }
 * }</pre>
 */
public enum ReadyState {
    /** Not yet connected, connecting, or waiting to reconnect. */
    CONNECTING,
    /** The response headers arrived and events are being read. */
    OPEN,
    /** Closed for good, by {@link EventSource#close()}, by the server or by an error; it will not reconnect. */
    CLOSED
}
