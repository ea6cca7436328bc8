package io.sseline.client.internal;

import io.sseline.client.EventHandler;
import io.sseline.client.EventSource;
import io.sseline.client.TypedEventHandler;
import io.sseline.core.Event;
import io.sseline.core.EventCodec;
import io.sseline.core.EventDecodeException;
import java.util.function.BiConsumer;

/**
 * A {@link TypedEventHandler} registered as an {@link EventHandler}: it decodes each event's data
 * and passes the value on, or hands the failure to the source, which reports it to its listener.
 */
final class DecodingHandler<T> implements EventHandler {
    private final EventCodec<T> codec;
    private final TypedEventHandler<? super T> handler;
    private final BiConsumer<EventSource, EventDecodeException> onFailure;

    DecodingHandler(
            EventCodec<T> codec,
            TypedEventHandler<? super T> handler,
            BiConsumer<EventSource, EventDecodeException> onFailure) {
        this.codec = codec;
        this.handler = handler;
        this.onFailure = onFailure;
    }

    @Override
    public void onEvent(EventSource source, Event event) {
        T value;
        try {
            value = codec.decode(event);
        } catch (EventDecodeException e) {
            onFailure.accept(source, e);
            return;
        }
        handler.onEvent(source, value);
    }

    @Override
    public String toString() {
        return "DecodingHandler{" + codec + ", " + handler + "}";
    }
}
