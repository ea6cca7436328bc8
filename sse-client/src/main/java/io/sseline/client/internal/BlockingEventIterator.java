package io.sseline.client.internal;

import io.sseline.core.Event;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/**
 * Reads a publisher of events one at a time from a blocking iterator. It requests one event, waits
 * for it in {@link #hasNext()}, and requests the next only when that one has been taken, so at most
 * one event waits in the queue.
 */
public final class BlockingEventIterator implements Iterator<Event>, Flow.Subscriber<Event> {
    /** Queued after the last event; {@code error} then tells how the stream ended. */
    private static final Object END = new Object();

    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private volatile Flow.@Nullable Subscription subscription;
    private volatile @Nullable Throwable error;
    private @Nullable Object next;
    private boolean ended;

    private BlockingEventIterator() {}

    /**
     * Returns a sequential stream over the events of {@code publisher}, read lazily; closing the
     * stream cancels the publisher.
     */
    public static Stream<Event> stream(Flow.Publisher<Event> publisher) {
        BlockingEventIterator iterator = new BlockingEventIterator();
        publisher.subscribe(iterator);
        Spliterator<Event> spliterator =
                Spliterators.spliteratorUnknownSize(iterator, Spliterator.ORDERED | Spliterator.NONNULL);
        return StreamSupport.stream(spliterator, false).onClose(iterator::cancel);
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = Objects.requireNonNull(subscription, "subscription");
        subscription.request(1);
    }

    @Override
    public void onNext(Event event) {
        queue.add(event);
    }

    @Override
    public void onError(Throwable throwable) {
        error = throwable;
        queue.add(END);
    }

    @Override
    public void onComplete() {
        queue.add(END);
    }

    /**
     * Waits for the next event or the end of the stream.
     *
     * @throws UncheckedIOException if the stream failed, or the waiting thread was interrupted
     */
    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        if (ended) {
            return false;
        }
        Object item;
        try {
            item = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel();
            throw new UncheckedIOException(new InterruptedIOException("interrupted while waiting for an event"));
        }
        if (item == END) {
            ended = true;
            Throwable failure = error;
            if (failure != null) {
                throw unchecked(failure);
            }
            return false;
        }
        next = item;
        return true;
    }

    @Override
    public Event next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the event stream has ended");
        }
        Event event = (Event) Objects.requireNonNull(next);
        next = null;
        Flow.Subscription s = subscription;
        if (s != null) { // always: events arrive only after onSubscribe
            s.request(1);
        }
        return event;
    }

    /** Cancels the publisher and wakes a thread that waits in {@link #hasNext()}: the stream then ends. */
    private void cancel() {
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        queue.add(END);
    }

    private static RuntimeException unchecked(Throwable failure) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof IOException io) {
            return new UncheckedIOException(io.getMessage(), io);
        }
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        return new UncheckedIOException(new IOException(cause.getMessage(), cause));
    }
}
