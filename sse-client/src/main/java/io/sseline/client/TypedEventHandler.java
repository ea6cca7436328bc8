package io.sseline.client;

import io.sseline.core.EventCodec;

/**
 * Receives the events of one type as values, decoded by the {@link EventCodec} it was registered
 * with: {@link EventSource#addEventHandler(String, EventCodec, TypedEventHandler)}. It runs under
 * the same rules as {@link EventSourceListener}: one callback at a time per source, in stream
 * order. An event whose data the codec cannot decode does not reach it: the source reports it to
 * {@link EventSourceListener#onError} as an {@link io.sseline.core.EventDecodeException}, which
 * carries the event, and goes on with the next.
 *
 * <pre>{@code
 * source.addEventHandler("chat", chatCodec, (src, message) -> show(message.author() + ": " + message.text()));
 * }</pre>
 *
 * @param <T> the type of the values
 */
@FunctionalInterface
public interface TypedEventHandler<T> {
    /**
     * Called for each event of the registered type, with its data decoded; {@link
     * EventSource#lastEventId()} is the event's id meanwhile.
     */
    void onEvent(EventSource source, T value);
}
