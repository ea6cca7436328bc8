package io.sseline.client;

import io.sseline.client.internal.EventSourceConfig;
import io.sseline.client.internal.HttpClientPool;
import io.sseline.client.internal.RealEventSource;
import io.sseline.client.internal.Requests;
import io.sseline.core.Event;
import io.sseline.core.EventCodec;
import io.sseline.core.EventParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A Server-Sent Events connection that reconnects, like the browser's {@code EventSource}, on top of
 * {@link HttpClient}.
 *
 * <pre>{@code
 * EventSource source = EventSource.builder(URI.create("https://example.com/events"))
 *         .header("Authorization", "Bearer " + token)
 *         .build(new EventSourceListener() {
 *             public void onEvent(EventSource source, Event event) {
 *                 System.out.println(event.type() + ": " + event.data());
 *             }
 *         });
 * source.addEventHandler("ping", (src, event) -> System.out.println("ping " + event.data()));
 * source.addEventHandler("chat", chatCodec, (src, message) -> System.out.println(message.text()));
 * source.connect();
 * // ...
 * source.close();
 * }</pre>
 *
 * <h2>Life cycle</h2>
 *
 * A source is built unconnected, so that handlers can be added before any event arrives; {@link
 * #connect()} starts it (or use {@link Builder#connect(EventSourceListener)}). It then connects,
 * reads events, and after a dropped connection waits and connects again, sending the last event id it
 * saw as {@code Last-Event-ID}, until {@link #close()} is called or the server tells it to stop. A
 * closed source stays closed; build a new one to start over. {@link #readyState()} tells where it is.
 *
 * <h2>Protocol</h2>
 *
 * Each request carries {@code Accept: text/event-stream}, {@code Accept-Encoding: identity}, {@code
 * Cache-Control: no-cache}, {@code Last-Event-ID} when the last event id is not empty (see {@link
 * #lastEventId()}), the builder's fixed headers and those its header supplier returns at that moment. The response decides what
 * follows:
 *
 * <ul>
 *   <li>{@code 200} with {@code text/event-stream}: open; events flow.
 *   <li>{@code 204 No Content}: the server wants no more reconnection; the source closes without an
 *       error.
 *   <li>{@code 5xx} and {@code 429}: {@link UnexpectedResponseException}, then a reconnect with
 *       backoff; a {@code Retry-After} header (seconds or an HTTP date) lengthens the delay to what it
 *       asks.
 *   <li>{@code 301}, {@code 302}, {@code 303}, {@code 307} and {@code 308}: followed; see
 *       "Redirects" below. A redirect that is not followed is an {@link
 *       UnexpectedResponseException} whose message says why; the source closes.
 *   <li>other statuses, {@code 200} with another content type, and {@code 200} with a content
 *       coding ({@code Content-Encoding: gzip}, for example, from a proxy that ignored {@code
 *       Accept-Encoding: identity}): {@link UnexpectedResponseException}; the source closes. Streams
 *       are not decompressed: a compressing server or proxy tends to hold events in its buffer until
 *       it fills, which defeats a stream, so the source asks for none and refuses what it did not
 *       ask for instead of parsing bytes it cannot read.
 *   <li>a network error, the end of the stream ({@link java.io.EOFException}), no response within
 *       the connect timeout or no bytes within the read timeout ({@link
 *       java.net.http.HttpTimeoutException}): a reconnect with backoff. An event that a dropped
 *       connection cut off is discarded.
 *   <li>an event beyond the parser's limits ({@link io.sseline.core.EventStreamLimitException}): the
 *       source closes, since the server would send the same event again.
 * </ul>
 *
 * A {@link ReconnectPolicy} may overrule each decision.
 *
 * <h2>Redirects</h2>
 *
 * The source follows redirects itself, as the Fetch standard does for a browser's {@code
 * EventSource} (the client's own handling cannot leave headers behind, so a client that follows
 * redirects is refused, see {@link Builder#httpClient(HttpClient)}):
 *
 * <ul>
 *   <li>{@code 301}, {@code 302}, {@code 303}, {@code 307} and {@code 308} with a {@code Location}
 *       are followed, at most {@link Builder#maxRedirects(int)} (20) in a row; other {@code 3xx}
 *       statuses are not redirects.
 *   <li>{@code 307} and {@code 308} keep the method and body; {@code 301} and {@code 302} turn a
 *       {@code POST} into a {@code GET}, and {@code 303} turns every method but {@code GET} and {@code
 *       HEAD} into {@code GET}, without the body and its {@code Content-*} headers.
 *   <li>To the same origin (scheme, host and port) every header goes along. To another origin only
 *       {@code Accept}, {@code Accept-Encoding}, {@code Cache-Control}, {@code Last-Event-ID} and the
 *       headers of a body that goes along: {@code Authorization}, {@code Cookie}, {@code
 *       Proxy-Authorization}, every other fixed header and every header the supplier computed stay
 *       behind, for the rest of the chain. A credential never leaves the origin it was given for; to
 *       send credentials to another origin, point the source at it.
 *   <li>A redirect from {@code https} to {@code http} is never followed.
 *   <li>Every reconnection starts again from {@link #uri()}: a redirect holds for one connection.
 * </ul>
 *
 * <h2>Reconnection delay</h2>
 *
 * A stream that delivered at least one event and then ended is followed by the reconnection time,
 * as in a browser: the server's last {@code retry:}, or {@link Backoff#initialDelay()} before it
 * sends one, but never less than {@link Backoff#minDelay()} (1 s by default). A failure (an error
 * status, a network error, a timeout) or a stream that ended without an event is followed by a
 * delay that grows exponentially with the failures in a row, with jitter; {@link Backoff} has the
 * rules and {@link Builder#backoff(Backoff)} sets them. A {@code Retry-After} header may lengthen
 * the delay, never shorten it. So whatever a server sends, a source never connects more often than
 * once per minimum delay, and a server that keeps failing, or that answers and closes at once
 * without an event (even with {@code retry: 0}), sees each client's requests thin out
 * exponentially.
 *
 * <h2>Threading</h2>
 *
 * An event source is thread-safe; every method may be called from any thread, including from inside
 * its own callbacks. No thread is dedicated to a source: bytes arrive on the {@link HttpClient}'s
 * threads through its asynchronous body subscriber and go, in the source's callback sequence,
 * straight into one {@link EventParser} per source, which keeps the last event id across
 * reconnections. The next bytes are requested only
 * after the listener has seen the previous ones, so a slow listener slows the socket (and through
 * TCP or HTTP/2 flow control, the server) instead of filling memory. Reconnect delays and timeouts
 * of all sources run on one shared scheduler: a daemon thread started when the first source needs
 * it ({@link Builder#scheduler(ScheduledExecutorService)} replaces it); no callback and no header
 * supplier runs on it. The callbacks of one source run one at a time, in order, and none after
 * {@link EventSourceListener#onClosed}.
 *
 * <p>The threads do not grow with the number of sources. With the defaults, the HTTP clients run on
 * one shared pool of 4 to 8 daemon threads ({@code sseline-http-N}, as many as there are processors
 * within those bounds) plus one selector thread per client (one client in all, and one more for each
 * further HTTP/2 connection a server's stream limit needs), and the callbacks run on a virtual thread
 * ({@code sseline-callbacks}) on JDK 21 and later, or on that pool on JDK 17. So on JDK 21+ a
 * listener may block without stalling other sources or the network; on JDK 17 a blocked listener
 * holds one thread of the pool and the others go on, but give {@link
 * Builder#callbackExecutor(Executor)} an executor of your own if many may block at once. 10,000
 * streams over HTTP/1.1 run on about 15 threads in all (see BENCHMARKS.md).
 *
 * <h2>Differences from the browser's EventSource</h2>
 *
 * <ul>
 *   <li>Any method and request body (for example {@code POST} with a JSON query) and any headers,
 *       recomputed at each connection so that a token can be refreshed.
 *   <li>{@code 5xx} and {@code 429} are retried with backoff; the browser gives up on any status but
 *       {@code 200}. Repeated failures back off exponentially, with jitter.
 *   <li>A read timeout detects a connection that silently died; limits on attempts and total time
 *       and a {@link ReconnectPolicy} bound reconnection.
 *   <li>{@code 204} closes the source without an error event; the error callback says whether a
 *       reconnection follows.
 *   <li>Reconnection delays have a floor (1 s) and grow over failures, whatever {@code retry:}
 *       says.
 *   <li>On a redirect to another origin, custom headers stay behind with {@code Authorization} (a
 *       browser sends no custom headers to begin with); a redirect from {@code https} to {@code
 *       http} is refused.
 *   <li>Event streams in a content coding ({@code gzip}) are refused, not decoded.
 *   <li>Comments are reported (servers use them as heartbeats).
 *   <li>Events are delivered under back-pressure, and their size is bounded by the parser's limits.
 * </ul>
 */
public interface EventSource extends AutoCloseable {
    /**
     * Returns a builder for sources that read {@code uri}.
     *
     * @throws IllegalArgumentException if {@code uri} is not an absolute {@code http} or {@code https} URI
     */
    static Builder builder(URI uri) {
        return new Builder(uri);
    }

    /** The URI this source requests at each connection (redirects are not reflected here). */
    URI uri();

    /** Where the source is in its life cycle. */
    ReadyState readyState();

    /**
     * The last event id: the id of the last event block the server sent, as the parser tracks it, or
     * the builder's initial id; {@code ""} when there is none. Sent as {@code Last-Event-ID} on the next
     * connection, as its exact UTF-8 bytes; an id that cannot be sent so (see {@link
     * Builder#lastEventId(String)}) is left out of that request, and never closes the source.
     */
    String lastEventId();

    /**
     * Starts connecting, on the HTTP client's threads, and returns this source. Further calls, and
     * calls after {@link #close()}, do nothing.
     */
    EventSource connect();

    /**
     * Drops the current connection and connects again at once, with the last event id as {@code
     * Last-Event-ID}: for a new token, or settings that the header supplier or {@link ConnectHandler}
     * now computes differently. A pending reconnection delay is cut short; no backoff applies and
     * nothing is reported to {@link EventSourceListener#onError}: the listener sees {@link
     * EventSourceListener#onOpen} of the new connection. An event the old connection had not finished
     * is discarded, as after any dropped connection. A restart does not count as a failure: the attempt
     * number and the backoff go on from where they were.
     *
     * <pre>{@code
     * tokens.onRefresh(() -> source.restart());   // the header supplier reads the new token
     * }</pre>
     *
     * <p>Returns at once; may be called from any thread, including from inside a callback, after which
     * no further event of the old connection is delivered. Does nothing before {@link #connect()} and
     * after {@link #close()}.
     */
    void restart();

    /**
     * The events of this source as a lazily read, blocking {@link Stream}, for code that pulls them,
     * on a virtual thread for example; it connects the source if it is not connected.
     *
     * <pre>{@code
     * EventSource source = EventSource.builder(uri).build();
     * try (Stream<Event> events = source.stream()) {
     *     events.filter(event -> event.type().equals("price"))
     *             .map(Event::data)
     *             .forEach(System.out::println);   // reconnects underneath until the stream is closed
     * }
     * }</pre>
     *
     * <p>The source reconnects underneath as it always does: the stream goes on across dropped
     * connections, and errors that the source retries are not seen by the stream. They are seen by
     * the source's listener ({@link EventSourceListener#onError} with {@code willReconnect} {@code
     * true}), which is where to observe or log them. The stream ends when the source closes: normally
     * after {@link #close()} or a {@code 204}; with the error that closed it otherwise, thrown from the
     * stream's operations as an {@link java.io.UncheckedIOException} whose cause is the {@link
     * java.io.IOException} (an {@link UnexpectedResponseException}, for example) or as the unchecked
     * exception itself. Closing the stream closes the source; an interrupt of the waiting thread
     * does too, and surfaces as an {@link java.io.UncheckedIOException} caused by an {@link
     * java.io.InterruptedIOException}.
     *
     * <p>Demand is bounded: the source reads from the connection only when the stream's consumer has
     * taken every event already read, so a consumer that stops pulling stops the socket (the server
     * is then held back by TCP or HTTP/2 flow control), and at most the events of one chunk wait. The
     * source's listener and handlers still see every event, at the pace of the stream. A source has
     * one view: this stream or one subscriber of {@link #publisher()}.
     *
     * @throws IllegalStateException if the source already has a stream or a subscriber
     */
    Stream<Event> stream();

    /**
     * The events of this source as a {@link Flow.Publisher} for one subscriber, whose demand reaches
     * the socket: the source reads from the connection only while the subscriber has requested events
     * that it has not yet received. Subscribing connects the source; {@link Flow.Subscription#cancel()}
     * closes it.
     *
     * <pre>{@code
     * Flow.Publisher<Event> events = EventSource.builder(uri).build().publisher();
     * events.subscribe(mySubscriber);
     * }</pre>
     *
     * <p>As with {@link #stream()}, reconnection happens underneath and errors the source retries are
     * seen by its listener only; the subscriber receives {@code onComplete} when the source closes
     * normally and {@code onError} with the error that closed it otherwise. Signals reach the
     * subscriber one at a time, on the source's callback executor when events arrive, or on the thread
     * that called {@code request} when events were waiting. A second subscriber, here or through
     * {@link #stream()}, receives {@code onError} with an {@link IllegalStateException}. Libraries
     * adapt the publisher: Reactor's {@code JdkFlowAdapter.flowPublisherToFlux}, RxJava's {@code
     * Flowable.fromPublisher(FlowAdapters.toPublisher(...))}, Kotlin's {@code asFlow()}; see the
     * module's README.
     */
    Flow.Publisher<Event> publisher();

    /**
     * Calls {@code handler} for each event of type {@code type} (the type is {@code "message"} when the
     * server names none), after the listener's {@link EventSourceListener#onEvent}: what the
     * browser's {@code addEventListener(type, listener)} does. A handler added while events flow sees
     * the events that are dispatched after it was added. Adding the same handler twice calls it
     * twice.
     */
    void addEventHandler(String type, EventHandler handler);

    /** Removes one registration of {@code handler} for {@code type}, if there is one. */
    void removeEventHandler(String type, EventHandler handler);

    /**
     * Calls {@code handler} with the data of each event of type {@code type}, decoded by {@code
     * codec}, at the same point as an {@link EventHandler} of that type. An event that {@code codec}
     * cannot decode goes to {@link EventSourceListener#onError} as an {@link
     * io.sseline.core.EventDecodeException} that carries the event; the connection goes on. The
     * listener's {@link EventSourceListener#onEvent} sees every event as it arrived, decoded or not.
     *
     * <pre>{@code
     * EventHandler chat = source.addEventHandler("chat", chatCodec, (src, message) -> show(message.text()));
     * // later, to stop:
     * source.removeEventHandler("chat", chat);
     * }</pre>
     *
     * @return the handler registered for {@code type}, which decodes and calls {@code handler}; pass
     *     it to {@link #removeEventHandler} to remove this registration
     */
    <T> EventHandler addEventHandler(String type, EventCodec<T> codec, TypedEventHandler<? super T> handler);

    /**
     * Closes the source for good: aborts the current exchange (the connection is released, a pending
     * reconnection is cancelled), then calls {@link EventSourceListener#onClosed} once no callback is
     * running. Returns at once, without waiting for the network. Idempotent; may be called from any
     * thread, including from inside a callback, after which that callback is the last but {@code
     * onClosed}.
     */
    @Override
    void close();

    /**
     * Options for {@link EventSource}s. A builder may be reused: each {@link #build} takes a snapshot
     * of its settings, so the sources it made are immutable in their configuration. Not thread-safe.
     *
     * <pre>{@code
     * EventSource.Builder builder = EventSource.builder(uri)
     *         .httpClient(sharedClient)
     *         .method("POST", HttpRequest.BodyPublishers.ofString("{\"topics\":[\"a\",\"b\"]}"))
     *         .header("Content-Type", "application/json")
     *         .headers(() -> Map.of("Authorization", "Bearer " + tokens.current()))
     *         .backoff(Backoff.defaults().withInitialDelay(Duration.ofSeconds(1)).withMaxDelay(Duration.ofMinutes(1)))
     *         .readTimeout(Duration.ofSeconds(45));
     * }</pre>
     */
    final class Builder {
        private static final EventSourceListener NO_LISTENER = new EventSourceListener() {};

        /** The settings so far, each checked here before it is stored; see the setters for defaults. */
        private final EventSourceConfig.Builder config;

        private Builder(URI uri) {
            Objects.requireNonNull(uri, "uri");
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((!scheme.equals("http") && !scheme.equals("https")) || uri.getHost() == null) {
                throw new IllegalArgumentException("uri must be an absolute http or https URI: " + uri);
            }
            this.config = EventSourceConfig.builder(uri);
        }

        /**
         * The one client that sends the requests of the sources this builder makes. It must not follow
         * redirects ({@link HttpClient.Redirect#NEVER}, the JDK's default): the source follows them
         * itself so that credentials stay with their origin.
         *
         * <p>Over HTTP/2 the JDK's client puts all streams to one server on one connection, and a
         * server allows only so many streams on one connection ({@code
         * SETTINGS_MAX_CONCURRENT_STREAMS}: 100 on Tomcat, 128 on Jetty by default); the JDK then
         * fails further requests instead of opening another connection (JDK-8225647). So one given
         * client carries at most that many streams to a server: the sources beyond it wait, in state
         * {@link ReadyState#CONNECTING}, without an error and without a request, until a stream of
         * another source of this builder to that server ends (a warning is logged once). Leave the
         * client to the default, or give {@link #httpClients(Supplier)} a factory, to have more
         * connections opened as needed.
         *
         * <p>By default the sources use clients shared by every source that names none: HTTP/2
         * preferred (negotiated over TLS, offered as an {@code h2c} upgrade over plain {@code http},
         * falling back to HTTP/1.1), on a small shared pool of threads, and as many of them per server
         * as its stream limit needs. A client given here is used as it is; give it a small fixed
         * executor ({@link HttpClient.Builder#executor}) for thousands of streams, since the JDK's
         * default executor may start a thread for each piece of work that arrives while the others
         * are busy.
         *
         * @throws IllegalArgumentException if the client follows redirects
         */
        public Builder httpClient(HttpClient httpClient) {
            config.clients(HttpClientPool.of(Objects.requireNonNull(httpClient, "httpClient")));
            return this;
        }

        /**
         * A factory of the clients that send the requests of the sources this builder makes, for
         * clients of your own (a TLS context, a proxy, an authenticator) with as many HTTP/2
         * connections as the servers' stream limits need. The sources first share one client from it;
         * when that client refuses a stream because the server's limit is reached on its connection,
         * the request goes at once, without an error or a delay, to another client from the factory,
         * which is then filled up to the same limit, and so on (a new client's first request goes
         * alone, so that the others share the connection it opens). A client whose streams have all ended,
         * other than the first, is let go. Each call must return a new client that does not follow
         * redirects ({@link HttpClient.Redirect#NEVER}); give them one shared executor, since each
         * client's own default executor has threads of its own.
         *
         * <pre>{@code
         * ExecutorService httpThreads = Executors.newFixedThreadPool(4);
         * EventSource.Builder builder = EventSource.builder(uri)
         *         .httpClients(() -> HttpClient.newBuilder().sslContext(sslContext).executor(httpThreads).build());
         * }</pre>
         */
        public Builder httpClients(Supplier<? extends HttpClient> factory) {
            Objects.requireNonNull(factory, "factory");
            config.clients(HttpClientPool.growing(factory, "the HttpClient from EventSource.Builder#httpClients"));
            return this;
        }

        /**
         * The most redirects followed in a row within one connection attempt; 0 follows none (a
         * redirect then fails like an unexpected status). Default 20, as in the Fetch standard.
         */
        public Builder maxRedirects(int redirects) {
            if (redirects < 0) {
                throw new IllegalArgumentException("maxRedirects must not be negative: " + redirects);
            }
            config.maxRedirects(redirects);
            return this;
        }

        /**
         * Adds a header sent with every request.
         *
         * @throws IllegalArgumentException if {@link HttpRequest.Builder#header} refuses the name or
         *     value (a restricted or malformed header)
         */
        public Builder header(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            Requests.checkHeader(name, value);
            config.addHeader(name, value);
            return this;
        }

        /**
         * Headers computed at each connection, for example a fresh access token; they replace fixed
         * headers of the same name. The supplier runs in the source's callback sequence (see {@link
         * #callbackExecutor(Executor)}) just before each connection attempt; the values go with the
         * redirects of that attempt to the same origin only. If it throws, or returns a header that
         * {@link HttpRequest.Builder} refuses, the source reports the error and closes.
         */
        public Builder headers(Supplier<? extends Map<String, String>> headerSupplier) {
            config.headerSupplier(Objects.requireNonNull(headerSupplier, "headerSupplier"));
            return this;
        }

        /**
         * The request method and body, for example {@code POST} with a query. The publisher is used
         * again at each reconnection, so it must be able to publish more than once (those of {@link
         * HttpRequest.BodyPublishers} that read a string, byte array or file can). Default {@code
         * GET} without a body.
         */
        public Builder method(String method, BodyPublisher body) {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(body, "body");
            Requests.checkMethod(method);
            config.method(method, body);
            return this;
        }

        /**
         * A handler that may change the URI, headers, method and body of each connection attempt's
         * request, given the attempt number and the last event id; see {@link ConnectHandler}. Default
         * none: each attempt sends the source's request as the builder set it.
         *
         * <pre>{@code
         * builder.connectHandler((request, attempt, lastEventId) ->
         *         request.uri(URI.create("https://example.com/events?since=" + URLEncoder.encode(lastEventId, UTF_8))));
         * }</pre>
         */
        public Builder connectHandler(ConnectHandler handler) {
            config.connectHandler(Objects.requireNonNull(handler, "connectHandler"));
            return this;
        }

        /**
         * The last event id to send with the first request, for resuming where an earlier source
         * stopped. Default {@code ""} (none). Like every last event id it goes out as its UTF-8 bytes,
         * which {@code HttpClient} can write for characters outside ASCII only over HTTP/2: such an
         * id is sent once the server has answered this source over HTTP/2 with TLS, and left out
         * (with a warning) before that and over HTTP/1.1, rather than sent with {@code ?} in place of
         * those characters.
         *
         * @throws IllegalArgumentException if it contains CR, LF or NUL
         */
        public Builder lastEventId(String lastEventId) {
            config.lastEventId(Event.checkId(lastEventId, "lastEventId"));
            return this;
        }

        /**
         * How long the source waits before it connects again, and how that grows over failures in a
         * row; see {@link Backoff}. Default {@link Backoff#defaults()}: 3 s until the server sends
         * {@code retry:}, at least 1 s, growing to 30 s.
         */
        public Builder backoff(Backoff backoff) {
            config.backoff(Objects.requireNonNull(backoff, "backoff"));
            return this;
        }

        /**
         * How long an open stream may go without bytes, while the source waits for them, before it
         * counts as dropped and the source reconnects; {@link Duration#ZERO} waits forever. Pick it
         * longer than the server's heartbeat interval. Default 5 min.
         */
        public Builder readTimeout(Duration timeout) {
            config.readTimeout(requireNonNegative("readTimeout", timeout));
            return this;
        }

        /**
         * How long a connection attempt may take until the response headers arrive; {@link
         * Duration#ZERO} waits forever. Default 30 s.
         */
        public Builder connectTimeout(Duration timeout) {
            config.connectTimeout(requireNonNegative("connectTimeout", timeout));
            return this;
        }

        /**
         * The most reconnection attempts in a row (without a stream that stayed open for {@link
         * Backoff#resetAfter()}) before the source closes. Default unlimited.
         */
        public Builder maxReconnectAttempts(int attempts) {
            if (attempts < 0) {
                throw new IllegalArgumentException("maxReconnectAttempts must not be negative: " + attempts);
            }
            config.maxReconnectAttempts(attempts);
            return this;
        }

        /**
         * The longest time a run of failures may last before the source closes; {@link Duration#ZERO}
         * means no limit. Default no limit.
         */
        public Builder maxReconnectTime(Duration time) {
            config.maxReconnectTime(requireNonNegative("maxReconnectTime", time));
            return this;
        }

        /**
         * The executor that runs the listener's callbacks and the header supplier (one at a time per
         * source, whatever the executor). By default a virtual thread on JDK 21 and later, and a
         * small pool of platform threads shared by all sources on JDK 17; see "Threading" in {@link
         * EventSource}. {@code Runnable::run} runs them on the thread that produced them (an HTTP
         * client's, the scheduler's, or the caller of {@link EventSource#connect()} or {@link
         * EventSource#close()}), which saves a hand-over but lets a slow callback hold up that thread.
         */
        public Builder callbackExecutor(Executor executor) {
            config.callbackExecutor(Objects.requireNonNull(executor, "callbackExecutor"));
            return this;
        }

        /**
         * The scheduler for reconnect delays and timeouts. By default one daemon thread shared by all
         * sources, started at first use. Its tasks are short; it is not shut down by the source.
         */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            config.scheduler(Objects.requireNonNull(scheduler, "scheduler"));
            return this;
        }

        /** The policy that may overrule each reconnection decision. Default {@link ReconnectPolicy#defaults()}. */
        public Builder reconnectPolicy(ReconnectPolicy policy) {
            config.reconnectPolicy(Objects.requireNonNull(policy, "reconnectPolicy"));
            return this;
        }

        /**
         * The longest line and the largest event the parser accepts; a stream beyond them fails with
         * {@link io.sseline.core.EventStreamLimitException} and the source closes. Default {@link
         * EventParser.Limits#defaults()}: lines up to 1 MiB, events up to 8 MiB.
         *
         * <pre>{@code
         * builder.parserLimits(EventParser.Limits.defaults().withMaxEventSize(32 << 20));
         * }</pre>
         */
        public Builder parserLimits(EventParser.Limits limits) {
            config.parserLimits(Objects.requireNonNull(limits, "parserLimits"));
            return this;
        }

        /** Returns a new, unconnected source that reports to {@code listener}; call {@link EventSource#connect()}. */
        public EventSource build(EventSourceListener listener) {
            Objects.requireNonNull(listener, "listener");
            return new RealEventSource(config.build(), listener);
        }

        /**
         * Returns a new, unconnected source without a listener, for reading it through {@link
         * EventSource#stream()} or {@link EventSource#publisher()} (or through handlers added with
         * {@link EventSource#addEventHandler}).
         *
         * <pre>{@code
         * Flow.Publisher<Event> prices = EventSource.builder(uri).build().publisher();
         * }</pre>
         */
        public EventSource build() {
            return build(NO_LISTENER);
        }

        /** Builds a source that reports to {@code listener} and connects it at once. */
        public EventSource connect(EventSourceListener listener) {
            return build(listener).connect();
        }

        private static Duration requireNonNegative(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative: " + value);
            }
            return value;
        }
    }
}
