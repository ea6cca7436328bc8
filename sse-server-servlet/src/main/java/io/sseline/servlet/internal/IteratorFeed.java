package io.sseline.servlet.internal;

import io.sseline.core.Event;
import java.util.Iterator;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Feeds a stream from an {@link Iterator}, pulled on an executor (by default a virtual thread on JDK
 * 21 and later, a small shared pool on JDK 17; see {@link FeedThreads}): the next event is pulled
 * only while the stream's queue is below the low-water mark. Above it, the pulling task ends and
 * gives its thread back; the queue's draining below the mark starts the next. When the stream
 * closes for any reason, the source is closed (a {@code java.util.stream.Stream}, or an iterator
 * that is {@link AutoCloseable}) and a thread blocked in it is interrupted; when the iterator ends or
 * throws, the stream closes after the final or error event.
 *
 * <pre>{@code
 * IteratorFeed.start(engine, events.iterator(), events, executor, OptionalInt.empty(), null, null);
 * }</pre>
 */
public final class IteratorFeed extends Feed implements Runnable {
    private final Iterator<? extends Event> events;
    private final @Nullable AutoCloseable source;
    private final Executor executor;

    // Guarded by this.
    /** The thread running the pulling task, to interrupt when the stream closes. */
    private @Nullable Thread puller;

    private boolean sourceClosed;

    // Any thread.
    private volatile boolean streamClosed;

    // The pulling task's; one runs at a time (the next is started only by the one before it ending).
    private byte @Nullable [] pending;
    private boolean ending;

    private IteratorFeed(
            StreamEngine<?> engine,
            Iterator<? extends Event> events,
            @Nullable AutoCloseable source,
            Executor executor,
            OptionalInt lowWaterMark,
            @Nullable Event finalEvent,
            @Nullable Function<? super Throwable, ? extends Event> errorEvent) {
        super(engine, lowWaterMark, finalEvent, errorEvent);
        this.events = events;
        this.source = source;
        this.executor = executor;
    }

    /**
     * Starts a feed of {@code engine}'s stream from {@code events}; {@code source}, if given, is
     * closed when the feed ends.
     */
    public static void start(
            StreamEngine<?> engine,
            Iterator<? extends Event> events,
            @Nullable AutoCloseable source,
            Executor executor,
            OptionalInt lowWaterMark,
            @Nullable Event finalEvent,
            @Nullable Function<? super Throwable, ? extends Event> errorEvent) {
        IteratorFeed feed = new IteratorFeed(engine, events, source, executor, lowWaterMark, finalEvent, errorEvent);
        engine.onClose((stream, reason) -> feed.streamClosed());
        feed.schedule();
    }

    private void schedule() {
        if (streamClosed) {
            return;
        }
        try {
            executor.execute(this);
        } catch (RejectedExecutionException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "the feed executor refused to pull for " + engine.stream() + "; the stream closes",
                    e);
            closeSource();
            closeStream();
        }
    }

    /** Pulls and sends events until the queue reaches the mark, the source ends, or the stream closes. */
    @Override
    public void run() {
        synchronized (this) {
            if (streamClosed) {
                return;
            }
            puller = Thread.currentThread();
        }
        try {
            pull();
        } finally {
            synchronized (this) {
                if (puller == Thread.currentThread()) {
                    puller = null;
                }
                Thread.interrupted(); // an interrupt meant for this feed must not reach the executor's next task
            }
        }
    }

    private void pull() {
        while (!streamClosed) {
            byte[] bytes = pending;
            if (bytes != null) {
                Sent sent = send(bytes, this::schedule);
                if (sent != Sent.SENT) {
                    return; // a later task goes on, or the stream closed
                }
                pending = null;
                if (ending) {
                    closeSource();
                    closeStream();
                    return;
                }
            }
            if (!belowMark()) {
                engine.whenQueuedBelow(mark, this::schedule);
                return;
            }
            Throwable failure = null;
            boolean more;
            try {
                more = events.hasNext(); // may block; the close of the stream interrupts it
                if (more) {
                    pending = bytesOf(Objects.requireNonNull(events.next(), "the iterator returned null"));
                    continue;
                }
            } catch (RuntimeException e) {
                if (streamClosed) {
                    return; // closing the source made it throw
                }
                failure = e;
            }
            pending = endingEvent(failure, "the iterator");
            if (pending == null) {
                closeSource();
                closeStream();
                return;
            }
            ending = true;
        }
    }

    private void streamClosed() {
        streamClosed = true;
        synchronized (this) {
            if (puller != null) {
                puller.interrupt(); // a thread blocked in the source
            }
        }
        closeSource();
    }

    private void closeSource() {
        synchronized (this) {
            if (sourceClosed) {
                return;
            }
            sourceClosed = true;
        }
        if (source != null) {
            try {
                source.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "closing the source that fed " + engine.stream() + " failed", e);
            }
        }
    }

    @Override
    public String toString() {
        return "IteratorFeed{" + engine.stream() + "}";
    }
}
