package io.sseline.client;

import io.sseline.core.Event;
import java.net.http.HttpResponse;

/**
 * Receives what happens to an {@link EventSource}. Every method has an empty default, so a listener
 * overrides only what it needs.
 *
 * <pre>{@code
 * EventSourceListener listener = new EventSourceListener() {
 *     public void onEvent(EventSource source, Event event) { System.out.println(event.data()); }
 *     public void onError(EventSource source, Throwable error, boolean willReconnect) {
 *         System.err.println((willReconnect ? "reconnecting after " : "giving up after ") + error);
 *     }
 * };
 * }</pre>
 *
 * <p><b>Threading.</b> The callbacks of one source run one at a time, in order, on the source's
 * callback executor (by default a virtual thread on JDK 21 and later, and a small pool shared by all
 * sources on JDK 17; see {@link EventSource.Builder#callbackExecutor}); each sees the effects of the
 * one before. {@link #onClosed} is the last callback; none follows it. A callback may call {@link
 * EventSource#close()}. While a callback runs, the source reads no further bytes, so a slow callback
 * slows the server rather than filling memory. A callback that blocks holds up only its own source
 * on JDK 21 and later; on JDK 17, or with a callback executor of your own, it also holds the thread
 * it runs on, which may serve other sources. An exception thrown by a callback is logged
 * through {@link System.Logger} and otherwise ignored.
 */
public interface EventSourceListener {
    /**
     * Called when the server accepted the request with {@code 200} and {@code text/event-stream}, at
     * each (re)connection, before the connection's first event.
     *
     * @param response the status, headers and HTTP version of the response
     */
    default void onOpen(EventSource source, HttpResponse.ResponseInfo response) {}

    /**
     * Called for each event, before the handlers registered for its type with {@link
     * EventSource#addEventHandler(String, EventHandler)}.
     */
    default void onEvent(EventSource source, Event event) {}

    /**
     * Called for each comment line, with the text after the colon less one leading space. Servers send
     * comments as heartbeats.
     */
    default void onComment(EventSource source, String comment) {}

    /**
     * Called when a connection fails or ends: a network error, the end of the stream ({@link
     * java.io.EOFException}), an unexpected response ({@link UnexpectedResponseException}), no bytes
     * within the read timeout or no response within the connect timeout ({@link
     * java.net.http.HttpTimeoutException}), or an event beyond the parser's limits ({@link
     * io.sseline.core.EventStreamLimitException}). Also called, without ending anything, for an
     * event whose data the codec of a {@link TypedEventHandler} could not decode ({@link
     * io.sseline.core.EventDecodeException}, which carries the event): the connection goes on with
     * the next event.
     *
     * @param willReconnect whether the source goes on: after a failed connection, whether it will
     *     connect again after a delay; after an {@link io.sseline.core.EventDecodeException}, {@code
     *     true}, since the connection is still open. When {@code false}, {@link #onClosed} follows
     */
    default void onError(EventSource source, Throwable error, boolean willReconnect) {}

    /**
     * Called once when the source is closed for good: by {@link EventSource#close()}, by the server
     * ({@code 204 No Content}) or after an error that will not be retried.
     */
    default void onClosed(EventSource source) {}
}
