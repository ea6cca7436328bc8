package io.sseline.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.sseline.core.Event;
import io.sseline.redis.internal.Entries;
import io.sseline.redis.internal.Epochs;
import io.sseline.redis.internal.LogId;
import io.sseline.redis.internal.LogState;
import io.sseline.redis.internal.Scripts;
import io.sseline.redis.internal.StreamId;
import io.sseline.redis.internal.Tail;
import io.sseline.servlet.hub.spi.Backplane;
import io.sseline.servlet.hub.spi.BackplaneEntry;
import io.sseline.servlet.hub.spi.BackplaneHistory;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Backplane} on one Redis stream, so that several server nodes share an {@link
 * io.sseline.servlet.hub.EventHub}'s channels, history and {@code Last-Event-ID} replay: an event
 * published on any node reaches the subscribers of every node, and a client that reconnects to
 * another node resumes exactly where it left off.
 *
 * <pre>{@code
 * RedisBackplane backplane = RedisBackplane.builder()
 *         .uri("redis://127.0.0.1:6379")
 *         .streamKey("chat:events")          // the same key on every node
 *         .maxEntries(50_000)                // history kept for replay (XADD MAXLEN ~)
 *         .build();
 * EventHub hub = EventHub.builder().backplane(backplane).build();
 * }</pre>
 *
 * <p><b>How.</b> Publishing is one {@code XADD} (with {@code MAXLEN ~}) to the stream, in a Lua
 * script that also reads the stream's epoch; the event id is {@code <epoch>-<stream entry id>}.
 * Each node tails the stream with one blocking {@code XREAD} loop, on a connection and a daemon
 * thread of its own, and passes entries to the hub in stream order. A replay is an {@code XRANGE}
 * after the client's entry id, filtered by channel, read in pages; the latest entries of a channel
 * ({@link #readLatest}) are read back from the end with {@code XREVRANGE}, in pages too. Publishing
 * and reads share one pipelined connection.
 *
 * <p><b>Epochs.</b> The epoch lives in the key {@code <streamKey>:epoch}, created by the first
 * script that finds it missing. When Redis loses its data (a restart without persistence, a
 * flush), the next script creates a new epoch: ids from before are then answered with the gap
 * signal rather than with a replay of a different stream. Epochs are ordered by the order in which
 * this node saw them.
 *
 * <p><b>Gaps.</b> {@link #readAfter} answers with a gap when the id is malformed, from another
 * epoch, later than the end of the stream, or when entries were removed from the stream (trimmed by
 * {@code MAXLEN ~}, {@link Builder#maxAge}, or deleted) and the client's own entry is gone. This is
 * exact for the whole log, not per channel: a client of a quiet channel whose last entry was trimmed
 * hears of a gap even if no entry of its channels was.
 *
 * <p><b>Failures.</b> {@link #publish} completes exceptionally with a {@link
 * RedisBackplaneException} at once while Redis is unreachable, or after {@link
 * Builder#commandTimeout} if Redis does not answer: an event is never dropped silently. The tail
 * reconnects with a doubling delay ({@link Builder#reconnectDelay}) and reads on after the last entry
 * it delivered, so entries appended during an outage are delivered after it. Entries that Redis
 * itself lost (a restart without persistence) or trimmed before this node could read them cannot be
 * delivered; this is logged as a warning.
 *
 * <p>Needs Redis 6.2 or later ({@code XRANGE} with an exclusive start, {@code XTRIM MINID}); Redis 7
 * tells whether a stream was ever trimmed, which spares clients needless gaps. Thread-safe; futures
 * complete on Lettuce's I/O threads; the entry handler runs on the tail thread.
 */
public final class RedisBackplane implements Backplane {
    /** The default for {@link Builder#maxEntries(int)}. */
    public static final int DEFAULT_MAX_ENTRIES = 10_000;

    /** The default for {@link Builder#streamKey(String)}. */
    public static final String DEFAULT_STREAM_KEY = "sseline:events";

    private static final int PAGE = 1000;
    private static final Duration BLOCK = Duration.ofSeconds(2);

    private final String redisName;
    private final String streamKey;
    private final String[] keys;
    private final int maxEntries;
    private final Duration maxAge;
    private final Duration commandTimeout;
    private final Tail.Settings tailSettings;
    private final @Nullable ClientResources ownResources;
    private final RedisClient publishClient;
    private final RedisClient tailClient;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisAsyncCommands<String, String> redis;
    private final Epochs epochs = new Epochs();
    private final SecureRandom random = new SecureRandom();

    // Guarded by this.
    private @Nullable Tail tail;
    private volatile boolean closed;

    private RedisBackplane(Builder b, RedisURI uri) {
        this.redisName = uri.getHost() != null
                ? uri.getHost() + ":" + uri.getPort()
                : "the Sentinel master " + uri.getSentinelMasterId();
        this.streamKey = b.streamKey;
        this.keys = new String[] {b.streamKey, b.streamKey + ":epoch"};
        this.maxEntries = b.maxEntries;
        this.maxAge = b.maxAge;
        this.commandTimeout = b.commandTimeout;
        this.tailSettings = new Tail.Settings(keys[0], keys[1], BLOCK, PAGE, b.commandTimeout, b.minDelay, b.maxDelay);
        ClientResources resources = b.resources;
        this.ownResources = resources == null ? DefaultClientResources.create() : null;
        ClientResources shared = resources != null ? resources : Objects.requireNonNull(ownResources);
        SocketOptions socket = SocketOptions.builder()
                .connectTimeout(b.commandTimeout)
                .tcpNoDelay(true)
                .build();
        uri.setTimeout(b.commandTimeout);
        this.publishClient = RedisClient.create(shared, uri);
        publishClient.setOptions(ClientOptions.builder()
                .socketOptions(socket)
                .autoReconnect(true)
                // While disconnected, fail commands at once rather than queue them: a publisher learns
                // that its event did not go out.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(b.commandTimeout))
                .build());
        // The tail reconnects by itself, so that it checks the epoch before it reads on.
        this.tailClient = RedisClient.create(shared, uri);
        tailClient.setOptions(ClientOptions.builder()
                .socketOptions(socket)
                .autoReconnect(false)
                .build());
        try {
            this.connection = publishClient.connect();
        } catch (RuntimeException e) {
            shutdown();
            throw new IllegalStateException(
                    "cannot connect to Redis at " + redisName + " for the stream " + streamKey + ": " + e
                            + "; start Redis or fix the uri",
                    e);
        }
        this.redis = connection.async();
    }

    /** Returns a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads where the stream ends (waiting up to the command timeout) and starts the tail loop from
     * there: every entry appended after this method returns reaches {@code handler}.
     *
     * @throws IllegalStateException if already started or closed, or if Redis did not answer
     */
    @Override
    public void start(EntryHandler handler) {
        Objects.requireNonNull(handler, "handler");
        synchronized (this) {
            if (tail != null) {
                throw new IllegalStateException("backplane already started; one backplane serves one hub");
            }
            if (closed) {
                throw new IllegalStateException("backplane is closed");
            }
            LogState state;
            try {
                state = LogState.of(Scripts.READ
                        .run(redis, keys, candidateEpoch(), "", "1")
                        .toCompletableFuture()
                        .get(commandTimeout.toMillis(), TimeUnit.MILLISECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading the Redis stream " + streamKey, e);
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                throw new IllegalStateException(
                        "cannot read where the Redis stream " + streamKey + " at " + redisName + " ends: " + e
                                + "; start Redis, or raise commandTimeout",
                        e);
            }
            epochs.saw(state.epoch());
            Tail t = new Tail(tailClient, tailSettings, state.head(), this::candidateEpoch, epochs, handler);
            tail = t;
            t.start();
        }
    }

    /**
     * Appends {@code event} to the stream under {@code channel}. Completes with the event id, or
     * exceptionally with a {@link java.util.concurrent.CompletionException} whose cause is a {@link
     * RedisBackplaneException} if Redis is unreachable or does not answer in time, or with an {@link
     * IllegalStateException} if the backplane is closed.
     *
     * @throws IllegalArgumentException if {@code event} carries an id
     */
    @Override
    public CompletionStage<String> publish(String channel, Event event) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(event, "event");
        if (!event.id().isEmpty()) {
            throw new IllegalArgumentException("event must not carry an id, the stream assigns it: " + event);
        }
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("backplane is closed"));
        }
        CompletionStage<List<Object>> reply;
        try {
            reply = Scripts.PUBLISH.run(
                    redis,
                    keys,
                    candidateEpoch(),
                    Integer.toString(maxEntries),
                    Long.toString(maxAge.toMillis()),
                    channel,
                    event.type(),
                    event.data(),
                    Entries.retryField(event));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new CompletionException(failure("append to", e)));
        }
        return reply.handle((r, e) -> {
                    if (e != null) {
                        throw new CompletionException(failure("append to", e));
                    }
                    if (r.size() != 2 || !(r.get(0) instanceof String epoch) || !(r.get(1) instanceof String id)) {
                        throw new CompletionException(
                                failure("append to", new IllegalStateException("unexpected answer " + r)));
                    }
                    epochs.saw(epoch);
                    return epoch + "-" + id;
                })
                .toCompletableFuture();
    }

    @Override
    public CompletionStage<BackplaneHistory> readAfter(String afterId, Set<String> channels) {
        Objects.requireNonNull(afterId, "afterId");
        Objects.requireNonNull(channels, "channels");
        LogId after = afterId.isEmpty() ? null : LogId.parse(afterId);
        return read(() -> {
            if (after == null) {
                boolean gap = !afterId.isEmpty(); // malformed
                return Scripts.READ.run(redis, keys, candidateEpoch(), "", "1").thenApply(reply -> {
                    LogState state = LogState.of(reply);
                    epochs.saw(state.epoch());
                    String head = state.head().toString();
                    return gap ? BackplaneHistory.gap(head) : BackplaneHistory.exact(List.of(), head);
                });
            }
            return readPage(after, after, Set.copyOf(channels), new ArrayList<>());
        });
    }

    /**
     * Reads the latest entries with {@code XREVRANGE}, a page at a time from the end of the stream
     * back, until {@code limit} entries of {@code channels} are found or the start is reached. The
     * head is the last entry when the first page was read, in the same script, so entries appended
     * while earlier pages are read come live, after it.
     */
    @Override
    public CompletionStage<BackplaneHistory> readLatest(Set<String> channels, int limit) {
        Objects.requireNonNull(channels, "channels");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
        return read(() -> readBack(null, "+", Set.copyOf(channels), limit, new ArrayList<>()));
    }

    /**
     * Runs a read unless the backplane is closed; a failure, at once or later, completes the answer
     * with a {@link RedisBackplaneException}.
     */
    private CompletionStage<BackplaneHistory> read(Supplier<CompletionStage<BackplaneHistory>> read) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("backplane is closed"));
        }
        CompletionStage<BackplaneHistory> history;
        try {
            history = read.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new CompletionException(failure("read", e)));
        }
        return history.handle((h, e) -> {
                    if (e != null) {
                        throw new CompletionException(failure("read", e));
                    }
                    return h;
                })
                .toCompletableFuture();
    }

    /**
     * Reads the page before {@code cursor} ({@code "+"}: the newest), and earlier ones while fewer than
     * {@code limit} entries of {@code channels} are found; {@code first} is the state the first page
     * was read with.
     */
    private CompletionStage<BackplaneHistory> readBack(
            @Nullable LogState first,
            String cursor,
            Set<String> channels,
            int limit,
            List<BackplaneEntry> newestFirst) {
        return Scripts.READ
                .run(redis, keys, candidateEpoch(), cursor, Integer.toString(PAGE), "back")
                .thenCompose(reply -> {
                    LogState state = LogState.of(reply);
                    epochs.saw(state.epoch());
                    LogState top = first != null ? first : state;
                    if (!state.epoch().equals(top.epoch())) {
                        return done(latest(newestFirst, top)); // the stream was lost since the first page
                    }
                    String next = cursor;
                    for (Object item : state.page()) {
                        BackplaneEntry entry = Entries.fromScript(state.epoch(), item);
                        if (entry != null && channels.contains(entry.channel())) {
                            newestFirst.add(entry);
                            if (newestFirst.size() == limit) {
                                return done(latest(newestFirst, top));
                            }
                        }
                        next = streamIdOf(item);
                    }
                    if (state.page().size() < PAGE) {
                        return done(latest(newestFirst, top)); // the start of the stream
                    }
                    return readBack(top, next, channels, limit, newestFirst);
                });
    }

    private static BackplaneHistory latest(List<BackplaneEntry> newestFirst, LogState top) {
        List<BackplaneEntry> inLogOrder = new ArrayList<>(newestFirst);
        Collections.reverse(inLogOrder);
        return BackplaneHistory.exact(inLogOrder, top.head().toString());
    }

    /** Reads the page after {@code cursor}, and the next ones while pages are full. */
    private CompletionStage<BackplaneHistory> readPage(
            LogId after, LogId cursor, Set<String> channels, List<BackplaneEntry> found) {
        return Scripts.READ
                .run(redis, keys, candidateEpoch(), cursor.streamId(), Integer.toString(PAGE))
                .thenCompose(reply -> {
                    LogState state = LogState.of(reply);
                    epochs.saw(state.epoch());
                    LogId head = state.head();
                    if (!state.epoch().equals(after.epoch())) {
                        return done(BackplaneHistory.gap(head.toString())); // the stream was lost since
                    }
                    if (cursor.compareEntry(head) > 0) {
                        return done(BackplaneHistory.gap(head.toString())); // not an entry this stream has
                    }
                    StreamId first = state.first().isEmpty() ? null : StreamId.parse(state.first());
                    if (state.removed() && first != null && cursor.compareEntry(first) < 0) {
                        return done(BackplaneHistory.gap(head.toString())); // entries after it may be trimmed
                    }
                    LogId next = cursor;
                    for (Object item : state.page()) {
                        BackplaneEntry entry = Entries.fromScript(state.epoch(), item);
                        if (entry != null && channels.contains(entry.channel())) {
                            found.add(entry);
                        }
                        next = Objects.requireNonNull(LogId.of(state.epoch(), streamIdOf(item)));
                    }
                    if (state.page().size() < PAGE) {
                        return done(BackplaneHistory.exact(found, head.toString()));
                    }
                    return readPage(after, next, channels, found);
                });
    }

    /**
     * Orders two ids of this log: by epoch, in the order this node saw the epochs, then by stream
     * entry id.
     *
     * @throws IllegalArgumentException if an id is malformed or of an epoch this node never saw
     */
    @Override
    public int compare(String a, String b) {
        LogId x = requireId(a);
        LogId y = requireId(b);
        if (!x.epoch().equals(y.epoch())) {
            return Integer.compare(epochs.order(x.epoch()), epochs.order(y.epoch()));
        }
        return x.compareEntry(y);
    }

    /**
     * How far behind the Redis stream this node's delivery is: how late the tail loop delivered the
     * last entry (this node's clock at delivery less Redis's clock when the entry was appended), or
     * zero once a read found nothing more to deliver; while the tail's connection is lost, at least
     * the time since it was lost. Zero before {@link #start}. A skew between this node's clock and
     * Redis's shows in the lag of delivered entries.
     *
     * <pre>{@code
     * if (backplane.tailLag().compareTo(Duration.ofSeconds(5)) > 0) {
     *     log.warning("this node hears of events late: " + backplane.tailLag());
     * }
     * }</pre>
     */
    public Duration tailLag() {
        Tail t;
        synchronized (this) {
            t = tail;
        }
        return t == null ? Duration.ZERO : Duration.ofMillis(t.lagMillis());
    }

    /**
     * How many times the tail loop lost its connection to Redis (Redis restarted or unreachable, a
     * read timed out) and connected again, or is waiting to. Zero before {@link #start}.
     */
    public long tailReconnectCount() {
        Tail t;
        synchronized (this) {
            t = tail;
        }
        return t == null ? 0 : t.reconnectCount();
    }

    /** Stops the tail loop, closes the connections and releases the client. Idempotent. */
    @Override
    public void close() {
        Tail t;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            t = tail;
        }
        if (t != null) {
            t.close();
        }
        connection.close();
        shutdown();
    }

    @Override
    public String toString() {
        return "RedisBackplane{" + redisName + ", stream=" + streamKey + ", maxEntries=" + maxEntries + "}";
    }

    private void shutdown() {
        publishClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        tailClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        if (ownResources != null) {
            // Lets the event loops finish in the background: their threads are daemons.
            Object unused = ownResources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    private LogId requireId(String id) {
        Objects.requireNonNull(id, "id");
        LogId parsed = LogId.parse(id);
        if (parsed == null || epochs.order(parsed.epoch()) < 0) {
            throw new IllegalArgumentException("not an id of the Redis stream " + streamKey + ": \"" + id + "\"");
        }
        return parsed;
    }

    private RedisBackplaneException failure(String operation, Throwable e) {
        Throwable cause = e;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof RedisBackplaneException r) {
            return r;
        }
        return new RedisBackplaneException(operation, streamKey, redisName, cause);
    }

    private String candidateEpoch() {
        return Long.toString(random.nextLong() >>> 1, 36);
    }

    private static String streamIdOf(Object item) {
        if (item instanceof List<?> pair && !pair.isEmpty() && pair.get(0) instanceof String id) {
            return id;
        }
        throw new IllegalStateException("unexpected stream entry from Redis: " + item);
    }

    private static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    /**
     * Builds a {@link RedisBackplane}. Not thread-safe.
     *
     * <pre>{@code
     * RedisBackplane backplane = RedisBackplane.builder()
     *         .uri("redis://redis.internal:6379/0")
     *         .maxAge(Duration.ofMinutes(10))
     *         .commandTimeout(Duration.ofSeconds(2))
     *         .build();
     * }</pre>
     */
    public static final class Builder {
        private @Nullable String uri;
        private String streamKey = DEFAULT_STREAM_KEY;
        private int maxEntries = DEFAULT_MAX_ENTRIES;
        private Duration maxAge = Duration.ZERO;
        private Duration commandTimeout = Duration.ofSeconds(5);
        private Duration minDelay = Duration.ofMillis(100);
        private Duration maxDelay = Duration.ofSeconds(5);
        private @Nullable ClientResources resources;

        private Builder() {}

        /**
         * The Redis server, as a Redis URI such as {@code redis://host:6379}, {@code
         * redis://:password@host:6379/2} or {@code rediss://host:6380} for TLS. Required.
         */
        public Builder uri(String uri) {
            Objects.requireNonNull(uri, "uri");
            try {
                RedisURI.create(uri);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "uri is not a Redis URI (like redis://127.0.0.1:6379): \"" + uri + "\": " + e.getMessage(), e);
            }
            this.uri = uri;
            return this;
        }

        /**
         * The key of the stream; every node of one hub uses the same. The epoch is kept in {@code
         * <key>:epoch}. Default {@value RedisBackplane#DEFAULT_STREAM_KEY}.
         *
         * @throws IllegalArgumentException if {@code key} is empty
         */
        public Builder streamKey(String key) {
            Objects.requireNonNull(key, "key");
            if (key.isEmpty()) {
                throw new IllegalArgumentException("streamKey must not be empty");
            }
            this.streamKey = key;
            return this;
        }

        /**
         * About how many entries the stream keeps for replay, over all channels ({@code XADD MAXLEN ~}:
         * Redis trims in whole blocks, so a few more may stay). Default 10,000.
         *
         * @throws IllegalArgumentException if {@code entries} is less than 1
         */
        public Builder maxEntries(int entries) {
            if (entries < 1) {
                throw new IllegalArgumentException("maxEntries must be at least 1: " + entries);
            }
            this.maxEntries = entries;
            return this;
        }

        /**
         * How long entries stay available for replay, at least: each publish trims older ones ({@code
         * XTRIM MINID ~}). {@link Duration#ZERO}, the default, means no age limit.
         *
         * @throws IllegalArgumentException if {@code age} is negative
         */
        public Builder maxAge(Duration age) {
            Objects.requireNonNull(age, "age");
            if (age.isNegative()) {
                throw new IllegalArgumentException("maxAge must not be negative: " + age);
            }
            this.maxAge = age;
            return this;
        }

        /**
         * How long a command may wait for Redis before it fails; also the connect timeout. Default 5
         * seconds.
         *
         * @throws IllegalArgumentException if {@code timeout} is not positive
         */
        public Builder commandTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("commandTimeout must be positive: " + timeout);
            }
            this.commandTimeout = timeout;
            return this;
        }

        /**
         * The delay before the tail's first reconnect attempt, doubled after each failed one up to
         * {@code max}. Default 100 ms to 5 s.
         *
         * @throws IllegalArgumentException if {@code min} is not positive or {@code max} is less than it
         */
        public Builder reconnectDelay(Duration min, Duration max) {
            Objects.requireNonNull(min, "min");
            Objects.requireNonNull(max, "max");
            if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
                throw new IllegalArgumentException("reconnectDelay needs 0 < min <= max: min " + min + ", max " + max);
            }
            this.minDelay = min;
            this.maxDelay = max;
            return this;
        }

        /**
         * Lettuce's client resources (event loops, timers) to share, for example among several
         * backplanes of one process; the backplane does not shut them down. Default: resources of
         * its own, shut down by {@link RedisBackplane#close}.
         */
        public Builder clientResources(ClientResources resources) {
            this.resources = Objects.requireNonNull(resources, "resources");
            return this;
        }

        /**
         * Connects to Redis and returns the backplane, not yet tailing the stream ({@link
         * io.sseline.servlet.hub.EventHub.Builder#build} starts it).
         *
         * @throws IllegalStateException if no {@link #uri} was given, or Redis cannot be reached
         */
        public RedisBackplane build() {
            String u = uri;
            if (u == null) {
                throw new IllegalStateException("no Redis uri; set one with uri(\"redis://host:6379\")");
            }
            return new RedisBackplane(this, RedisURI.create(u));
        }
    }
}
