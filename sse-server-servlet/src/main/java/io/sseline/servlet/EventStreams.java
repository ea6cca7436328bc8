package io.sseline.servlet;

import io.sseline.core.Event;
import io.sseline.servlet.internal.DaemonScheduler;
import io.sseline.servlet.internal.FeedThreads;
import io.sseline.servlet.internal.HeaderValues;
import io.sseline.servlet.internal.StreamCounts;
import io.sseline.servlet.internal.StreamEngine;
import io.sseline.servlet.internal.StreamOwner;
import io.sseline.servlet.internal.WriterPool;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Opens {@link EventStream}s and keeps track of them: one heartbeat task for all of them, counters,
 * and a graceful {@link #shutdown()}. Create one per application (or per servlet) and share it.
 *
 * <pre>{@code
 * EventStreams streams = EventStreams.create(EventStreamConfig.builder().heartbeatInterval(Duration.ofSeconds(20)).build());
 *
 * protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
 *     EventStream stream = streams.open(request, response);
 *     stream.send(Event.of("hello"));
 * }
 *
 * public void destroy() {
 *     streams.shutdown(Event.of("restarting").withType("bye"));
 * }
 * }</pre>
 *
 * <p><b>Scheduler.</b> Heartbeats and close timeouts run on one scheduler for all streams of this
 * object, never a thread or timer per connection: by default a single daemon thread that starts
 * with the first stream and stops on {@link #shutdown()}, or the one given to {@link
 * EventStreamConfig.Builder#scheduler}. Every {@link EventStreamConfig#heartbeatInterval()}, each
 * stream that sent nothing during the last interval gets an empty comment.
 *
 * <p><b>Writer threads.</b> A send only queues the event; daemon threads ({@code sseline-writer-N},
 * one per two processors, at least one and at most four) write the streams that have something
 * queued, each stream's events since its last write in one write. So a broadcast costs its sender
 * one queue insertion per stream, and a stream that receives events faster than it is written sends
 * them together. The threads start as work arrives, end after half a minute without any, and stop
 * on {@link #shutdown()}.
 *
 * <p><b>Counters.</b> {@link #openCount()}, {@link #openedCount()}, {@link #closedCount(CloseReason)},
 * {@link #sentCount()}, {@link #sentBytes()}, {@link #peakQueuedBytes()} and {@link
 * #slowConsumerCount()} describe all streams of this instance, for a metrics system to read (the
 * {@code sse-micrometer} module binds them to Micrometer). Each stream counts in plain fields under
 * the lock its sends take anyway, so counting adds no atomic operation to the write path; reading a
 * count visits every open stream, which suits a periodic scrape, not a call per event.
 *
 * <pre>{@code
 * log.info(streams.openCount() + " open, " + streams.sentBytes() + " bytes sent, "
 *         + streams.closedCount(CloseReason.SLOW_CONSUMER) + " slow clients cut");
 * }</pre>
 *
 * <p>Thread-safe. {@link #open} must be called on the container thread that runs the request.
 */
public final class EventStreams {
    private static final System.Logger LOG = System.getLogger(EventStreams.class.getName());
    private static final String HEAD = "HEAD";
    /**
     * The {@code Retry-After} of a request refused during shutdown: about the time a server takes to
     * restart, after which a client that honours it tries again.
     */
    static final Duration RETRY_AFTER_SHUTDOWN = Duration.ofSeconds(5);
    /**
     * The response buffer an event stream asks its container for: one page, which holds a few dozen
     * chat-sized events. Containers that buffer writes send a larger write in pieces of this size.
     */
    static final int RESPONSE_BUFFER_BYTES = 4096;

    /**
     * How long {@link #shutdown} waits for the writer threads to end. Their tasks never block, so they
     * end at once unless application code they run (a close handler, a feed's source) blocks; a
     * container that stops the application must find no thread of it still running.
     */
    private static final Duration WRITERS_END_WAIT = Duration.ofSeconds(5);

    private final EventStreamConfig config;
    /** What each stream's engine reports back; one for all streams. */
    private final Owner owner = new Owner();
    /** The threads that write every stream's queued events; started as work arrives. */
    private final WriterPool writers = WriterPool.create(WriterPool.defaultThreads());

    private final Set<StreamEngine<EventStream>> open = ConcurrentHashMap.newKeySet();
    /**
     * The threads running close handlers of streams that have left {@link #open}, each with how many
     * streams' handlers it is inside (a handler may close another stream): what {@link #shutdown}
     * waits for once no stream is open.
     */
    private final Map<Thread, Integer> closing = new ConcurrentHashMap<>();

    private final AtomicLong slowConsumers = new AtomicLong();
    private final AtomicLong opened = new AtomicLong();

    // Guarded by counts: the counts of the streams that have ended. A stream leaves the open set under
    // the same lock that adds its counts here, so that a reader, which holds it too, counts each
    // stream once (see counts()); each stream's own counts are plain fields under its own lock.
    private final StreamCounts ended = new StreamCounts();
    private final Map<CloseReason, Long> closedByReason = new EnumMap<>(CloseReason.class);

    // Guarded by lifecycle.
    private final Object lifecycle = new Object();
    private @Nullable ScheduledExecutorService scheduler;
    private @Nullable ScheduledFuture<?> heartbeatTask;
    private volatile boolean started;
    private volatile boolean shutDown;

    private EventStreams(EventStreamConfig config) {
        this.config = config;
    }

    /** Returns an instance with the default configuration. */
    public static EventStreams create() {
        return new EventStreams(EventStreamConfig.defaults());
    }

    /** Returns an instance with {@code config}. */
    public static EventStreams create(EventStreamConfig config) {
        return new EventStreams(Objects.requireNonNull(config, "config"));
    }

    /** The configuration every stream of this instance uses. */
    public EventStreamConfig config() {
        return config;
    }

    /**
     * Turns {@code response} into an open event stream: starts asynchronous mode, sets {@code
     * Content-Type: text/event-stream;charset=utf-8}, {@code Cache-Control: no-cache} and {@code
     * X-Accel-Buffering: no} (so nginx does not buffer), sets no content length, and sends the headers
     * at once so that the client sees the stream open. Call it on the container thread that runs the
     * request; the returned stream can then be used from any thread.
     *
     * <p>Two requests get no open stream. The stream returned has then already ended: {@link
     * EventStream#isOpen()} is {@code false}, {@link EventStream#send} returns {@code false}, close
     * handlers run at once, and it is not counted among the {@link #openCount() open streams}. Check
     * {@code isOpen()} before announcing a new client to others.
     *
     * <ul>
     *   <li>A {@code HEAD} request is answered with the status and headers a {@code GET} gets and no
     *       body, and completes when the servlet returns ({@link CloseReason#HEAD_REQUEST}).
     *   <li>Once {@link #shutdown} has begun, a request is answered {@code 503 Service Unavailable}
     *       with {@code Retry-After} ({@link CloseReason#SHUTDOWN}).
     * </ul>
     *
     * <pre>{@code
     * EventStream stream = streams.open(request, response);
     * if (!stream.isOpen()) {
     *     return; // HEAD, or shutting down: already answered
     * }
     * presence.join(stream, user);
     * }</pre>
     *
     * <p>Any other method opens a stream like {@code GET} (an event stream requested with {@code POST}
     * is common for one-shot streams); refusing methods is the servlet's choice, which {@link
     * EventStreamServlet} makes.
     *
     * <p>{@link EventStream#lastEventId()} is the {@code Last-Event-ID} header as the client meant it:
     * containers read header bytes as ISO-8859-1, browsers send the id as UTF-8, so the header is
     * decoded again as UTF-8 when its bytes are valid UTF-8. Without the header, it is the query
     * parameter named by {@link EventStreamConfig.Builder#lastEventIdParameter}, when that fallback
     * is on.
     *
     * @throws IllegalStateException if the request does not support asynchronous mode (register the
     *     servlet and every filter before it with {@code asyncSupported = true}), or if the response
     *     is already committed
     * @throws IOException if the container cannot provide the output stream
     */
    public EventStream open(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(response, "response");
        String lastEventId = lastEventIdOf(request);
        if (shutDown) {
            return refuseWhileShuttingDown(response, lastEventId);
        }
        if (!request.isAsyncSupported()) {
            throw new IllegalStateException("request " + request.getRequestURI() + " does not support async mode;"
                    + " register the servlet and every filter before it with asyncSupported = true"
                    + " (ServletRegistration.Dynamic#setAsyncSupported, @WebServlet(asyncSupported = true)"
                    + " or <async-supported>true</async-supported> in web.xml)");
        }
        if (response.isCommitted()) {
            throw new IllegalStateException("response is already committed; open the event stream before"
                    + " anything else writes to the response");
        }

        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("text/event-stream;charset=utf-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no");
        if (HEAD.equals(request.getMethod())) {
            // The headers a GET gets, committed now so that no wrapper adds a Content-Length, and no
            // body: nothing may be written to a HEAD response (over HTTP/2 some containers then spin).
            response.flushBuffer();
            return StreamEngine.ended(owner, CloseReason.HEAD_REQUEST, face(lastEventId)).stream();
        }
        // A container may keep a response buffer of this size for as long as the stream is open (Jetty
        // takes its default 32 KiB from its pool at the first write and returns it only when the
        // response completes): per idle stream that is most of what it holds. Events are small and
        // the queue already gathers several into one write.
        response.setBufferSize(RESPONSE_BUFFER_BYTES);
        AsyncContext async = request.isAsyncStarted() ? request.getAsyncContext() : request.startAsync();
        async.setTimeout(config.asyncTimeout().toMillis());
        // Commits the headers now, still in blocking mode: they are small and the connection's send
        // buffer is empty, so this does not wait on the client. Some containers do not send an
        // uncommitted response when a non-blocking flush finds nothing to write.
        response.flushBuffer();

        StreamEngine<EventStream> engine = StreamEngine.open(
                owner,
                async,
                response.getOutputStream(),
                writers,
                config.maxQueuedBytes(),
                config.slowConsumerPolicy(),
                face(lastEventId));
        startScheduler();
        open.add(engine);
        opened.incrementAndGet();
        engine.start();
        if (shutDown) {
            engine.closeNow(CloseReason.SHUTDOWN, true); // shutdown ran while this one was opening
        }
        return engine.stream();
    }

    /**
     * The request's {@code Last-Event-ID} header; without one, the fallback query parameter when the
     * configuration names one; {@code ""} when neither is there.
     */
    private String lastEventIdOf(HttpServletRequest request) {
        String header = request.getHeader("Last-Event-ID");
        if (header != null) {
            return HeaderValues.utf8(header);
        }
        return config.lastEventIdParameter()
                .flatMap(name -> HeaderValues.queryParameter(request.getQueryString(), name))
                .orElse("");
    }

    private Function<StreamEngine<EventStream>, EventStream> face(String lastEventId) {
        Executor feeds = config.feedExecutor().orElseGet(FeedThreads::executor);
        return engine -> new EventStream(engine, lastEventId, feeds);
    }

    private EventStream refuseWhileShuttingDown(HttpServletResponse response, String lastEventId) throws IOException {
        if (!response.isCommitted()) {
            response.setHeader("Retry-After", Long.toString(RETRY_AFTER_SHUTDOWN.toSeconds()));
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "event streams are shutting down");
        }
        return StreamEngine.ended(owner, CloseReason.SHUTDOWN, face(lastEventId)).stream();
    }

    /** How many streams are open now. */
    public int openCount() {
        return open.size();
    }

    /** How many streams this instance has opened in all. */
    public long openedCount() {
        return opened.get();
    }

    /**
     * How many streams that opened have ended for {@code reason}. Over all reasons, these add up to
     * {@link #openedCount()} less {@link #openCount()}. Requests that got no open stream ({@link
     * CloseReason#HEAD_REQUEST}, and {@link CloseReason#SHUTDOWN} for one refused during shutdown) are
     * not counted.
     */
    public long closedCount(CloseReason reason) {
        Objects.requireNonNull(reason, "reason");
        synchronized (ended) {
            return closedByReason.getOrDefault(reason, 0L);
        }
    }

    /**
     * How many events (comments included, heartbeats not) the streams of this instance have handed to
     * the container, open and ended streams together. An event queued on a stream that ended before
     * its turn to be written is not counted.
     */
    public long sentCount() {
        return counts().events();
    }

    /**
     * How many bytes the streams of this instance have handed to the container, open and ended
     * streams together: the serialized events, comments and heartbeats, without the HTTP framing
     * that the container adds.
     */
    public long sentBytes() {
        return counts().bytes();
    }

    /**
     * The most bytes one stream of this instance has had queued at once, open or ended: how close the
     * slowest client came to {@link EventStreamConfig#maxQueuedBytes()} (an event larger than the
     * bound goes through an empty queue alone, so this can exceed it).
     */
    public int peakQueuedBytes() {
        return counts().peakQueuedBytes();
    }

    /**
     * The counts of every stream that ever opened. Reads each open stream under its lock, so the cost
     * grows with the streams open: for metrics, not for every event.
     */
    private StreamCounts counts() {
        StreamCounts total = new StreamCounts();
        synchronized (ended) {
            total.add(ended);
            for (StreamEngine<EventStream> engine : open) {
                engine.addCountsTo(total);
            }
        }
        return total;
    }

    /** A snapshot of the streams open now. */
    public List<EventStream> openStreams() {
        List<EventStream> streams = new ArrayList<>(open.size());
        for (StreamEngine<EventStream> engine : open) {
            streams.add(engine.stream());
        }
        return streams;
    }

    /** How many times the slow-consumer policy has applied, over all streams. */
    public long slowConsumerCount() {
        return slowConsumers.get();
    }

    /** Whether {@link #shutdown} has been called. */
    public boolean isShutdown() {
        return shutDown;
    }

    /**
     * Closes every stream, waiting up to {@link EventStreamConfig#closeTimeout()} for clients to read
     * what is queued, then stops the default scheduler. Requests from now on are refused with {@code
     * 503} (see {@link #open}). Blocks until every stream has ended, the close handlers running on
     * other threads have returned (up to 5 seconds for ones that block) and the writer threads have
     * stopped; idempotent. Called from a close handler, it does not wait for that handler.
     */
    public void shutdown() {
        shutdown(config.closeTimeout());
    }

    /**
     * Closes every stream, waits up to {@code grace} for clients to read what is queued, cuts the
     * rest, and stops the default scheduler.
     *
     * @throws IllegalArgumentException if {@code grace} is negative
     */
    public void shutdown(Duration grace) {
        shutdownStreams(null, grace);
    }

    /** Sends {@code finalEvent} to every stream, then shuts down as {@link #shutdown()} does. */
    public void shutdown(Event finalEvent) {
        shutdown(finalEvent, config.closeTimeout());
    }

    /**
     * Sends {@code finalEvent} to every stream (to each that has room for it in its queue), then shuts
     * down as {@link #shutdown(Duration)} does.
     *
     * @throws IllegalArgumentException if {@code grace} is negative
     */
    public void shutdown(Event finalEvent, Duration grace) {
        shutdownStreams(SerializedEvent.of(Objects.requireNonNull(finalEvent, "finalEvent")), grace);
    }

    private void shutdownStreams(@Nullable SerializedEvent last, Duration grace) {
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative: " + grace);
        }
        shutDown = true;
        byte[] lastBytes = last == null ? null : last.bytes();
        for (StreamEngine<EventStream> engine : List.copyOf(open)) {
            engine.closeGracefully(lastBytes, CloseReason.SHUTDOWN);
        }
        awaitLifecycle(open::isEmpty, System.nanoTime() + saturatedNanos(grace));
        for (StreamEngine<EventStream> engine : List.copyOf(open)) {
            engine.closeNow(CloseReason.SHUTDOWN, true);
        }
        awaitCloseHandlers();
        if (!writers.shutdown(WRITERS_END_WAIT)) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "a writer thread still runs " + WRITERS_END_WAIT.toSeconds() + " s after shutdown; a"
                            + " close handler or feed source that blocks keeps it");
        }
        ScheduledExecutorService own = null;
        synchronized (lifecycle) {
            if (heartbeatTask != null) {
                heartbeatTask.cancel(false);
            }
            if (scheduler != null && config.scheduler().isEmpty()) {
                own = scheduler;
                own.shutdownNow();
            }
        }
        if (own != null) {
            // Containers check for threads a web application left running as it stops; let ours end
            // first. Its tasks are short, so this is brief.
            try {
                own.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Waits, up to {@link #WRITERS_END_WAIT}, until no other thread runs a close handler: a stream
     * that a client or the container ended just before shutdown leaves the open set before its
     * handlers run, on the thread that ended it.
     */
    private void awaitCloseHandlers() {
        Thread self = Thread.currentThread();
        awaitLifecycle(() -> !closingElsewhere(self), System.nanoTime() + WRITERS_END_WAIT.toNanos());
        if (closingElsewhere(self)) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "a close handler still runs " + WRITERS_END_WAIT.toSeconds() + " s after shutdown began: "
                            + closing.keySet());
        }
    }

    /**
     * Waits until {@code done} holds or {@code deadlineNanos} (a {@link System#nanoTime()} value) has
     * passed; the streams' owner notifies {@code lifecycle} as streams end during shutdown. An
     * interrupt ends the wait, and stays set.
     */
    private void awaitLifecycle(BooleanSupplier done, long deadlineNanos) {
        synchronized (lifecycle) {
            long left;
            while (!done.getAsBoolean() && (left = deadlineNanos - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(lifecycle, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private boolean closingElsewhere(Thread self) {
        return closing.size() > (closing.containsKey(self) ? 1 : 0);
    }

    @Override
    public String toString() {
        return "EventStreams{open=" + open.size() + (shutDown ? ", shut down}" : "}");
    }

    private void startScheduler() {
        if (started) {
            return;
        }
        synchronized (lifecycle) {
            if (started) {
                return;
            }
            scheduler = config.scheduler().orElseGet(DaemonScheduler::create);
            long interval = config.heartbeatInterval().toMillis();
            if (interval > 0) {
                heartbeatTask =
                        scheduler.scheduleAtFixedRate(this::heartbeat, interval, interval, TimeUnit.MILLISECONDS);
            }
            started = true;
        }
    }

    private void heartbeat() {
        for (StreamEngine<EventStream> engine : open) {
            try {
                engine.heartbeat();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "heartbeat to " + engine.stream() + " failed", e);
            }
        }
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLarge) {
            return Long.MAX_VALUE / 2;
        }
    }

    /** Hears from the streams' engines; the only way calls come back from them. */
    private final class Owner implements StreamOwner<EventStream> {
        @Override
        public void closed(StreamEngine<EventStream> stream, CloseReason reason) {
            closing.merge(Thread.currentThread(), 1, Integer::sum);
            boolean removed;
            synchronized (ended) {
                removed = open.remove(stream);
                if (removed) {
                    stream.addCountsTo(ended);
                    closedByReason.merge(reason, 1L, Long::sum);
                }
            }
            if (removed && shutDown) {
                synchronized (lifecycle) {
                    lifecycle.notifyAll();
                }
            }
        }

        @Override
        public void closeHandlersRan(StreamEngine<EventStream> stream) {
            closing.computeIfPresent(Thread.currentThread(), (thread, count) -> count == 1 ? null : count - 1);
            if (shutDown) {
                synchronized (lifecycle) {
                    lifecycle.notifyAll();
                }
            }
        }

        @Override
        public void slowConsumer(StreamEngine<EventStream> stream, SlowConsumerPolicy policy) {
            slowConsumers.incrementAndGet();
            try {
                config.slowConsumerHandler().onSlowConsumer(stream.stream(), policy);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "slow-consumer handler failed", e);
            }
        }

        @Override
        public @Nullable ScheduledFuture<?> scheduleCloseTimeout(Runnable cut) {
            ScheduledExecutorService s;
            synchronized (lifecycle) {
                s = scheduler;
            }
            if (s != null) {
                try {
                    return s.schedule(cut, config.closeTimeout().toMillis(), TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException stopped) {
                    // fall through: nothing can time the close, so cut it now
                }
            }
            cut.run();
            return null;
        }
    }
}
