package io.sseline.testing;

import io.sseline.core.Event;
import io.sseline.core.EventParser;
import io.sseline.core.EventStreamLimitException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The tests' event-stream client: one {@code GET} on {@link HttpClient}, whose body chunks go
 * straight into sse-core's {@link EventParser}. Events land in a queue that tests take from with
 * deadlines ({@link #next(Duration)} and its variants); comments are counted; {@link #lastEventId()}
 * follows id fields as they arrive, also those of blocks without data (a hub sends one when a
 * subscription goes live). It never reconnects: a test that resumes connects again with {@link
 * #lastEventId()}.
 *
 * <pre>{@code
 * try (HttpEventClient client = HttpEventClient.connect(HttpEventClient.http11(), uri)) {
 *     assertThat(client.next(WAIT)).isEqualTo(Event.of("hello"));
 * }
 * }</pre>
 */
public final class HttpEventClient implements AutoCloseable {
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final AtomicInteger comments = new AtomicInteger();
    private final CompletableFuture<HttpResponse.ResponseInfo> opened = new CompletableFuture<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final EventParser parser;
    private volatile Flow.Subscription subscription;
    private volatile CompletableFuture<HttpResponse<Void>> exchange;
    private volatile boolean closed;

    private HttpEventClient(String lastEventId) {
        this.parser = EventParser.create(EventParser.Limits.defaults(), lastEventId, new EventParser.Listener() {
            @Override
            public void onEvent(Event event) {
                events.add(event);
            }

            @Override
            public void onComment(String comment) {
                comments.incrementAndGet();
            }
        });
    }

    /**
     * A JDK client that speaks HTTP/1.1 only: one connection per stream, as the tests that use it
     * expect. (By default the JDK client asks a plain-text server to upgrade to h2c, which both test
     * containers accept, and then multiplexes every stream over one connection.)
     */
    public static HttpClient http11() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    /** Starts a GET; returns at once. {@code lastEventId} "" sends no header. */
    public static HttpEventClient connect(HttpClient client, URI uri, String lastEventId) {
        HttpEventClient c = new HttpEventClient(lastEventId);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Accept", "text/event-stream")
                .GET();
        if (!lastEventId.isEmpty()) {
            request.header("Last-Event-ID", lastEventId);
        }
        c.exchange = client.sendAsync(request.build(), info -> {
            c.opened.complete(info);
            return HttpResponse.BodySubscribers.fromSubscriber(c.new Feeder());
        });
        c.exchange.whenComplete((response, failure) -> {
            if (failure != null) {
                c.opened.completeExceptionally(failure);
                c.ended.completeExceptionally(failure);
            }
        });
        return c;
    }

    /** Starts a GET without {@code Last-Event-ID}; returns at once. */
    public static HttpEventClient connect(HttpClient client, URI uri) {
        return connect(client, uri, "");
    }

    /** Waits for the response head. */
    public HttpResponse.ResponseInfo awaitOpen(Duration timeout) throws Exception {
        return opened.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next event; fails if none arrives within {@code timeout}. */
    public Event next(Duration timeout) throws InterruptedException {
        Event e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (e == null) {
            throw new AssertionError("no event within " + timeout + endedNote());
        }
        return e;
    }

    /** The next {@code n} events, all within {@code timeout}. */
    public List<Event> next(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Event> out = new ArrayList<>(n);
        while (out.size() < n) {
            long left = deadline - System.nanoTime();
            Event e = events.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new AssertionError("received " + out.size() + " of " + n + " events within " + timeout
                        + endedNote() + "; last: " + (out.isEmpty() ? "none" : out.get(out.size() - 1)));
            }
            out.add(e);
        }
        return out;
    }

    /** The next event of {@code type}, skipping events of other types; fails after {@code timeout}. */
    public Event next(String type, Duration timeout) throws InterruptedException {
        return next(event -> event.type().equals(type), "an event of type " + type, timeout);
    }

    /** The next event that {@code matches}, skipping others; fails after {@code timeout}. */
    public Event next(Predicate<Event> matches, String what, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Event event = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
            if (event == null) {
                throw new AssertionError("no " + what + " within " + timeout + endedNote());
            }
            if (matches.test(event)) {
                return event;
            }
        }
    }

    /**
     * An event that arrives within {@code wait}, or null: for checking that nothing more comes, where
     * the test has no other event to wait for.
     */
    public Event poll(Duration wait) throws InterruptedException {
        return events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Events received and not yet taken. */
    public List<Event> drainReceived() {
        List<Event> out = new ArrayList<>();
        events.drainTo(out);
        return out;
    }

    /** How many comments (heartbeats) arrived. */
    public int comments() {
        return comments.get();
    }

    /** The last id field received so far (also of a block without data), or the one connected with. */
    public String lastEventId() {
        synchronized (parser) {
            return parser.lastEventId();
        }
    }

    /**
     * Completes when the server ends the response; exceptionally when the exchange failed (the
     * connection broke, a limit was exceeded).
     */
    public CompletableFuture<Void> ended() {
        return ended;
    }

    /** Waits until the response ended, normally or not; fails if it goes on past {@code timeout}. */
    public void awaitEnded(Duration timeout) throws InterruptedException {
        try {
            ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException brokenOff) {
            // ended all the same
        } catch (TimeoutException e) {
            throw new AssertionError("the stream did not end within " + timeout, e);
        }
    }

    /**
     * The client goes away: cancels the body and aborts the exchange, which closes an HTTP/1.1
     * connection at once (cancelling the body alone leaves it open until the server writes again).
     */
    @Override
    public void close() {
        closed = true;
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        exchange.cancel(true);
    }

    private String endedNote() {
        return ended.isDone() ? " (the stream ended)" : "";
    }

    private final class Feeder implements Flow.Subscriber<List<ByteBuffer>> {
        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (closed) {
                s.cancel(); // closed before the response arrived
                return;
            }
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> chunks) {
            synchronized (parser) {
                try {
                    for (ByteBuffer chunk : chunks) {
                        parser.feed(chunk);
                    }
                } catch (EventStreamLimitException e) {
                    ended.completeExceptionally(e);
                    subscription.cancel();
                }
            }
        }

        @Override
        public void onError(Throwable t) {
            ended.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            synchronized (parser) {
                parser.end();
            }
            ended.complete(null);
        }
    }
}
