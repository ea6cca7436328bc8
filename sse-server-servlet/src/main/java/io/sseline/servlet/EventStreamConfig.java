package io.sseline.servlet;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Options shared by the streams of one {@link EventStreams}: queue bound, slow-consumer policy,
 * heartbeat, timeouts and the scheduler. Immutable and thread-safe; build one with {@link
 * #builder()}.
 *
 * <pre>{@code
 * EventStreamConfig config = EventStreamConfig.builder()
 *         .maxQueuedBytes(512 * 1024)
 *         .slowConsumerPolicy(SlowConsumerPolicy.DISCONNECT)
 *         .heartbeatInterval(Duration.ofSeconds(20))
 *         .build();
 * EventStreams streams = EventStreams.create(config);
 * }</pre>
 */
public final class EventStreamConfig {
    /** The default for {@link Builder#maxQueuedBytes(int)}: 256 KiB. */
    public static final int DEFAULT_MAX_QUEUED_BYTES = 256 * 1024;
    /** The default for {@link Builder#heartbeatInterval(Duration)}: 15 seconds. */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(15);
    /** The default for {@link Builder#closeTimeout(Duration)}: 5 seconds. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private static final SlowConsumerHandler IGNORE_SLOW_CONSUMER = (stream, policy) -> {};

    private final int maxQueuedBytes;
    private final SlowConsumerPolicy slowConsumerPolicy;
    private final SlowConsumerHandler slowConsumerHandler;
    private final Duration heartbeatInterval;
    private final Duration asyncTimeout;
    private final Duration closeTimeout;
    private final Optional<ScheduledExecutorService> scheduler;
    private final Optional<Executor> feedExecutor;
    private final Optional<String> lastEventIdParameter;

    private EventStreamConfig(Builder b) {
        this.maxQueuedBytes = b.maxQueuedBytes;
        this.slowConsumerPolicy = b.slowConsumerPolicy;
        this.slowConsumerHandler = b.slowConsumerHandler;
        this.heartbeatInterval = b.heartbeatInterval;
        this.asyncTimeout = b.asyncTimeout;
        this.closeTimeout = b.closeTimeout;
        this.scheduler = b.scheduler;
        this.feedExecutor = b.feedExecutor;
        this.lastEventIdParameter = b.lastEventIdParameter;
    }

    /** Returns a builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the configuration with every default. */
    public static EventStreamConfig defaults() {
        return builder().build();
    }

    /** The most bytes one stream queues for a client that has not read them yet. */
    public int maxQueuedBytes() {
        return maxQueuedBytes;
    }

    /** What happens when a stream's queue would exceed {@link #maxQueuedBytes()}. */
    public SlowConsumerPolicy slowConsumerPolicy() {
        return slowConsumerPolicy;
    }

    /** Called each time the slow-consumer policy applies. */
    public SlowConsumerHandler slowConsumerHandler() {
        return slowConsumerHandler;
    }

    /** How often an idle stream gets a heartbeat comment; {@link Duration#ZERO} when disabled. */
    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    /** The container's asynchronous timeout for each stream; {@link Duration#ZERO} for none. */
    public Duration asyncTimeout() {
        return asyncTimeout;
    }

    /** How long a closing stream may take to send what it still has queued. */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /** The scheduler for heartbeats and close timeouts, when the application supplies one. */
    public Optional<ScheduledExecutorService> scheduler() {
        return scheduler;
    }

    /**
     * The executor that pulls the events of {@link EventStream#feed(java.util.stream.Stream,
     * FeedOptions) iterator and stream feeds}, when the application supplies one.
     */
    public Optional<Executor> feedExecutor() {
        return feedExecutor;
    }

    /**
     * The query parameter read as the {@code Last-Event-ID} of a request without that header, when
     * the fallback is on.
     */
    public Optional<String> lastEventIdParameter() {
        return lastEventIdParameter;
    }

    /** Returns a builder that starts from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxQueuedBytes = maxQueuedBytes;
        b.slowConsumerPolicy = slowConsumerPolicy;
        b.slowConsumerHandler = slowConsumerHandler;
        b.heartbeatInterval = heartbeatInterval;
        b.asyncTimeout = asyncTimeout;
        b.closeTimeout = closeTimeout;
        b.scheduler = scheduler;
        b.feedExecutor = feedExecutor;
        b.lastEventIdParameter = lastEventIdParameter;
        return b;
    }

    /**
     * Builds an {@link EventStreamConfig}. Not thread-safe; the configuration it builds is.
     *
     * <pre>{@code
     * EventStreamConfig config = EventStreamConfig.builder().heartbeatInterval(Duration.ofSeconds(30)).build();
     * }</pre>
     */
    public static final class Builder {
        private int maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES;
        private SlowConsumerPolicy slowConsumerPolicy = SlowConsumerPolicy.DISCONNECT;
        private SlowConsumerHandler slowConsumerHandler = IGNORE_SLOW_CONSUMER;
        private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
        private Duration asyncTimeout = Duration.ZERO;
        private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
        private Optional<ScheduledExecutorService> scheduler = Optional.empty();
        private Optional<Executor> feedExecutor = Optional.empty();
        private Optional<String> lastEventIdParameter = Optional.empty();

        private Builder() {}

        /**
         * The most bytes one stream holds for a client that has not read them yet; past it, the {@link
         * #slowConsumerPolicy(SlowConsumerPolicy) slow-consumer policy} applies. An event larger than
         * this is queued only when the queue is empty (so that it can be sent at all), and the queue
         * then holds that one event. Default 256 KiB.
         *
         * @throws IllegalArgumentException if {@code bytes} is not positive
         */
        public Builder maxQueuedBytes(int bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxQueuedBytes must be positive: " + bytes);
            }
            this.maxQueuedBytes = bytes;
            return this;
        }

        /** What happens to a client that reads too slowly. Default {@link SlowConsumerPolicy#DISCONNECT}. */
        public Builder slowConsumerPolicy(SlowConsumerPolicy policy) {
            this.slowConsumerPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Called each time the slow-consumer policy applies. Default: nothing. */
        public Builder slowConsumerHandler(SlowConsumerHandler handler) {
            this.slowConsumerHandler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * How often a stream that sent nothing during the last interval gets an empty comment, which
         * keeps proxies from closing the idle connection and reveals clients that have gone away: the
         * first heartbeat after a client closed its connection draws a reset from the client's host,
         * and the next one fails, so an idle stream notices within about two intervals (a busy one at
         * its next writes). {@link Duration#ZERO} disables heartbeats. Default 15 seconds.
         *
         * @throws IllegalArgumentException if {@code interval} is negative, or positive but shorter than
         *     one millisecond
         */
        public Builder heartbeatInterval(Duration interval) {
            this.heartbeatInterval = requireMillisOrZero("heartbeatInterval", interval);
            return this;
        }

        /**
         * The container's asynchronous timeout: a stream still open after this long is closed with
         * {@link CloseReason#TIMEOUT}. {@link Duration#ZERO}, the default, means none: event streams
         * are meant to stay open.
         *
         * @throws IllegalArgumentException if {@code timeout} is negative, or positive but shorter than
         *     one millisecond
         */
        public Builder asyncTimeout(Duration timeout) {
            this.asyncTimeout = requireMillisOrZero("asyncTimeout", timeout);
            return this;
        }

        /**
         * How long {@link EventStream#close()} waits for the client to read what is still queued before
         * it cuts the connection. Default 5 seconds.
         *
         * @throws IllegalArgumentException if {@code timeout} is negative
         */
        public Builder closeTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("closeTimeout must not be negative: " + timeout);
            }
            this.closeTimeout = timeout;
            return this;
        }

        /**
         * The scheduler that runs heartbeats and close timeouts. By default each {@link EventStreams}
         * starts one daemon thread when its first stream opens, and stops it on {@link
         * EventStreams#shutdown}; pass a scheduler to share one thread between several, or to manage its
         * life yourself (it is then never shut down by this library). Tasks on it are short.
         */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Optional.of(Objects.requireNonNull(scheduler, "scheduler"));
            return this;
        }

        /**
         * The executor that pulls the events of iterator and stream feeds ({@link
         * EventStream#feed(java.util.stream.Stream, FeedOptions)}); a pulling task may block in the
         * source, and ends whenever the stream's queue is full. By default a virtual thread per task on
         * JDK 21 and later, and on JDK 17 one pool shared by the application, of at most 16 daemon
         * threads ({@code sseline-feed-N}) that end after a minute idle, where feeds beyond 16 that
         * block at once wait their turn: give a larger executor if many sources block on JDK 17. An
         * executor that refuses a task closes the stream and its source (the refusal is logged).
         *
         * <pre>{@code
         * EventStreamConfig config = EventStreamConfig.builder()
         *         .feedExecutor(Executors.newFixedThreadPool(64))   // 64 sources that block at once, on JDK 17
         *         .build();
         * }</pre>
         */
        public Builder feedExecutor(Executor executor) {
            this.feedExecutor = Optional.of(Objects.requireNonNull(executor, "feedExecutor"));
            return this;
        }

        /**
         * Turns on the query-parameter fallback for {@code Last-Event-ID}: a request that has no
         * {@code Last-Event-ID} header resumes from the value of the query parameter {@code name}
         * (for example {@code lastEventId}, as in {@code /events?lastEventId=42}). A browser's {@code
         * EventSource} cannot set headers, so a page that opens a stream where an earlier one left off
         * puts the id in the URL; the browser's own reconnections send the header, which wins when
         * both are present. Only the query string is read, never a request body. The value is
         * percent-decoded as UTF-8; a value that is not valid, or that holds CR, LF or NUL (which no
         * event id can), is ignored. Off by default.
         *
         * <pre>{@code
         * EventStreamConfig config = EventStreamConfig.builder().lastEventIdParameter("lastEventId").build();
         * }</pre>
         *
         * @throws IllegalArgumentException if {@code name} is empty
         */
        public Builder lastEventIdParameter(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("lastEventIdParameter must not be empty");
            }
            this.lastEventIdParameter = Optional.of(name);
            return this;
        }

        /** Returns the configuration. */
        public EventStreamConfig build() {
            return new EventStreamConfig(this);
        }

        private static Duration requireMillisOrZero(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || (!d.isZero() && d.compareTo(Duration.ofMillis(1)) < 0)) {
                throw new IllegalArgumentException(name + " must be zero (none) or at least one millisecond: " + d);
            }
            return d;
        }
    }
}
