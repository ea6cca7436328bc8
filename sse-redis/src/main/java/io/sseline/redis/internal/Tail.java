package io.sseline.redis.internal;

import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.sseline.servlet.hub.spi.Backplane;
import io.sseline.servlet.hub.spi.BackplaneEntry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The one loop per backplane that tails the stream with a blocking {@code XREAD} on a connection of
 * its own and passes each entry to the handler, one at a time, in stream order.
 *
 * <p>When the connection fails (Redis restarted, unreachable, or a read timed out) the loop closes
 * it, waits (doubling the delay from the minimum up to the maximum), connects again and reads on from
 * the last entry it delivered: entries appended during the outage are delivered after it. If the
 * stream was lost meanwhile (its epoch changed), it continues from the start of the new stream.
 *
 * <p>Fields touched by the loop thread only are marked so; {@link #close} may run on any thread.
 */
public final class Tail implements Runnable {
    private static final System.Logger LOG = System.getLogger(Tail.class.getName());

    /** The settings of the loop. */
    public record Settings(
            String streamKey,
            String epochKey,
            Duration block,
            int batch,
            Duration commandTimeout,
            Duration minDelay,
            Duration maxDelay) {}

    private final RedisClient client;
    private final Settings settings;
    private final Supplier<String> candidateEpoch;
    private final Epochs epochs;
    private final Backplane.EntryHandler handler;
    private final Thread thread;

    // Guarded by lock: the connection in use, so that close() can break a blocking read.
    private final Object lock = new Object();
    private @Nullable StatefulRedisConnection<String, String> connection;
    private volatile boolean closed;

    // Loop thread only: the last position delivered (at first, the head when the loop began).
    private LogId position;

    // Written by the loop thread, read by metrics on any thread.
    /**
     * How late the last entry was delivered: this node's clock at delivery less the time in its
     * stream id (Redis's clock when it was appended); 0 after a read found nothing more to deliver.
     */
    private volatile long lagMillis;
    /** When the loop lost its connection (this node's clock); 0 while it is connected. */
    private volatile long lostAtMillis;

    private final AtomicLong reconnects = new AtomicLong();

    /** A loop that delivers the entries after {@code head}. */
    public Tail(
            RedisClient client,
            Settings settings,
            LogId head,
            Supplier<String> candidateEpoch,
            Epochs epochs,
            Backplane.EntryHandler handler) {
        this.client = client;
        this.position = head;
        this.settings = settings;
        this.candidateEpoch = candidateEpoch;
        this.epochs = epochs;
        this.handler = handler;
        this.thread = new Thread(this, "sseline-redis-tail " + settings.streamKey());
        this.thread.setDaemon(true);
    }

    /** Starts the loop. */
    public void start() {
        thread.start();
    }

    /**
     * How far behind the stream this node's delivery is, in milliseconds: how late the last entry
     * was delivered (0 once a read found the loop caught up); while the connection is lost, at least
     * the time since it was lost. Entries' times come from Redis's clock, so a skew between the two
     * clocks shows in the lag of delivered entries.
     */
    public long lagMillis() {
        long lost = lostAtMillis;
        long lag = lagMillis;
        return lost == 0 ? lag : Math.max(lag, System.currentTimeMillis() - lost);
    }

    /** How many times the loop lost its connection and connected again (or is waiting to). */
    public long reconnectCount() {
        return reconnects.get();
    }

    /** Stops the loop, breaking a blocking read, and waits briefly for it to end. Idempotent. */
    public void close() {
        closed = true;
        synchronized (lock) {
            StatefulRedisConnection<String, String> c = connection;
            if (c != null && c.isOpen()) {
                var unused = c.closeAsync(); // breaks a blocking read; nothing to wait for
            }
            lock.notifyAll();
        }
        if (Thread.currentThread() != thread) {
            try {
                // A connect in progress ends within the connect timeout; the client must outlive it.
                thread.join(settings.commandTimeout().multipliedBy(2).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void run() {
        long delay = settings.minDelay().toMillis();
        while (!closed) {
            StatefulRedisConnection<String, String> c = null;
            try {
                c = client.connect();
                c.setTimeout(settings.block().plus(settings.commandTimeout()));
                synchronized (lock) {
                    if (closed) {
                        break;
                    }
                    connection = c;
                }
                RedisCommands<String, String> redis = c.sync();
                LogId from = catchUp(redis);
                lostAtMillis = 0;
                delay = settings.minDelay().toMillis();
                tail(redis, from);
            } catch (RuntimeException e) {
                if (closed) {
                    break;
                }
                if (lostAtMillis == 0) {
                    lostAtMillis = System.currentTimeMillis();
                }
                reconnects.incrementAndGet();
                LOG.log(
                        System.Logger.Level.WARNING,
                        "lost the Redis stream " + settings.streamKey() + " (" + e + "); reconnecting in " + delay
                                + " ms and reading on after " + position);
            } finally {
                synchronized (lock) {
                    connection = null;
                }
                if (c != null && c.isOpen()) {
                    var unused = c.closeAsync(); // breaks a blocking read; nothing to wait for
                }
            }
            pause(delay);
            delay = Math.min(settings.maxDelay().toMillis(), delay * 2);
        }
    }

    /** Reads and delivers entries after {@code from} until the connection fails or the loop closes. */
    @SuppressWarnings("unchecked") // xread's varargs of a generic type; one offset
    private void tail(RedisCommands<String, String> redis, LogId from) {
        LogId at = from;
        XReadArgs args = XReadArgs.Builder.block(settings.block().toMillis()).count(settings.batch());
        while (!closed) {
            List<StreamMessage<String, String>> batch =
                    redis.xread(args, XReadArgs.StreamOffset.from(settings.streamKey(), at.streamId()));
            if (batch == null || batch.isEmpty()) {
                lagMillis = 0; // the read waited and found nothing more: caught up
            }
            if (batch == null || batch.isEmpty() || !at.epoch().equals(redis.get(settings.epochKey()))) {
                // Idle, or the stream changed under us: check where the log stands.
                at = catchUp(redis);
                continue;
            }
            for (StreamMessage<String, String> message : batch) {
                LogId id = LogId.of(at.epoch(), message.getId());
                if (id == null) {
                    throw new IllegalStateException("unexpected stream entry id from Redis: " + message.getId());
                }
                at = id;
                position = id;
                lagMillis = Math.max(0, System.currentTimeMillis() - id.millis());
                BackplaneEntry entry = Entries.fromFields(id, message.getBody());
                if (entry != null && !closed) {
                    deliver(entry);
                }
            }
        }
    }

    /**
     * Reads the state of the log and returns the position to read on from: the last delivered
     * position if the stream is the same; the start of the new stream if its epoch changed.
     */
    private LogId catchUp(RedisCommands<String, String> redis) {
        LogState state = LogState.of(Scripts.READ.call(
                redis, new String[] {settings.streamKey(), settings.epochKey()}, candidateEpoch.get(), "", "1"));
        epochs.saw(state.epoch());
        LogId at = position;
        if (!at.epoch().equals(state.epoch())) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "the Redis stream " + settings.streamKey() + " was lost (its epoch changed from " + at.epoch()
                            + " to " + state.epoch() + "); entries after " + at
                            + " that were not read before are gone; reading the new stream from its start");
            at = LogId.start(state.epoch());
        } else if (state.removed() && !state.first().isEmpty()) {
            StreamId first = StreamId.parse(state.first());
            if (first != null && at.compareEntry(first) < 0) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "the Redis stream " + settings.streamKey() + " was trimmed past " + at
                                + " while this node could not read it; some entries may not have been delivered"
                                + " here; raise maxEntries to outlast outages");
            }
        }
        position = at;
        return at;
    }

    private void deliver(BackplaneEntry entry) {
        try {
            handler.onEntry(entry);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "backplane entry handler failed on " + entry, e);
        }
    }

    /** Waits {@code millis} or until closed. */
    private void pause(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (lock) {
            long left;
            while (!closed && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
