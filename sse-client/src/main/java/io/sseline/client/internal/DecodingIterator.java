package io.sseline.client.internal;

import io.sseline.core.Event;
import io.sseline.core.EventCodec;
import io.sseline.core.EventDecodeException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.Flow;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/**
 * The decoded values of a stream of events, up to an event whose data is the end marker. Reaching
 * the marker closes the events, which releases the connection at once rather than when the caller
 * closes the stream. A value that cannot be decoded is thrown as an {@link UncheckedIOException}
 * whose cause is the {@link EventDecodeException}; the event has been consumed, so an iterator can
 * go on past it.
 */
public final class DecodingIterator<T> implements Iterator<T> {
    private final Stream<Event> events;
    private final Iterator<Event> source;
    private final EventCodec<T> codec;
    /** The data that ends the stream, or null to read to the end of the response. */
    private final @Nullable String endData;

    private @Nullable Event next;
    private boolean ended;

    private DecodingIterator(Stream<Event> events, EventCodec<T> codec, @Nullable String endData) {
        this.events = events;
        this.source = events.iterator();
        this.codec = codec;
        this.endData = endData;
    }

    /**
     * Returns a sequential stream of the values of {@code publisher}'s events, read lazily, ending at
     * the first event whose data is {@code endData} (not decoded), or at the end of the events when
     * it is null; closing the stream cancels the publisher.
     */
    public static <T> Stream<T> stream(Flow.Publisher<Event> publisher, EventCodec<T> codec, @Nullable String endData) {
        Stream<Event> events = BlockingEventIterator.stream(publisher);
        DecodingIterator<T> iterator = new DecodingIterator<>(events, codec, endData);
        Spliterator<T> spliterator =
                Spliterators.spliteratorUnknownSize(iterator, Spliterator.ORDERED | Spliterator.NONNULL);
        return StreamSupport.stream(spliterator, false).onClose(events::close);
    }

    /**
     * Waits for the next event; false at the end marker or the end of the stream.
     *
     * @throws UncheckedIOException if the stream failed, or the waiting thread was interrupted
     */
    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        if (ended || !source.hasNext()) {
            return false;
        }
        Event event = source.next();
        if (event.data().equals(endData)) {
            ended = true;
            events.close();
            return false;
        }
        next = event;
        return true;
    }

    /**
     * Returns the next value.
     *
     * @throws UncheckedIOException with an {@link EventDecodeException} as its cause if the next
     *     event's data is not a {@code T}; the event is consumed
     */
    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the event stream has ended");
        }
        Event event = Objects.requireNonNull(next);
        next = null;
        try {
            return codec.decode(event);
        } catch (EventDecodeException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }
}
