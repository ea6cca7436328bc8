package io.sseline.servlet.internal;

import io.sseline.core.Event;
import io.sseline.servlet.hub.spi.Backplane;
import io.sseline.servlet.hub.spi.BackplaneEntry;
import io.sseline.servlet.hub.spi.BackplaneHistory;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The hub's default {@link Backplane}: the log of one node, in memory, with a bounded history.
 * Applications get it from {@link io.sseline.servlet.hub.EventHub.Builder}, whose {@code maxEntries}
 * and {@code maxAge} configure it; the epoch and the clock are set here for tests.
 *
 * <pre>{@code
 * Backplane log = InMemoryBackplane.builder()
 *         .maxEntries(10_000)              // keep at most the last 10,000 events of all channels
 *         .maxAge(Duration.ofMinutes(5))   // and none older than five minutes
 *         .epoch("t")                      // ids t-1, t-2, ...
 *         .build();
 * EventHub hub = EventHub.builder().backplane(log).build();
 * }</pre>
 *
 * <p>Ids have the form {@code <epoch>-<sequence>}: the epoch is random for each instance, so an id
 * from before a restart is recognised as unknown and answered with a gap instead of a wrong replay;
 * the sequence counts every event of every channel. The gap test is exact per channel: a client is
 * told of a gap only if an entry of one of its channels after its id was trimmed.
 *
 * <p>Thread-safe. {@link #publish} appends under a short lock; the entries are then passed to the
 * entry handler in log order, outside the lock, by whichever publishing thread finds delivery idle (it
 * delivers the entries others publish meanwhile too), so a publisher may do some fan-out work for
 * others but never waits for a lock held during fan-out.
 */
public final class InMemoryBackplane implements Backplane {
    /** The default for {@link Builder#maxEntries(int)}, and the hub's. */
    public static final int DEFAULT_MAX_ENTRIES = 1000;

    private static final System.Logger LOG = System.getLogger(InMemoryBackplane.class.getName());

    private record Stored(BackplaneEntry entry, long sequence, Instant time) {}

    private final String epoch;
    private final int maxEntries;
    private final Duration maxAge;
    private final InstantSource clock;

    // Guarded by lock.
    private final Object lock = new Object();
    private final ArrayDeque<Stored> log = new ArrayDeque<>();
    /** For each channel, the sequence of its latest entry trimmed from the history. */
    private final Map<String, Long> trimmedUpTo = new HashMap<>();

    private long lastSequence;

    // Delivery: entries enter in log order under lock, leave in order through one drainer at a time.
    private final ConcurrentLinkedQueue<BackplaneEntry> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicInteger deliveryWork = new AtomicInteger();
    private volatile @Nullable EntryHandler handler;
    private volatile boolean closed;

    private InMemoryBackplane(Builder b) {
        this.epoch = b.epoch != null ? b.epoch : randomEpoch();
        this.maxEntries = b.maxEntries;
        this.maxAge = b.maxAge;
        this.clock = b.clock;
    }

    /** Returns a builder with the defaults: 1,000 entries, no age limit, a random epoch. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns an instance with the defaults. */
    public static InMemoryBackplane create() {
        return builder().build();
    }

    @Override
    public void start(EntryHandler handler) {
        Objects.requireNonNull(handler, "handler");
        synchronized (lock) {
            if (this.handler != null) {
                throw new IllegalStateException("backplane already started; one backplane serves one hub");
            }
            this.handler = handler;
        }
    }

    @Override
    public CompletionStage<String> publish(String channel, Event event) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(event, "event");
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("backplane is closed"));
        }
        String id;
        synchronized (lock) {
            long sequence = ++lastSequence;
            id = epoch + "-" + sequence;
            BackplaneEntry entry = BackplaneEntry.of(id, channel, event);
            log.addLast(new Stored(entry, sequence, clock.instant()));
            trim();
            outbox.add(entry);
        }
        deliver();
        return CompletableFuture.completedFuture(id);
    }

    @Override
    public CompletionStage<BackplaneHistory> readAfter(String afterId, Set<String> channels) {
        Objects.requireNonNull(afterId, "afterId");
        Objects.requireNonNull(channels, "channels");
        synchronized (lock) {
            trim();
            String head = epoch + "-" + lastSequence;
            if (afterId.isEmpty()) {
                return CompletableFuture.completedFuture(BackplaneHistory.exact(List.of(), head));
            }
            long after = sequenceOf(afterId);
            if (after < 0 || after > lastSequence) {
                return CompletableFuture.completedFuture(BackplaneHistory.gap(head));
            }
            for (String channel : channels) {
                if (trimmedUpTo.getOrDefault(channel, 0L) > after) {
                    return CompletableFuture.completedFuture(BackplaneHistory.gap(head));
                }
            }
            List<BackplaneEntry> missed = new ArrayList<>();
            for (Iterator<Stored> it = log.descendingIterator(); it.hasNext(); ) {
                Stored s = it.next();
                if (s.sequence() <= after) {
                    break;
                }
                if (channels.contains(s.entry().channel())) {
                    missed.add(s.entry());
                }
            }
            Collections.reverse(missed);
            return CompletableFuture.completedFuture(BackplaneHistory.exact(missed, head));
        }
    }

    @Override
    public CompletionStage<BackplaneHistory> readLatest(Set<String> channels, int limit) {
        Objects.requireNonNull(channels, "channels");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
        synchronized (lock) {
            trim();
            List<BackplaneEntry> latest = new ArrayList<>(Math.min(limit, log.size()));
            for (Iterator<Stored> it = log.descendingIterator(); it.hasNext() && latest.size() < limit; ) {
                BackplaneEntry entry = it.next().entry();
                if (channels.contains(entry.channel())) {
                    latest.add(entry);
                }
            }
            Collections.reverse(latest);
            return CompletableFuture.completedFuture(BackplaneHistory.exact(latest, epoch + "-" + lastSequence));
        }
    }

    @Override
    public int compare(String a, String b) {
        long sa = sequenceOf(a);
        long sb = sequenceOf(b);
        if (sa < 0 || sb < 0) {
            throw new IllegalArgumentException("not an id of this log (epoch " + epoch + "): " + (sa < 0 ? a : b));
        }
        return Long.compare(sa, sb);
    }

    /** How many entries the history holds now. */
    public int size() {
        synchronized (lock) {
            trim();
            return log.size();
        }
    }

    @Override
    public void close() {
        closed = true;
        handler = null;
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "InMemoryBackplane{epoch=" + epoch + ", last=" + lastSequence + ", retained=" + log.size() + "}";
        }
    }

    /** The sequence of an id of this epoch, or -1. */
    private long sequenceOf(String id) {
        if (id.length() <= epoch.length() + 1 || !id.startsWith(epoch) || id.charAt(epoch.length()) != '-') {
            return -1;
        }
        long value = 0;
        for (int i = epoch.length() + 1; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < '0' || c > '9' || value > (Long.MAX_VALUE - 9) / 10) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** Drops entries past the count and age bounds. Holds lock. */
    private void trim() {
        Instant oldest = maxAge.isZero() ? Instant.MIN : clock.instant().minus(maxAge);
        while (!log.isEmpty()) {
            Stored first = log.peekFirst();
            if (log.size() <= maxEntries && !first.time().isBefore(oldest)) {
                break;
            }
            log.removeFirst();
            trimmedUpTo.put(first.entry().channel(), first.sequence());
        }
    }

    /** Passes queued entries to the handler, one drainer at a time, in order. */
    private void deliver() {
        if (deliveryWork.getAndIncrement() != 0) {
            return; // the thread that is delivering will see this entry
        }
        int missed = 1;
        do {
            BackplaneEntry entry;
            while ((entry = outbox.poll()) != null) {
                EntryHandler h = handler;
                if (h != null) {
                    try {
                        h.onEntry(entry);
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "backplane entry handler failed on " + entry, e);
                    }
                }
            }
            missed = deliveryWork.addAndGet(-missed);
        } while (missed != 0);
    }

    private static String randomEpoch() {
        return Long.toString(new SecureRandom().nextLong() >>> 1, 36);
    }

    /**
     * Builds an {@link InMemoryBackplane}. Not thread-safe.
     *
     * <pre>{@code
     * InMemoryBackplane log = InMemoryBackplane.builder().maxEntries(5_000).build();
     * }</pre>
     */
    public static final class Builder {
        private int maxEntries = DEFAULT_MAX_ENTRIES;
        private Duration maxAge = Duration.ZERO;
        private InstantSource clock = InstantSource.system();
        private @Nullable String epoch;

        private Builder() {}

        /**
         * The most entries kept for replay, over all channels together; older ones are dropped.
         * Default 1,000.
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
         * How long an entry stays available for replay; {@link Duration#ZERO}, the default, means no
         * age limit.
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

        /** The clock for {@link #maxAge}. Default {@link InstantSource#system()}. */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The epoch in the ids, instead of a random one: letters and digits only. Two instances with the
         * same epoch accept each other's ids, so only reuse an epoch for a log that keeps its history.
         *
         * @throws IllegalArgumentException if {@code epoch} is empty or has other characters
         */
        public Builder epoch(String epoch) {
            Objects.requireNonNull(epoch, "epoch");
            if (epoch.isEmpty() || !epoch.chars().allMatch(Character::isLetterOrDigit)) {
                throw new IllegalArgumentException("epoch must be letters and digits only: \"" + epoch + "\"");
            }
            this.epoch = epoch;
            return this;
        }

        /** Returns the backplane. */
        public InMemoryBackplane build() {
            return new InMemoryBackplane(this);
        }
    }
}
