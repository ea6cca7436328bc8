package io.sseline.servlet.internal;

import io.sseline.core.Event;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Feeds a stream from a {@link Flow.Publisher} of events, or of values that a function turns into
 * events (a codec's, for example): one item is requested at a time, and only while the stream's
 * queue is below the low-water mark; above it, the next request waits for the queue to drain below
 * the mark. The subscription is cancelled when the stream closes for any reason; when the publisher
 * completes or fails, the stream closes after the final or error event. A value the function cannot
 * turn into an event counts as a failure of the publisher, whose subscription is then cancelled.
 *
 * <pre>{@code
 * PublisherFeed.start(engine, publisher, event -> event, OptionalInt.empty(), Event.of("[DONE]"), null);
 * }</pre>
 *
 * <p>All the feed's decisions happen inside {@link #drain()}, which one thread at a time runs (the
 * {@code wip} counter elects it): the publisher's thread with an event, the writer's thread when the
 * queue drained, or the thread that closed the stream.
 */
public final class PublisherFeed<T> extends Feed implements Flow.Subscriber<T> {
    /** Makes the event for each item; may throw for an item it cannot encode. */
    private final Function<? super T, Event> toEvent;

    // Written by any thread, read by drain().
    private volatile Flow.@Nullable Subscription subscription;
    private final ConcurrentLinkedQueue<T> inbox = new ConcurrentLinkedQueue<>();
    /** Requested and not yet received; below zero when the publisher broke rule 1.1. */
    private final AtomicLong demand = new AtomicLong();

    private final AtomicInteger wip = new AtomicInteger();
    private volatile boolean done;
    private volatile @Nullable Throwable failure;
    private volatile boolean streamClosed;

    // Touched only inside drain().
    private byte @Nullable [] pending;
    /** The pending bytes are the final or error event: the stream closes once they are queued. */
    private boolean ending;

    private boolean terminated;

    private PublisherFeed(
            StreamEngine<?> engine,
            Function<? super T, Event> toEvent,
            OptionalInt lowWaterMark,
            @Nullable Event finalEvent,
            @Nullable Function<? super Throwable, ? extends Event> errorEvent) {
        super(engine, lowWaterMark, finalEvent, errorEvent);
        this.toEvent = toEvent;
    }

    /**
     * Subscribes a new feed of {@code engine}'s stream to {@code publisher}, whose items {@code
     * toEvent} turns into events.
     */
    public static <T> void start(
            StreamEngine<?> engine,
            Flow.Publisher<? extends T> publisher,
            Function<? super T, Event> toEvent,
            OptionalInt lowWaterMark,
            @Nullable Event finalEvent,
            @Nullable Function<? super Throwable, ? extends Event> errorEvent) {
        PublisherFeed<T> feed = new PublisherFeed<>(engine, toEvent, lowWaterMark, finalEvent, errorEvent);
        engine.onClose((stream, reason) -> feed.streamClosed());
        publisher.subscribe(feed);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        Objects.requireNonNull(s, "subscription");
        if (subscription != null) {
            s.cancel(); // rule 2.5: one subscription at a time
            return;
        }
        subscription = s;
        drain();
    }

    @Override
    public void onNext(T item) {
        Objects.requireNonNull(item, "item");
        if (done) {
            return; // cancelled: the rest of what the publisher had under way is dropped
        }
        if (demand.decrementAndGet() < 0) {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
            failure = new IllegalStateException("the publisher sent an event that was not requested (Reactive"
                    + " Streams rule 1.1); the feed requests one event at a time");
            done = true;
        } else {
            inbox.add(item);
        }
        drain();
    }

    @Override
    public void onError(Throwable error) {
        Objects.requireNonNull(error, "error");
        if (!done) { // after a cancel of ours, our reason stands
            failure = error;
            done = true;
        }
        drain();
    }

    @Override
    public void onComplete() {
        done = true;
        drain();
    }

    private void streamClosed() {
        streamClosed = true;
        drain();
    }

    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            drainLoop();
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    private void drainLoop() {
        Flow.Subscription up = subscription;
        if (terminated || up == null) {
            return;
        }
        while (true) {
            if (streamClosed) {
                terminated = true;
                inbox.clear();
                up.cancel();
                return;
            }
            byte[] bytes = pending;
            if (bytes != null) {
                Sent sent = send(bytes, this::drain);
                if (sent == Sent.WAITING) {
                    return;
                }
                if (sent == Sent.CLOSED) {
                    streamClosed = true;
                    continue;
                }
                pending = null;
                if (ending) {
                    terminated = true;
                    closeStream();
                    return;
                }
            }
            T item = inbox.poll();
            if (item != null) {
                try {
                    pending = bytesOf(Objects.requireNonNull(toEvent.apply(item), "the feed made a null event"));
                } catch (RuntimeException e) { // a codec refused the value: the feed ends as if the publisher failed
                    failure = e;
                    done = true;
                    inbox.clear();
                    up.cancel();
                }
                continue;
            }
            if (done) {
                pending = endingEvent(failure, "the publisher");
                if (pending != null) {
                    ending = true;
                    continue;
                }
                terminated = true;
                closeStream();
                return;
            }
            if (demand.get() > 0) {
                return; // the requested event is on its way
            }
            if (!belowMark()) {
                engine.whenQueuedBelow(mark, this::drain);
                return;
            }
            demand.incrementAndGet();
            up.request(1); // may call onNext at once; the loop then takes it
        }
    }

    @Override
    public String toString() {
        return "PublisherFeed{" + engine.stream() + "}";
    }
}
