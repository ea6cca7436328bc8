package io.sseline.client;

import io.sseline.core.Event;

/**
 * Receives the events of one type, registered with {@link EventSource#addEventHandler(String,
 * EventHandler)} like a handler of the browser's {@code EventSource}. It runs under the same rules as
 * {@link EventSourceListener}: one callback at a time per source, in stream order.
 *
 * <pre>{@code
 * source.addEventHandler("chat", (src, event) -> show(event.data()));
 * }</pre>
 */
@FunctionalInterface
public interface EventHandler {
    /** Called for each event of the registered type. */
    void onEvent(EventSource source, Event event);
}
