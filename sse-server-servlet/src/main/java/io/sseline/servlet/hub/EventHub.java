package io.sseline.servlet.hub;

import io.sseline.core.Event;
import io.sseline.core.EventCodec;
import io.sseline.servlet.EventStream;
import io.sseline.servlet.SerializedEvent;
import io.sseline.servlet.hub.spi.Backplane;
import io.sseline.servlet.hub.spi.BackplaneEntry;
import io.sseline.servlet.hub.spi.BackplaneHistory;
import io.sseline.servlet.internal.InMemoryBackplane;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * A broadcast hub of named channels: publish an event to a channel, and every stream subscribed to
 * it receives the event; a client that reconnects with {@code Last-Event-ID} first receives exactly
 * what it missed.
 *
 * <pre>{@code
 * EventHub hub = EventHub.create();
 *
 * // in EventStreamServlet.onOpen(stream, request):
 * hub.subscribe(stream, List.of("chat", "presence"),
 *         (s, lastEventId) -> s.send(Event.of(roster.toJson()).withType("snapshot")));
 *
 * // anywhere:
 * hub.publish("chat", Event.of("{\"from\":\"ann\",\"text\":\"hi\"}").withType("message"));
 * }</pre>
 *
 * <p><b>Ids.</b> The hub gives every event the id of its position in the {@link Backplane}'s log,
 * which is one log for all channels: a client subscribed to several channels resumes from its one
 * {@code Last-Event-ID}. Publish events without an id; the hub refuses events that carry one, since
 * such an id could not be resumed from.
 *
 * <p><b>Fan-out.</b> Each event is serialized once per node and the same bytes are queued on every
 * subscribed stream; a stream that cannot keep up is handled by its {@link
 * io.sseline.servlet.SlowConsumerPolicy} and never delays the others.
 *
 * <p><b>Replay.</b> See {@link Subscription} for the seam between replay and live delivery and
 * {@link HistoryGapHandler} for what happens when the history cannot resume a client. A new client
 * starts with live events, or with the latest events of its channels if the hub {@link
 * Builder#rewind rewinds}; {@link #history} reads those latest events for the application.
 *
 * <p><b>Counters.</b> {@link #subscriptionCount()}, {@link #entryCount()}, {@link
 * #replayCount(Replay.Outcome)}, {@link #replayedEventCount()} and {@link #replayFailedCount()}
 * describe this node's hub for a metrics system (the {@code sse-micrometer} module binds them); none
 * costs anything per subscriber of an event.
 *
 * <pre>{@code
 * long gaps = hub.replayCount(Replay.Outcome.GAP);
 * }</pre>
 *
 * <p>Thread-safe. Closing the hub closes its backplane and cancels every subscription; the streams
 * themselves stay open (close them with {@link io.sseline.servlet.EventStreams#shutdown}).
 */
public final class EventHub implements AutoCloseable {
    /** The default for {@link Builder#maxEntries(int)}: the in-memory log keeps 1,000 events. */
    public static final int DEFAULT_MAX_ENTRIES = InMemoryBackplane.DEFAULT_MAX_ENTRIES;

    private static final HistoryGapHandler IGNORE_GAP = (stream, lastEventId) -> {};

    private final Backplane backplane;
    /** How many of the latest events a subscriber with nothing to resume from receives first. */
    private final int rewind;

    private final Map<String, Set<Subscription>> channels = new ConcurrentHashMap<>();
    private volatile boolean closed;

    // Counters, read by metrics; none is touched per subscriber of an entry.
    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final LongAdder entries = new LongAdder();
    private final LongAdder notRequested = new LongAdder();
    private final LongAdder replayed = new LongAdder();
    private final LongAdder gaps = new LongAdder();
    private final AtomicLong replayedEvents = new AtomicLong();
    private final AtomicLong replayFailures = new AtomicLong();

    private EventHub(Backplane backplane, int rewind) {
        this.backplane = backplane;
        this.rewind = rewind;
    }

    /**
     * Returns a hub on an in-memory log that keeps the last {@value #DEFAULT_MAX_ENTRIES} events, for
     * one server node.
     */
    public static EventHub create() {
        return builder().build();
    }

    /** Returns a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Appends {@code event} to {@code channel} and delivers it to every subscriber of the channel, on
     * every node. Completes with the id the event got, or exceptionally if the backplane could not
     * append it.
     *
     * @throws IllegalArgumentException if {@code channel} is empty or {@code event} carries an id
     * @throws IllegalStateException if the hub is closed
     */
    public CompletionStage<String> publish(String channel, Event event) {
        requireChannel(channel);
        Objects.requireNonNull(event, "event");
        if (!event.id().isEmpty()) {
            throw new IllegalArgumentException("event carries the id \"" + event.id()
                    + "\"; the hub assigns ids so that clients can resume, publish it without one"
                    + " (or send it to a stream directly with EventStream#send)");
        }
        if (closed) {
            throw new IllegalStateException("hub is closed");
        }
        return backplane.publish(channel, event);
    }

    /**
     * Publishes {@code value} to {@code channel} as an event of type {@code "message"}, its data
     * encoded by {@code codec} once, here, on the calling thread: every subscriber on every node
     * receives the same data, and each node serializes the event once for all its streams. See
     * {@link #publish(String, Event)}; for another event type, publish {@link Event#of(Object,
     * EventCodec) Event.of(value, codec)} with it.
     *
     * <pre>{@code
     * hub.publish("room:lobby", new ChatMessage("ada", "Hello!"), chatCodec);
     * hub.publish("room:lobby", Event.of(new Presence("ada", 3), presenceCodec).withType("join"));
     * }</pre>
     *
     * @throws RuntimeException whatever {@code codec} throws for a value it cannot encode; nothing is
     *     published then
     * @throws IllegalArgumentException if {@code channel} is empty
     * @throws IllegalStateException if the hub is closed
     */
    public <T> CompletionStage<String> publish(String channel, T value, EventCodec<? super T> codec) {
        requireChannel(channel);
        return publish(channel, Event.of(value, codec));
    }

    /** Subscribes {@code stream} to {@code channels}; see {@link #subscribe(EventStream, Collection, HistoryGapHandler)}. */
    public Subscription subscribe(EventStream stream, Collection<String> channels) {
        return subscribe(stream, channels, IGNORE_GAP);
    }

    /**
     * Subscribes {@code stream} to {@code channels}. If the client sent a {@code Last-Event-ID}, it
     * first receives the events of these channels it missed, in order, and then live events, with
     * nothing lost or repeated at the seam; if the history cannot resume it, {@code onGap} runs
     * instead of the replay. The subscription ends when the stream closes.
     *
     * <p>A stream that is not open (one that {@link io.sseline.servlet.EventStreams#open} answered
     * without opening, such as a HEAD request's, or one already closed) gets a subscription that is
     * already cancelled: the history is not read, {@code onGap} does not run, and its {@link
     * Subscription#replay()} fails with a {@link java.util.concurrent.CancellationException}.
     *
     * @throws IllegalArgumentException if {@code channels} is empty or a channel name is empty
     * @throws IllegalStateException if the hub is closed
     */
    public Subscription subscribe(EventStream stream, Collection<String> channels, HistoryGapHandler onGap) {
        Objects.requireNonNull(stream, "stream");
        return subscribe(stream, channels, stream.lastEventId(), onGap);
    }

    /**
     * Subscribes {@code stream} to {@code channels}, resuming from {@code resumeFrom} instead of the
     * stream's {@code Last-Event-ID}: for clients that cannot send the header (an id kept in a query
     * parameter or in local storage), or to start new clients at a chosen earlier position (an id this
     * hub returned from {@link #publish}). {@code ""} means no replay. Otherwise as {@link
     * #subscribe(EventStream, Collection, HistoryGapHandler)}.
     *
     * <pre>{@code
     * String header = stream.lastEventId();
     * String resumeFrom = header.isEmpty() ? Objects.requireNonNullElse(request.getParameter("lastEventId"), "") : header;
     * hub.subscribe(stream, List.of("chat"), resumeFrom, (s, id) -> s.send(snapshot()));
     * }</pre>
     *
     * @throws IllegalArgumentException if {@code channels} is empty or a channel name is empty
     * @throws IllegalStateException if the hub is closed
     */
    public Subscription subscribe(
            EventStream stream, Collection<String> channels, String resumeFrom, HistoryGapHandler onGap) {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(channels, "channels");
        Objects.requireNonNull(resumeFrom, "resumeFrom");
        Objects.requireNonNull(onGap, "onGap");
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("channels must not be empty; name at least one channel");
        }
        Set<String> names = new LinkedHashSet<>();
        for (String channel : channels) {
            names.add(requireChannel(channel));
        }
        if (closed) {
            throw new IllegalStateException("hub is closed");
        }
        Subscription subscription = new Subscription(this, stream, Set.copyOf(names), resumeFrom);
        if (!stream.isOpen()) {
            // A stream that never opened (a HEAD request) or already ended: nothing to deliver, so
            // no registration, no history read, no gap handler and no replay counted.
            subscription.cancel();
            return subscription;
        }
        subscriptions.add(subscription);
        // Registered for live entries first, then the history is read: see Subscription.
        for (String channel : names) {
            this.channels
                    .computeIfAbsent(channel, c -> ConcurrentHashMap.newKeySet())
                    .add(subscription);
        }
        stream.onClose((s, reason) -> subscription.cancel());
        CompletionStage<Subscription.Start> start;
        try {
            start = readStart(resumeFrom, subscription.channels());
        } catch (RuntimeException e) {
            start = CompletableFuture.failedFuture(e);
        }
        start.whenComplete((s, failure) -> subscription.begin(s, failure, onGap));
        return subscription;
    }

    /**
     * Reads the last {@code limit} events of {@code channel} that the history holds, oldest first,
     * each with its id: a channel's recent messages, for a page or an endpoint that shows them. On a
     * backplane that several nodes share, it holds the events published on every node. Completes
     * exceptionally if the backplane could not be read.
     *
     * <pre>{@code
     * hub.history("room:lobby", 50).thenAccept(events -> page.render(events));
     * }</pre>
     *
     * @throws IllegalArgumentException if {@code channel} is empty or {@code limit} is less than 1
     * @throws IllegalStateException if the hub is closed
     */
    public CompletionStage<List<Event>> history(String channel, int limit) {
        requireChannel(channel);
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
        if (closed) {
            throw new IllegalStateException("hub is closed");
        }
        CompletionStage<BackplaneHistory> latest;
        try {
            latest = backplane.readLatest(Set.of(channel), limit);
        } catch (RuntimeException e) {
            latest = CompletableFuture.failedFuture(e);
        }
        return latest.thenApply(h -> {
            List<Event> events = new ArrayList<>(h.entries().size());
            for (BackplaneEntry entry : h.entries()) {
                events.add(entry.event().withId(entry.id()));
            }
            return events;
        });
    }

    /** How many subscriptions on this node include {@code channel}. */
    public int subscriberCount(String channel) {
        Set<Subscription> subscribers = channels.get(channel);
        return subscribers == null ? 0 : subscribers.size();
    }

    /** The channels that have subscribers on this node. */
    public Set<String> channels() {
        return Set.copyOf(channels.keySet());
    }

    /** How many subscriptions on this node are active, whatever their channels. */
    public int subscriptionCount() {
        return subscriptions.size();
    }

    /**
     * How many entries of the log this node has received from its backplane (published here or on
     * any other node), whether or not a local stream subscribed to their channel.
     */
    public long entryCount() {
        return entries.sum();
    }

    /**
     * How many subscriptions on this node began with {@code outcome}: {@link Replay.Outcome#GAP}
     * counts the clients whose {@code Last-Event-ID} the history could not serve.
     */
    public long replayCount(Replay.Outcome outcome) {
        return replays(Objects.requireNonNull(outcome, "outcome")).sum();
    }

    /**
     * How many events of the history this node's subscriptions sent before live ones: the events
     * replayed after a {@code Last-Event-ID}, and those of a {@link Builder#rewind rewind}.
     */
    public long replayedEventCount() {
        return replayedEvents.get();
    }

    /**
     * How many subscriptions on this node could not begin: the history could not be read, the {@link
     * HistoryGapHandler} threw, or live events outran the read. Their streams were closed so that the
     * clients reconnect; see {@link Subscription#replay()}.
     */
    public long replayFailedCount() {
        return replayFailures.get();
    }

    /** Closes the backplane and cancels every subscription; streams stay open. Idempotent. */
    @Override
    public void close() {
        closed = true;
        backplane.close();
        for (Set<Subscription> subscribers : channels.values()) {
            for (Subscription s : List.copyOf(subscribers)) {
                s.cancel();
            }
        }
    }

    @Override
    public String toString() {
        return "EventHub{channels=" + channels.size() + ", " + backplane + "}";
    }

    void remove(Subscription subscription) {
        // Its channels first: once subscriptionCount() has dropped, so have the channels' counts, and a
        // metrics reader that waits for the one sees the others agree.
        for (String channel : subscription.channels()) {
            channels.computeIfPresent(channel, (c, subscribers) -> {
                subscribers.remove(subscription);
                return subscribers.isEmpty() ? null : subscribers;
            });
        }
        subscriptions.remove(subscription);
    }

    SerializedEvent serialize(BackplaneEntry entry) {
        return SerializedEvent.of(entry.event().withId(entry.id()));
    }

    /** Orders two ids of the log. */
    int compare(String a, String b) {
        return backplane.compare(a, b);
    }

    /**
     * What a new subscription sends before live events: the events after {@code resumeFrom}; or, for
     * a subscriber with no position to resume from (none given, or one past a gap) and a rewind, the
     * latest events of its channels.
     */
    private CompletionStage<Subscription.Start> readStart(String resumeFrom, Set<String> channels) {
        if (resumeFrom.isEmpty()) {
            return rewind > 0
                    ? backplane
                            .readLatest(channels, rewind)
                            .thenApply(latest -> new Subscription.Start(false, true, latest))
                    : backplane.readAfter("", channels).thenApply(head -> new Subscription.Start(false, false, head));
        }
        return backplane.readAfter(resumeFrom, channels).thenCompose(history -> {
            if (!history.isGap() || rewind == 0) {
                return CompletableFuture.completedFuture(new Subscription.Start(history.isGap(), false, history));
            }
            return backplane
                    .readLatest(channels, rewind)
                    .thenApply(latest -> new Subscription.Start(true, true, latest));
        });
    }

    void replayed(Replay replay) {
        replays(replay.outcome()).increment();
        replayedEvents.addAndGet(replay.count());
    }

    private LongAdder replays(Replay.Outcome outcome) {
        return switch (outcome) {
            case NOT_REQUESTED -> notRequested;
            case REPLAYED -> replayed;
            case GAP -> gaps;
        };
    }

    void replayFailed() {
        replayFailures.incrementAndGet();
    }

    private void onEntry(BackplaneEntry entry) {
        entries.increment();
        Set<Subscription> subscribers = channels.get(entry.channel());
        if (subscribers == null || subscribers.isEmpty()) {
            return;
        }
        SerializedEvent bytes = serialize(entry);
        for (Subscription subscription : subscribers) {
            subscription.deliver(entry.id(), bytes);
        }
    }

    private static String requireChannel(String channel) {
        Objects.requireNonNull(channel, "channel");
        if (channel.isEmpty()) {
            throw new IllegalArgumentException("channel name must not be empty");
        }
        return channel;
    }

    /**
     * Builds an {@link EventHub}. Not thread-safe.
     *
     * <p>By default the hub runs on a log in memory, which serves one server node and keeps its
     * history bounded by {@link #maxEntries} and {@link #maxAge}. For several nodes, give it a shared
     * log with {@link #backplane} (for example {@code sse-redis}'s {@code RedisBackplane}), whose
     * history is then configured on that backplane.
     *
     * <pre>{@code
     * EventHub hub = EventHub.builder()
     *         .maxEntries(10_000)              // replay the last 10,000 events of all channels
     *         .maxAge(Duration.ofMinutes(10))  // none older than ten minutes
     *         .build();
     * }</pre>
     */
    public static final class Builder {
        private @Nullable Backplane backplane;
        /** The in-memory log's options, which it checks itself. */
        private final InMemoryBackplane.Builder memory = InMemoryBackplane.builder();
        /** Whether maxEntries or maxAge was set: they configure the in-memory log only. */
        private boolean historySet;

        private int rewind;

        private Builder() {}

        /**
         * The most events the in-memory log keeps for replay, over all channels together; older ones
         * are dropped. Default {@value EventHub#DEFAULT_MAX_ENTRIES}.
         *
         * @throws IllegalArgumentException if {@code entries} is less than 1
         */
        public Builder maxEntries(int entries) {
            memory.maxEntries(entries);
            this.historySet = true;
            return this;
        }

        /**
         * How long the in-memory log keeps an event for replay; {@link Duration#ZERO}, the default,
         * means no age limit.
         *
         * @throws IllegalArgumentException if {@code age} is negative
         */
        public Builder maxAge(Duration age) {
            memory.maxAge(age);
            this.historySet = true;
            return this;
        }

        /**
         * How many of the latest events of its channels a subscriber first receives when it has no
         * position to resume from: a new client (no {@code Last-Event-ID}), or one whose id the history
         * cannot serve (after the {@link HistoryGapHandler}, which runs first). It then continues with
         * live events, with nothing lost or repeated at the seam. Suits feeds of messages, such as a
         * chat's recent messages; leave it at 0, the default, where a snapshot sent by the gap handler
         * conveys the state instead. Works on every backplane.
         *
         * <pre>{@code
         * EventHub hub = EventHub.builder().rewind(50).build();   // newcomers see the last 50 messages
         * }</pre>
         *
         * @throws IllegalArgumentException if {@code events} is negative
         */
        public Builder rewind(int events) {
            if (events < 0) {
                throw new IllegalArgumentException("rewind must not be negative: " + events);
            }
            this.rewind = events;
            return this;
        }

        /**
         * The log behind the hub, instead of the in-memory one: a backplane that several nodes share.
         * The hub starts it, and closes it when the hub closes; a backplane serves one hub.
         */
        public Builder backplane(Backplane backplane) {
            this.backplane = Objects.requireNonNull(backplane, "backplane");
            return this;
        }

        /**
         * Returns the hub, listening to its log.
         *
         * @throws IllegalStateException if both a {@link #backplane} and {@link #maxEntries} or {@link
         *     #maxAge} were set: the backplane keeps its own history, set it there
         */
        public EventHub build() {
            Backplane b = backplane;
            if (b == null) {
                b = memory.build();
            } else if (historySet) {
                throw new IllegalStateException("maxEntries and maxAge size the in-memory log, and a backplane"
                        + " was set; configure the history on the backplane (" + b + ") instead");
            }
            EventHub hub = new EventHub(b, rewind);
            b.start(hub::onEntry);
            return hub;
        }
    }
}
