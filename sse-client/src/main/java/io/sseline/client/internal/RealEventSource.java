package io.sseline.client.internal;

import io.sseline.client.ConnectHandler;
import io.sseline.client.EventHandler;
import io.sseline.client.EventSource;
import io.sseline.client.EventSourceListener;
import io.sseline.client.ReadyState;
import io.sseline.client.ReconnectPolicy;
import io.sseline.client.TypedEventHandler;
import io.sseline.core.Event;
import io.sseline.core.EventCodec;
import io.sseline.core.EventDecodeException;
import io.sseline.core.EventParser;
import io.sseline.core.EventStreamLimitException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The event source state machine. Each connection attempt is a {@link Connection}; this class decides
 * what happens between them and runs the listener's callbacks. A connection sees this class only as
 * its {@link ConnectionOwner}, and the settings as the immutable {@link EventSourceConfig}.
 *
 * <p>All callbacks, all parsing and all reconnection decisions run in {@link #callbacks}, one at a
 * time; fields marked "callback sequence" are touched only there. {@link #lock} guards the fields that
 * {@link #close()} must see consistently with a connection starting.
 */
public final class RealEventSource implements EventSource, EventParser.Listener, ConnectionOwner {
    private static final System.Logger LOG = System.getLogger(EventSource.class.getName());

    // Set once.
    private final EventSourceConfig config;
    private final EventSourceListener listener;
    private final SerialExecutor callbacks;
    private final Map<String, CopyOnWriteArrayList<EventHandler>> handlers = new ConcurrentHashMap<>();

    // Guarded by lock.
    private final Object lock = new Object();
    private boolean started;
    private @Nullable Connection current;
    private @Nullable ScheduledFuture<?> pendingReconnect;
    /**
     * Bumped by each {@link #restart()}: a connection attempt scheduled for an earlier generation
     * does not start, so that a restart never leaves two connections running.
     */
    private long generation;

    // Any thread.
    private volatile boolean closed;
    private volatile ReadyState readyState = ReadyState.CONNECTING;
    private volatile String lastEventId;
    /** The HTTP version of the last response, or null before the first. */
    private volatile HttpClient.@Nullable Version lastResponseVersion;
    /** The last id that could not be sent and was logged, so that it is logged once. */
    private volatile @Nullable String unsendableIdReported;
    /** The pull or Flow view, once one was asked for; see {@link #publisher()}. */
    private volatile @Nullable SourcePublisher view;
    /** The error the source closed after, if an error closed it; the view ends with it. */
    private volatile @Nullable Throwable finalError;

    // Callback sequence.
    /** Parses the stream; a new one after {@link #restart()}, so that no cut-off event carries over. */
    private EventParser parser;
    /** The connection whose bytes the parser is reading; its events are dropped once it is finished. */
    private @Nullable Connection feeding;
    /** The initial reconnection time until the server sends retry, then the last one it sent. */
    private Duration reconnectionTime;

    private int failuresInARow;
    private long firstFailureNanos;
    /** Events dispatched to the listener over the life of the source. */
    private long eventsDispatched;

    public RealEventSource(EventSourceConfig config, EventSourceListener listener) {
        this.config = config;
        this.listener = listener;
        this.callbacks = new SerialExecutor(config.callbackExecutor());
        this.lastEventId = config.lastEventId();
        this.parser = EventParser.create(config.parserLimits(), config.lastEventId(), this);
        this.reconnectionTime = config.backoff().initialDelay();
    }

    @Override
    public URI uri() {
        return config.uri();
    }

    @Override
    public ReadyState readyState() {
        // closed is set before anything else in close(), so a racing OPEN or CONNECTING never shows.
        return closed ? ReadyState.CLOSED : readyState;
    }

    @Override
    public String lastEventId() {
        return lastEventId;
    }

    @Override
    public EventSource connect() {
        synchronized (lock) {
            if (started || closed) {
                return this;
            }
            started = true;
        }
        callbacks.execute(() -> openConnection(0));
        return this;
    }

    @Override
    public void restart() {
        @Nullable Connection connection;
        @Nullable ScheduledFuture<?> reconnect;
        long next;
        synchronized (lock) {
            if (!started || closed) {
                return;
            }
            connection = current;
            current = null;
            reconnect = pendingReconnect;
            pendingReconnect = null;
            next = ++generation;
            readyState = ReadyState.CONNECTING;
        }
        if (reconnect != null) {
            reconnect.cancel(false);
        }
        if (connection != null) {
            connection.abort(); // reports nothing: a restart is not a failure
        }
        callbacks.execute(() -> {
            // The old connection's parser may hold part of an event, and ids of events that were cut
            // off by the restart and never delivered; the new stream starts from what was delivered.
            parser = EventParser.create(config.parserLimits(), lastEventId, this);
            openConnection(next);
        });
    }

    @Override
    public Flow.Publisher<Event> publisher() {
        SourcePublisher v = view;
        if (v == null) {
            synchronized (lock) {
                v = view;
                if (v == null) {
                    v = new SourcePublisher(this);
                    view = v;
                }
            }
        }
        return v;
    }

    @Override
    public Stream<Event> stream() {
        SourcePublisher v = (SourcePublisher) publisher();
        if (v.hasSubscriber()) {
            throw new IllegalStateException("this source already has a subscriber: one stream or Flow subscriber per"
                    + " source; build another source for another view");
        }
        return BlockingEventIterator.stream(v);
    }

    @Override
    public void addEventHandler(String type, EventHandler handler) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(handler, "handler");
        handlers.computeIfAbsent(type, t -> new CopyOnWriteArrayList<>()).add(handler);
    }

    @Override
    public void removeEventHandler(String type, EventHandler handler) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(handler, "handler");
        List<EventHandler> list = handlers.get(type);
        if (list != null) {
            list.remove(handler);
        }
    }

    @Override
    public <T> EventHandler addEventHandler(String type, EventCodec<T> codec, TypedEventHandler<? super T> handler) {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(handler, "handler");
        EventHandler decoding = new DecodingHandler<>(codec, handler, this::decodeFailed);
        addEventHandler(type, decoding);
        return decoding;
    }

    @Override
    public void close() {
        @Nullable Connection connection;
        @Nullable ScheduledFuture<?> reconnect;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            connection = current;
            current = null;
            reconnect = pendingReconnect;
            pendingReconnect = null;
        }
        readyState = ReadyState.CLOSED;
        if (reconnect != null) {
            reconnect.cancel(false);
        }
        if (connection != null) {
            connection.abort();
        }
        callbacks.execute(() -> {
            safely("onClosed", () -> listener.onClosed(this));
            SourcePublisher v = view;
            if (v != null) {
                v.sourceClosed(finalError);
            }
        });
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /** The error the source closed after, or null if it is open or closed without one. */
    @Nullable
    Throwable finalError() {
        return finalError;
    }

    @Override
    public void inCallbackSequence(Runnable task) {
        callbacks.execute(task);
    }

    /**
     * Starts a new connection unless the source was closed, or restarted since this attempt was
     * scheduled for {@code scheduledIn}. Runs in the callback sequence.
     */
    private void openConnection(long scheduledIn) {
        Connection connection = new Connection(this, config);
        synchronized (lock) {
            if (closed || scheduledIn != generation) {
                return;
            }
            current = connection;
            pendingReconnect = null;
        }
        Hop first;
        try {
            Map<String, String> computed = Objects.requireNonNull(
                    config.headerSupplier().get(),
                    "the header supplier returned null; return an empty map for no headers");
            ConnectHandler handler = config.connectHandler();
            first = handler == null
                    ? Hop.first(config.uri(), config.method(), config.body(), config.headers(), computed)
                    : shapedByHandler(handler, computed);
        } catch (RuntimeException e) { // the header supplier or connect handler failed, or made a bad request
            connection.fail(e, false, Optional.empty());
            return;
        }
        connection.start(first);
    }

    /** The first request of an attempt as the connect handler shapes it from the source's own. */
    private Hop shapedByHandler(ConnectHandler handler, Map<String, String> computed) {
        HttpRequest.Builder request = HttpRequest.newBuilder(config.uri()).method(config.method(), config.body());
        config.headers().forEach((name, values) -> values.forEach(value -> request.header(name, value)));
        computed.forEach(request::setHeader);
        handler.onConnect(request, failuresInARow + 1, lastEventId);
        HttpRequest shaped = request.build(); // the builder refuses a URI that is not absolute http or https
        return Hop.first(
                shaped.uri(),
                shaped.method(),
                shaped.bodyPublisher().orElseGet(HttpRequest.BodyPublishers::noBody),
                shaped.headers().map(),
                Map.of());
    }

    /**
     * The {@code Last-Event-ID} value for a request to {@code uri} with {@code client}, if the last
     * event id can be sent exactly (see {@link LastEventIdHeader}). A non-ASCII id goes out only when
     * the request is sure to travel over HTTP/2: over TLS (a cleartext request may be an HTTP/1.1
     * upgrade), with a client that prefers HTTP/2, to a server whose last answer came over HTTP/2.
     */
    @Override
    public Optional<String> lastEventIdHeader(HttpClient client, URI uri) {
        String id = lastEventId;
        boolean overHttp2 = client.version() == HttpClient.Version.HTTP_2
                && "https".equalsIgnoreCase(uri.getScheme())
                && lastResponseVersion == HttpClient.Version.HTTP_2;
        Optional<String> value = LastEventIdHeader.valueOf(id, overHttp2);
        if (value.isEmpty() && !id.isEmpty() && !id.equals(unsendableIdReported)) {
            unsendableIdReported = id;
            LOG.log(
                    System.Logger.Level.WARNING,
                    "the last event id \"{0}\" of {1} is not sent as Last-Event-ID: {2}; the server sees a request"
                            + " without one",
                    LastEventIdHeader.escaped(id),
                    config.uri(),
                    LastEventIdHeader.whyNot(id));
        }
        return value;
    }

    /** A response arrived over {@code version}; the next request's Last-Event-ID depends on it. */
    @Override
    public void responded(HttpClient.Version version) {
        lastResponseVersion = version;
    }

    // ConnectionOwner, in the callback sequence.

    @Override
    public boolean wantsBytes() {
        SourcePublisher v = view;
        return v == null || v.wantsEvents();
    }

    /** The view has demand again: the current connection reads on, if it had stopped. Any thread. */
    void resume() {
        callbacks.execute(() -> {
            Connection connection;
            synchronized (lock) {
                connection = current;
            }
            if (connection != null) {
                connection.pull();
            }
        });
    }

    @Override
    public void opened(Connection connection, HttpResponse.ResponseInfo response) {
        if (closed || connection.isFinished()) {
            return;
        }
        readyState = ReadyState.OPEN;
        safely("onOpen", () -> listener.onOpen(this, response));
    }

    @Override
    public void feed(Connection connection, List<ByteBuffer> buffers) throws EventStreamLimitException {
        long before = eventsDispatched;
        feeding = connection;
        try {
            for (ByteBuffer buffer : buffers) {
                if (closed || connection.isFinished()) {
                    return;
                }
                parser.feed(buffer);
            }
            if (!connection.isFinished()) { // a restart from a callback keeps the id of the last event delivered
                lastEventId = parser.lastEventId();
            }
        } finally {
            if (eventsDispatched != before) {
                connection.markEventDelivered();
            }
        }
    }

    /** The server answered 204: it wants no reconnection. */
    @Override
    public void endedByServer(Connection connection) {
        if (!isCurrent(connection)) {
            return; // a restart replaced it
        }
        parser.end();
        close();
    }

    private boolean isCurrent(Connection connection) {
        synchronized (lock) {
            return connection == current;
        }
    }

    /**
     * A connection failed or ended: decide whether to reconnect, report, and schedule. {@code retryable}
     * is the protocol's verdict; {@code retryAfter} is what a {@code Retry-After} header asked for.
     */
    @Override
    public void failed(Connection connection, Throwable error, boolean retryable, Optional<Duration> retryAfter) {
        if (closed || !isCurrent(connection)) {
            return; // closed, or a restart replaced it and reported nothing
        }
        parser.end();
        long now = System.nanoTime();
        long openedAt = connection.openedAtNanos();
        if (openedAt != 0 && now - openedAt >= Durations.nanos(config.backoff().resetAfter())) {
            failuresInARow = 0;
        }
        if (failuresInARow == 0) {
            firstFailureNanos = now;
        }
        failuresInARow++;
        Duration elapsed = Duration.ofNanos(now - firstFailureNanos);
        boolean withinLimits = failuresInARow <= config.maxReconnectAttempts()
                && (config.maxReconnectTime().isZero() || elapsed.compareTo(config.maxReconnectTime()) < 0);
        Optional<Duration> proposal = retryable && withinLimits
                ? Optional.of(proposedDelay(retryAfter, connection.deliveredAnEvent()))
                : Optional.empty();
        Optional<Duration> decision;
        try {
            decision = Objects.requireNonNull(
                    config.reconnectPolicy()
                            .decide(ReconnectPolicy.Failure.of(error, failuresInARow, elapsed, proposal)),
                    "the reconnect policy returned null; return Optional.empty() to stop");
            decision.ifPresent(delay -> {
                if (delay.isNegative()) {
                    throw new IllegalArgumentException("the reconnect policy returned a negative delay: " + delay);
                }
            });
        } catch (RuntimeException e) {
            error.addSuppressed(e);
            decision = Optional.empty();
        }
        if (decision.isEmpty()) {
            safely("onError", () -> listener.onError(this, error, false));
            finalError = error;
            close();
            return;
        }
        readyState = ReadyState.CONNECTING;
        safely("onError", () -> listener.onError(this, error, true));
        scheduleReconnect(decision.get());
    }

    /**
     * The delay before the next attempt; see {@link io.sseline.client.Backoff}. A stream that
     * delivered an event ended as streams do, so the reconnection time alone applies; any other ending
     * counts as a failure in a row, and the delay grows with their number. A longer Retry-After wins.
     */
    private Duration proposedDelay(Optional<Duration> retryAfter, boolean deliveredAnEvent) {
        Duration delay = deliveredAnEvent
                ? config.backoff().delayAfterStream(reconnectionTime)
                : config.backoff()
                        .delayAfterFailure(
                                failuresInARow,
                                reconnectionTime,
                                ThreadLocalRandom.current().nextDouble());
        return retryAfter.filter(asked -> asked.compareTo(delay) > 0).orElse(delay);
    }

    private void scheduleReconnect(Duration delay) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            // The header supplier runs in openConnection: user code, so in the callback sequence, never on
            // the scheduler thread that all sources share.
            long scheduledIn = generation;
            pendingReconnect = config.scheduler()
                    .schedule(
                            () -> callbacks.execute(() -> openConnection(scheduledIn)),
                            Durations.nanos(delay),
                            TimeUnit.NANOSECONDS);
        }
    }

    // EventParser.Listener: called by parser.feed, so in the callback sequence.

    @Override
    public void onEvent(Event event) {
        if (closed || isCutOff()) {
            return;
        }
        lastEventId = event.id();
        eventsDispatched++;
        // The per-event path: plain try blocks rather than safely(...), so that no lambda is allocated.
        try {
            listener.onEvent(this, event);
        } catch (RuntimeException e) {
            logCallbackFailure("onEvent", e);
        }
        List<EventHandler> typed = handlers.get(event.type());
        if (typed != null) {
            for (EventHandler handler : typed) {
                if (closed) {
                    return;
                }
                try {
                    handler.onEvent(this, event);
                } catch (RuntimeException e) {
                    logCallbackFailure("an event handler", e);
                }
            }
        }
        SourcePublisher v = view;
        if (v != null && !closed) {
            v.onEvent(event);
        }
    }

    /** Whether the connection being parsed was ended (by a restart) while its chunk was being parsed. */
    private boolean isCutOff() {
        Connection connection = feeding;
        return connection != null && connection.isFinished();
    }

    /** A typed handler's codec could not decode an event: reported, and the connection goes on. */
    private void decodeFailed(EventSource source, EventDecodeException failure) {
        if (!closed) {
            safely("onError", () -> listener.onError(source, failure, true));
        }
    }

    @Override
    public void onComment(String comment) {
        if (closed || isCutOff()) {
            return;
        }
        try {
            listener.onComment(this, comment);
        } catch (RuntimeException e) {
            logCallbackFailure("onComment", e);
        }
    }

    @Override
    public void onRetry(Duration retry) {
        if (isCutOff()) {
            return;
        }
        reconnectionTime = retry;
    }

    private void safely(String callback, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            logCallbackFailure(callback, e);
        }
    }

    private void logCallbackFailure(String callback, RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, callback + " of the listener of " + config.uri() + " threw; ignored", e);
    }

    @Override
    public String toString() {
        return "EventSource{" + config.uri() + ", " + readyState() + "}";
    }
}
