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
 * One connection attempt of an event source, from the first request to the end of the stream's
 * body: its requests ({@link Hop}s; more than one when the server redirects), each on a client the
 * {@link HttpClientPool} grants, and the body subscriber of the last one, which hands each chunk to
 * the source's callback sequence and requests the next chunk only once that one has been parsed and
 * delivered.
 *
 * <p>It ends exactly once ({@link #finished}): by a failure that the source then judges, or by {@link
 * #abort()} when the source is closed. After that it delivers nothing and cancels the exchange.
 * Failures that the HTTP client reports after bytes (end of stream, network error) travel through
 * the callback sequence first, so that chunks queued before them are delivered; failures that the
 * source detects itself (timeouts, limits) end the connection at once. A request that a client
 * refuses for the server's HTTP/2 stream limit is not a failure: it goes out again at once on the
 * lane the pool grants next.
 */
final class Connection implements HttpResponse.BodySubscriber<Void> {
    /**
     * Refusals within a known stream limit (5, 10, 20 ms apart) after which the limit is taken as
     * lowered; a client's count lags behind a reset by far less.
     */
    private static final int MAX_LAG_REFUSALS = 3;

    /**
     * How long the other requests for a lane wait for the response to its first request before they
     * go anyway; a server may hold the headers of a stream back until its first event.
     */
    private static final long PROBE_PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(1);

    // Set once.
    private final ConnectionOwner source;
    private final EventSourceConfig config;
    private final AtomicBoolean finished = new AtomicBoolean();
    private final AtomicBoolean connectTimerArmed = new AtomicBoolean();
    private final CompletableFuture<Void> body = new CompletableFuture<>();

    // Written by the thread that sends or answers a request, read by any thread.
    private volatile @Nullable CompletableFuture<HttpResponse<Void>> exchange;
    private volatile HttpClientPool.@Nullable Waiter waiter;
    private volatile Flow.@Nullable Subscription subscription;
    private volatile @Nullable ScheduledFuture<?> timer;
    /** Lets the other requests of a new lane go if this, its first, has no answer in time. */
    private volatile @Nullable ScheduledFuture<?> probeTimer;
    /** Sends a request again after a refusal within a known stream limit. */
    private volatile @Nullable ScheduledFuture<?> retryTimer;

    private volatile long openedAtNanos;

    // Callback sequence.
    private boolean deliveredAnEvent;
    /** A chunk was requested and has not been delivered yet. */
    private boolean chunkRequested;

    // The thread that completes an exchange.
    /** Refusals in a row within a known stream limit; each waits longer before trying again. */
    private int lagRefusals;

    // Read-timeout bookkeeping: written by the delivering threads, read by the scheduler.
    private volatile boolean awaitingBytes;
    private volatile long awaitingSinceNanos;

    Connection(ConnectionOwner source, EventSourceConfig config) {
        this.source = source;
        this.config = config;
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

    /** Sends the first request. */
    void start(Hop first) {
        send(first);
    }

    /**
     * Arms the connect timeout when the first request goes out (time spent waiting for a lane is the
     * pool's, not the server's); it covers that request and every redirect after it.
     */
    private void startConnectTimer() {
        Duration connectTimeout = config.connectTimeout();
        if (connectTimeout.isZero() || !connectTimerArmed.compareAndSet(false, true)) {
            return;
        }
        timer = schedule(
                () -> fail(
                        new HttpTimeoutException("no response from " + config.uri() + " within " + connectTimeout
                                + "; raise EventSource.Builder#connectTimeout if the server is slow to answer"),
                        true,
                        Optional.empty()),
                Durations.nanos(connectTimeout));
        if (finished.get()) {
            cancelTimer();
        }
    }

    /** Asks the pool for a client for {@code hop}; it is sent when one is granted. */
    private void send(Hop hop) {
        if (finished.get()) {
            return;
        }
        // A failure to grant is the client factory's, or a client it made that follows redirects.
        waiter = config.clients()
                .acquire(hop.uri(), lease -> dispatch(hop, lease), e -> fail(e, false, Optional.empty()));
        if (finished.get()) { // aborted while the request waited to be placed
            HttpClientPool.Waiter w = waiter;
            if (w != null) {
                w.cancel();
            }
        }
    }

    private void dispatch(Hop hop, HttpClientPool.Lease lease) {
        if (finished.get()) {
            lease.release();
            return;
        }
        startConnectTimer();
        if (lease.probe()) {
            // The lane's other requests wait for this one's response; not longer than this.
            probeTimer = schedule(lease::confirm, PROBE_PATIENCE_NANOS);
            if (finished.get()) {
                cancel(probeTimer);
            }
        }
        CompletableFuture<HttpResponse<Void>> future;
        try {
            HttpRequest request = hop.request(source.lastEventIdHeader(lease.client(), hop.uri()));
            future = lease.client().sendAsync(request, info -> onResponse(hop, lease, info));
        } catch (RuntimeException e) { // the client refused the request outright
            lease.release();
            fail(e, false, Optional.empty());
            return;
        }
        exchange = future;
        CompletableFuture<?> unused = future.whenComplete((response, error) -> exchangeEnded(hop, lease, error));
        if (finished.get()) {
            future.cancel(true); // closed while the request was being sent
        }
    }

    /** An exchange is over: its lease goes back, and a failure before or instead of the body is judged. */
    private void exchangeEnded(Hop hop, HttpClientPool.Lease lease, @Nullable Throwable error) {
        Throwable cause = error == null ? null : unwrap(error);
        if (cause != null && HttpClientPool.isStreamLimitRefusal(cause)) {
            refused(hop, lease, cause);
            return;
        }
        lease.release();
        if (cause != null && !(cause instanceof Redirected)) {
            // The exchange failed before the body was subscribed, or after we cancelled it.
            fail(cause, !(cause instanceof IllegalArgumentException), Optional.empty());
        }
    }

    /**
     * The client refused the request for the server's stream limit: it goes out again on another lane
     * at once, or on the same after a pause. That is not another attempt, so nothing is reported.
     */
    private void refused(Hop hop, HttpClientPool.Lease lease, Throwable cause) {
        switch (lease.refused(lagRefusals >= MAX_LAG_REFUSALS)) {
            case MOVE -> {
                lagRefusals = 0;
                send(hop);
            }
            case RETRY_SOON -> {
                long pauseMillis = 5L << lagRefusals++;
                retryTimer = schedule(() -> send(hop), TimeUnit.MILLISECONDS.toNanos(pauseMillis));
                if (finished.get()) {
                    cancel(retryTimer);
                }
            }
            case FAIL -> fail(cause, true, Optional.empty());
        }
    }

    private HttpResponse.BodySubscriber<Void> onResponse(
            Hop hop, HttpClientPool.Lease lease, HttpResponse.ResponseInfo info) {
        lease.confirm();
        cancel(probeTimer);
        if (finished.get()) {
            return Responses.failing(new CancellationException("the event source was closed"));
        }
        source.responded(info.version());
        int status = info.statusCode();
        if (Hop.isRedirect(status)) {
            try {
                send(hop.redirect(status, info.headers().firstValue("Location"), config.maxRedirects()));
                return Responses.failing(new Redirected());
            } catch (Hop.RedirectRefusedException refused) {
                UnexpectedResponseException error = UnexpectedResponseException.of(
                        hop.uri(), info, "the redirect was not followed: " + refused.getMessage());
                fail(error, false, Optional.empty());
                return Responses.failing(error);
            }
        }
        cancelTimer();
        if (Responses.isEventStream(info)) {
            openedAtNanos = System.nanoTime();
            source.inCallbackSequence(() -> source.opened(this, info));
            return this;
        }
        if (status == 204) {
            if (finished.compareAndSet(false, true)) {
                source.inCallbackSequence(() -> source.endedByServer(this));
            }
            return Responses.failing(new CancellationException("204 No Content"));
        }
        UnexpectedResponseException error = status >= 300 && status < 400
                ? UnexpectedResponseException.of(
                        hop.uri(), info, "status " + status + " is not a redirect; 301, 302, 303, 307 and 308 are")
                : UnexpectedResponseException.of(hop.uri(), info);
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
        Duration readTimeout = config.readTimeout();
        source.inCallbackSequence(this::pull);
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
        source.inCallbackSequence(() -> deliver(buffers));
    }

    @Override
    public void onError(Throwable error) {
        awaitingBytes = false;
        source.inCallbackSequence(() -> fail(error, true, Optional.empty()));
    }

    @Override
    public void onComplete() {
        awaitingBytes = false;
        source.inCallbackSequence(() -> fail(
                new EOFException("the server ended the event stream from " + config.uri()), true, Optional.empty()));
    }

    /** In the callback sequence: parse one chunk, then ask for the next. */
    private void deliver(List<ByteBuffer> buffers) {
        chunkRequested = false;
        if (finished.get() || source.isClosed()) {
            return;
        }
        try {
            source.feed(this, buffers);
        } catch (EventStreamLimitException e) {
            fail(e, false, Optional.empty());
            return;
        }
        pull();
    }

    /**
     * In the callback sequence: requests the next chunk, unless one is on its way or the source wants
     * no events now (a pull or Flow view whose consumer has not asked for more). In that case nothing
     * is read until the source calls this again, and the read timeout does not run: the server is
     * held back by TCP or HTTP/2 flow control.
     */
    void pull() {
        Flow.Subscription s = subscription;
        if (s == null || chunkRequested || finished.get() || source.isClosed() || !source.wantsBytes()) {
            return;
        }
        chunkRequested = true;
        awaitBytes();
        s.request(1);
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
        long timeout = Durations.nanos(config.readTimeout());
        long idle = awaitingBytes ? System.nanoTime() - awaitingSinceNanos : 0;
        if (idle >= timeout) {
            fail(
                    new HttpTimeoutException("no bytes from " + config.uri() + " for " + config.readTimeout()
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
        source.inCallbackSequence(() -> source.failed(this, error, retryable, retryAfter));
    }

    /** Ends this connection because the source was closed; reports nothing. */
    void abort() {
        if (finished.compareAndSet(false, true)) {
            release();
        }
    }

    private void release() {
        cancelTimer();
        cancel(probeTimer);
        cancel(retryTimer);
        HttpClientPool.Waiter w = waiter;
        if (w != null) {
            w.cancel();
        }
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
        return config.scheduler().schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void cancelTimer() {
        cancel(timer);
    }

    private static void cancel(@Nullable ScheduledFuture<?> task) {
        if (task != null) {
            task.cancel(false);
        }
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /** Completes a redirect's exchange, whose body is not read; the next request is already on its way. */
    private static final class Redirected extends CancellationException {
        private static final long serialVersionUID = 1L;

        Redirected() {
            super("redirected");
        }
    }
}
