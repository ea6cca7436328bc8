package io.sseline.client.internal;

import io.sseline.client.UnexpectedResponseException;
import io.sseline.core.EventStreamLimitException;
import java.io.EOFException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP exchange of an event source, from the request to the end of its body. It is the body
 * subscriber of the exchange: it hands each chunk to the source's callback sequence and requests the
 * next chunk only once that one has been parsed and delivered.
 *
 * <p>It ends exactly once ({@link #finished}): by a failure that the source then judges, or by {@link
 * #abort()} when the source is closed. After that it delivers nothing and cancels the exchange.
 * Failures that the HTTP client reports after bytes (end of stream, network error) travel through
 * the callback sequence first, so that chunks queued before them are delivered; failures that the
 * source detects itself (timeouts, limits) end the connection at once.
 */
final class Connection implements HttpResponse.BodySubscriber<Void> {
    private final RealEventSource source;
    private final AtomicBoolean finished = new AtomicBoolean();
    private final CompletableFuture<Void> body = new CompletableFuture<>();

    // Written once by the thread that starts or answers the exchange, read by any thread.
    private volatile @Nullable CompletableFuture<HttpResponse<Void>> exchange;
    private volatile Flow.@Nullable Subscription subscription;
    private volatile @Nullable ScheduledFuture<?> timer;
    private volatile long openedAtNanos;

    // Callback sequence.
    private boolean deliveredAnEvent;

    // Read-timeout bookkeeping: written by the delivering threads, read by the scheduler.
    private volatile boolean awaitingBytes;
    private volatile long awaitingSinceNanos;

    Connection(RealEventSource source) {
        this.source = source;
    }

    boolean isFinished() {
        return finished.get();
    }

    /** Called in the callback sequence when the listener has seen an event of this connection. */
    void markEventDelivered() {
        deliveredAnEvent = true;
    }

    /** Whether the listener saw an event of this connection; read in the callback sequence. */
    boolean deliveredAnEvent() {
        return deliveredAnEvent;
    }

    /** When the response headers of a stream arrived (System.nanoTime), or 0 if none did. */
    long openedAtNanos() {
        return openedAtNanos;
    }

    void start(HttpRequest request) {
        Duration connectTimeout = source.config.connectTimeout();
        if (!connectTimeout.isZero()) {
            timer = schedule(
                    () -> fail(
                            new HttpTimeoutException("no response from " + source.uri() + " within " + connectTimeout
                                    + "; raise EventSource.Builder#connectTimeout if the server is slow to answer"),
                            true,
                            Optional.empty()),
                    Durations.nanos(connectTimeout));
        }
        CompletableFuture<HttpResponse<Void>> future;
        try {
            future = source.config.httpClient().sendAsync(request, this::onResponse);
        } catch (RuntimeException e) { // the client refused the request outright
            fail(e, false, Optional.empty());
            return;
        }
        exchange = future;
        CompletableFuture<?> unused = future.whenComplete((response, error) -> {
            if (error != null) {
                Throwable cause = unwrap(error);
                // The exchange failed before the body was subscribed, or after we cancelled it.
                fail(cause, !(cause instanceof IllegalArgumentException), Optional.empty());
            }
        });
        if (finished.get()) {
            future.cancel(true); // closed while the request was being sent
        }
    }

    private HttpResponse.BodySubscriber<Void> onResponse(HttpResponse.ResponseInfo info) {
        cancelTimer();
        if (finished.get()) {
            return Responses.failing(new CancellationException("the event source was closed"));
        }
        if (Responses.isEventStream(info)) {
            openedAtNanos = System.nanoTime();
            source.callbacks.execute(() -> source.opened(this, info));
            return this;
        }
        int status = info.statusCode();
        if (status == 204) {
            if (finished.compareAndSet(false, true)) {
                source.callbacks.execute(source::endedByServer);
            }
            return Responses.failing(new CancellationException("204 No Content"));
        }
        UnexpectedResponseException error = UnexpectedResponseException.of(source.uri(), info);
        boolean retryable = status >= 500 || status == 429;
        Optional<Duration> retryAfter =
                retryable ? Responses.retryAfter(info, ZonedDateTime.now(ZoneOffset.UTC)) : Optional.empty();
        fail(error, retryable, retryAfter);
        return Responses.failing(error);
    }

    // BodySubscriber: called by the HTTP client, one signal at a time.

    @Override
    public CompletionStage<Void> getBody() {
        return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        if (finished.get()) {
            subscription.cancel();
            return;
        }
        Duration readTimeout = source.config.readTimeout();
        awaitBytes();
        subscription.request(1);
        if (!readTimeout.isZero()) {
            timer = schedule(this::checkReadTimeout, Durations.nanos(readTimeout));
        }
        if (finished.get()) { // aborted while we were arming the timer
            cancelTimer();
        }
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        awaitingBytes = false;
        source.callbacks.execute(() -> deliver(buffers));
    }

    @Override
    public void onError(Throwable error) {
        awaitingBytes = false;
        source.callbacks.execute(() -> fail(error, true, Optional.empty()));
    }

    @Override
    public void onComplete() {
        awaitingBytes = false;
        source.callbacks.execute(() -> fail(
                new EOFException("the server ended the event stream from " + source.uri()), true, Optional.empty()));
    }

    /** In the callback sequence: parse one chunk, then ask for the next. */
    private void deliver(List<ByteBuffer> buffers) {
        if (finished.get() || source.isClosed()) {
            return;
        }
        try {
            source.feed(this, buffers);
        } catch (EventStreamLimitException e) {
            fail(e, false, Optional.empty());
            return;
        }
        Flow.Subscription s = subscription;
        if (s != null && !finished.get() && !source.isClosed()) { // s is set: bytes came after onSubscribe
            awaitBytes();
            s.request(1);
        }
    }

    private void awaitBytes() {
        awaitingSinceNanos = System.nanoTime();
        awaitingBytes = true;
    }

    /** On the scheduler: a stream that has waited for bytes longer than the read timeout is dropped. */
    private void checkReadTimeout() {
        if (finished.get()) {
            return;
        }
        long timeout = Durations.nanos(source.config.readTimeout());
        long idle = awaitingBytes ? System.nanoTime() - awaitingSinceNanos : 0;
        if (idle >= timeout) {
            fail(
                    new HttpTimeoutException("no bytes from " + source.uri() + " for " + source.config.readTimeout()
                            + "; raise EventSource.Builder#readTimeout above the server's heartbeat interval"),
                    true,
                    Optional.empty());
            return;
        }
        timer = schedule(this::checkReadTimeout, timeout - idle);
        if (finished.get()) {
            cancelTimer();
        }
    }

    /** Ends this connection with a failure, once; the source then decides what follows. */
    void fail(Throwable error, boolean retryable, Optional<Duration> retryAfter) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        release();
        source.callbacks.execute(() -> source.failed(this, error, retryable, retryAfter));
    }

    /** Ends this connection because the source was closed; reports nothing. */
    void abort() {
        if (finished.compareAndSet(false, true)) {
            release();
        }
    }

    private void release() {
        cancelTimer();
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        CompletableFuture<HttpResponse<Void>> future = exchange;
        if (future != null) {
            future.cancel(true);
        }
        body.complete(null);
    }

    private ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
        return source.config.scheduler().schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void cancelTimer() {
        ScheduledFuture<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
