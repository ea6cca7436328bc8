package io.sseline.client.internal;

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
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
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
    private final EventParser parser;
    private final Map<String, CopyOnWriteArrayList<EventHandler>> handlers = new ConcurrentHashMap<>();

    // Guarded by lock.
    private final Object lock = new Object();
    private boolean started;
    private @Nullable Connection current;
    private @Nullable ScheduledFuture<?> pendingReconnect;

    // Any thread.
    private volatile boolean closed;
    private volatile ReadyState readyState = ReadyState.CONNECTING;
    private volatile String lastEventId;
    /** The HTTP version of the last response, or null before the first. */
    private volatile HttpClient.@Nullable Version lastResponseVersion;
    /** The last id that could not be sent and was logged, so that it is logged once. */
    private volatile @Nullable String unsendableIdReported;

    // Callback sequence.
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
        callbacks.execute(this::openConnection);
        return this;
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
        callbacks.execute(() -> safely("onClosed", () -> listener.onClosed(this)));
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void inCallbackSequence(Runnable task) {
        callbacks.execute(task);
    }

    /** Starts a new connection unless the source was closed. Runs in the callback sequence. */
    private void openConnection() {
        Connection connection = new Connection(this, config);
        synchronized (lock) {
            if (closed) {
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
            first = Hop.first(config.uri(), config.method(), config.body(), config.headers(), computed);
        } catch (RuntimeException e) { // the header supplier failed, or returned a header HttpRequest refuses
            connection.fail(e, false, Optional.empty());
            return;
        }
        connection.start(first);
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
        try {
            for (ByteBuffer buffer : buffers) {
                if (closed || connection.isFinished()) {
                    return;
                }
                parser.feed(buffer);
            }
            lastEventId = parser.lastEventId();
        } finally {
            if (eventsDispatched != before) {
                connection.markEventDelivered();
            }
        }
    }

    /** The server answered 204: it wants no reconnection. */
    @Override
    public void endedByServer() {
        parser.end();
        close();
    }

    /**
     * A connection failed or ended: decide whether to reconnect, report, and schedule. {@code retryable}
     * is the protocol's verdict; {@code retryAfter} is what a {@code Retry-After} header asked for.
     */
    @Override
    public void failed(Connection connection, Throwable error, boolean retryable, Optional<Duration> retryAfter) {
        parser.end();
        if (closed) {
            return;
        }
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
            pendingReconnect = config.scheduler()
                    .schedule(
                            () -> callbacks.execute(this::openConnection),
                            Durations.nanos(delay),
                            TimeUnit.NANOSECONDS);
        }
    }

    // EventParser.Listener: called by parser.feed, so in the callback sequence.

    @Override
    public void onEvent(Event event) {
        if (closed) {
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
    }

    /** A typed handler's codec could not decode an event: reported, and the connection goes on. */
    private void decodeFailed(EventSource source, EventDecodeException failure) {
        if (!closed) {
            safely("onError", () -> listener.onError(source, failure, true));
        }
    }

    @Override
    public void onComment(String comment) {
        if (closed) {
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
