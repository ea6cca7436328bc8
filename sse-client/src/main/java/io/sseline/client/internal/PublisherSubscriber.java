package io.sseline.client.internal;

import io.sseline.core.Event;
import io.sseline.core.EventParser;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import org.jspecify.annotations.Nullable;

/**
 * Turns a response body into a {@link Flow.Publisher} of events for one subscriber, honouring its
 * demand: a chunk of bytes is requested from the HTTP client only when the events parsed so far have
 * all been delivered and the subscriber wants more.
 *
 * <p>All downstream signals and all parsing happen inside {@link #drain()}, which one thread at a
 * time runs ({@link FlowState#drain()} elects it); the other methods only record what happened and
 * call {@code drain()}.
 */
public final class PublisherSubscriber
        implements HttpResponse.BodySubscriber<Flow.Publisher<Event>>, Flow.Publisher<Event>, Flow.Subscription {
    // Set once, read by any thread.
    private final EventParser parser;
    private final CompletableFuture<Flow.Publisher<Event>> body = CompletableFuture.completedFuture(this);
    private volatile Flow.@Nullable Subscription upstream;
    private volatile Flow.@Nullable Subscriber<? super Event> downstream;

    // Written by any thread, read by drain().
    private final ConcurrentLinkedQueue<List<ByteBuffer>> chunks = new ConcurrentLinkedQueue<>();
    private final FlowState flow = new FlowState(this::drainLoop);
    private volatile boolean upstreamDone;
    private volatile @Nullable Throwable upstreamError;
    private volatile boolean cancelled;
    /** A rule 3.9 violation by the subscriber, reported to it in place of further events. */
    private volatile @Nullable Throwable badRequest;

    // Touched only inside drain().
    private final ArrayDeque<Event> parsed = new ArrayDeque<>();
    private boolean chunkRequested;
    private boolean terminated;
    private @Nullable Throwable parseError;

    public PublisherSubscriber(EventParser.Limits limits, String lastEventId) {
        this.parser = EventParser.create(limits, lastEventId, parsed::add);
    }

    // BodySubscriber: the HTTP client's side.

    @Override
    public CompletionStage<Flow.Publisher<Event>> getBody() {
        return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        upstream = Objects.requireNonNull(subscription, "subscription");
        drain();
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        chunks.add(item);
        drain();
    }

    @Override
    public void onError(Throwable error) {
        upstreamError = error;
        upstreamDone = true;
        drain();
    }

    @Override
    public void onComplete() {
        upstreamDone = true;
        drain();
    }

    // Publisher and Subscription: the application's side.

    @Override
    public void subscribe(Flow.Subscriber<? super Event> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        if (!flow.claim(subscriber, "a response body can be read once; this publisher already has a subscriber")) {
            return;
        }
        downstream = subscriber;
        subscriber.onSubscribe(this);
        drain();
    }

    @Override
    public void request(long n) {
        if (n <= 0) {
            badRequest = FlowState.nonPositive(n);
            cancelled = true;
            drain();
            return;
        }
        flow.add(n);
        drain();
    }

    @Override
    public void cancel() {
        cancelled = true;
        drain();
    }

    private void drain() {
        flow.drain();
    }

    private void drainLoop() {
        Flow.Subscriber<? super Event> subscriber = downstream;
        Flow.Subscription up = upstream;
        if (terminated || subscriber == null || up == null) {
            return;
        }
        while (true) {
            if (cancelled) {
                terminate(up);
                Throwable misuse = badRequest;
                if (misuse != null) {
                    subscriber.onError(misuse);
                }
                return;
            }
            if (!parsed.isEmpty()) {
                if (flow.demand() == 0) {
                    return;
                }
                Event event = parsed.poll();
                flow.took();
                subscriber.onNext(event);
                continue;
            }
            if (parseError != null) {
                terminate(up);
                subscriber.onError(parseError);
                return;
            }
            List<ByteBuffer> chunk = chunks.poll();
            if (chunk != null) {
                chunkRequested = false;
                try {
                    for (ByteBuffer buffer : chunk) {
                        parser.feed(buffer);
                    }
                } catch (Exception e) { // the parser's limit exception
                    parseError = e;
                }
                continue;
            }
            if (upstreamDone) {
                terminated = true;
                Throwable error = upstreamError;
                if (error == null) {
                    parser.end();
                    subscriber.onComplete();
                } else {
                    subscriber.onError(error);
                }
                return;
            }
            if (flow.demand() > 0 && !chunkRequested) {
                chunkRequested = true;
                up.request(1); // may call onNext at once; drain() then loops again
            }
            return;
        }
    }

    private void terminate(Flow.Subscription up) {
        terminated = true;
        parsed.clear();
        chunks.clear();
        up.cancel();
    }
}
