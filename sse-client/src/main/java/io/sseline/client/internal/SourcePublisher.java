package io.sseline.client.internal;

import io.sseline.core.Event;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import org.jspecify.annotations.Nullable;

/**
 * The events of a reconnecting source as a {@link Flow.Publisher} for one subscriber, whose demand
 * reaches the socket: the source reads the next chunk only when every event parsed so far has been
 * delivered and the subscriber wants more ({@link #wantsEvents()}), so at most the events of one
 * chunk wait here. Subscribing connects the source; cancelling closes it. Errors the source retries
 * are not signalled (the source's listener sees them); the error that closes the source ends the
 * subscription with {@code onError}, any other close with {@code onComplete}.
 *
 * <p>All signals to the subscriber happen inside {@link #drain()}, which one thread at a time runs
 * ({@link FlowState#drain()} elects it): the source's callback sequence when an event arrives, or the
 * subscriber's thread when it requests.
 */
final class SourcePublisher implements Flow.Publisher<Event>, Flow.Subscription {
    // Set once.
    private final RealEventSource source;
    private volatile Flow.@Nullable Subscriber<? super Event> subscriber;

    // Written by any thread, read by drain().
    /** Events parsed and not yet delivered; added to in the source's callback sequence only. */
    private final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();

    private final FlowState flow = new FlowState(this::drainLoop);
    private volatile boolean sourceClosed;
    private volatile @Nullable Throwable sourceError;
    private volatile boolean cancelled;
    /** A rule 3.9 violation by the subscriber, reported to it in place of further events. */
    private volatile @Nullable Throwable badRequest;

    // Touched only inside drain().
    private boolean terminated;

    SourcePublisher(RealEventSource source) {
        this.source = source;
    }

    boolean hasSubscriber() {
        return flow.hasSubscriber();
    }

    @Override
    public void subscribe(Flow.Subscriber<? super Event> s) {
        Objects.requireNonNull(s, "subscriber");
        if (!flow.claim(s, "this event source already has a subscriber; build another source for another subscriber")) {
            return;
        }
        subscriber = s;
        s.onSubscribe(this);
        source.connect();
        if (source.isClosed()) { // closed before this view existed, so its close could not tell it
            sourceClosed(source.finalError());
        }
        drain();
    }

    // The source's side, in its callback sequence.

    /** Whether the source may read the next chunk: nothing waits here and the subscriber wants more. */
    boolean wantsEvents() {
        return !cancelled && flow.demand() > 0 && events.isEmpty();
    }

    void onEvent(Event event) {
        if (cancelled) {
            return;
        }
        events.add(event);
        drain();
    }

    /** The source closed, after {@code error} or without one; the subscriber gets what waits, then the end. */
    void sourceClosed(@Nullable Throwable error) {
        sourceError = error;
        sourceClosed = true;
        drain();
    }

    // The subscriber's side, any thread.

    @Override
    public void request(long n) {
        if (n <= 0) {
            badRequest = FlowState.nonPositive(n);
            cancel();
            return;
        }
        flow.add(n);
        drain();
        if (wantsEvents()) {
            source.resume();
        }
    }

    @Override
    public void cancel() {
        cancelled = true;
        source.close();
        drain();
    }

    private void drain() {
        flow.drain();
    }

    private void drainLoop() {
        Flow.Subscriber<? super Event> s = subscriber;
        if (terminated || s == null) {
            return;
        }
        while (true) {
            if (cancelled) {
                terminated = true;
                events.clear();
                Throwable misuse = badRequest;
                if (misuse != null) {
                    s.onError(misuse);
                }
                return;
            }
            if (!events.isEmpty()) {
                if (flow.demand() == 0) {
                    return;
                }
                Event event = Objects.requireNonNull(events.poll());
                flow.took();
                s.onNext(event);
                continue;
            }
            if (sourceClosed) {
                terminated = true;
                Throwable error = sourceError;
                if (error == null) {
                    s.onComplete();
                } else {
                    s.onError(error);
                }
            }
            return;
        }
    }

    @Override
    public String toString() {
        return "SourcePublisher{" + source + ", demand=" + flow.demand() + "}";
    }
}
