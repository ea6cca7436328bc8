package io.sseline.servlet.internal;

import io.sseline.core.Event;
import io.sseline.core.EventSerializer;
import io.sseline.servlet.CloseReason;
import java.util.OptionalInt;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What the feeds of a stream share: the low-water mark, sending an event when the queue has room
 * for it (or arranging to be woken when it has), and the event that ends the feed. A feed never
 * applies the slow-consumer policy to its own events: it waits instead, which is the back-pressure
 * its source feels. Subclasses pull ({@link IteratorFeed}) or are pushed to ({@link PublisherFeed}).
 */
abstract class Feed {
    static final System.Logger LOG = System.getLogger(Feed.class.getName());

    /** What happened to an event that {@link #send} was given. */
    enum Sent {
        /** Queued. */
        SENT,
        /** No room yet; the wake-up runs once there is. The caller keeps the event. */
        WAITING,
        /** The stream is closing or closed: feed no more. */
        CLOSED
    }

    final StreamEngine<?> engine;
    /** Ask the source for more only while fewer bytes than this are queued. */
    final int mark;

    private final @Nullable Event finalEvent;
    private final @Nullable Function<? super Throwable, ? extends Event> errorEvent;

    Feed(
            StreamEngine<?> engine,
            OptionalInt lowWaterMark,
            @Nullable Event finalEvent,
            @Nullable Function<? super Throwable, ? extends Event> errorEvent) {
        this.engine = engine;
        int max = engine.maxQueuedBytes();
        this.mark = Math.min(lowWaterMark.orElse(Math.max(1, max / 2)), max);
        this.finalEvent = finalEvent;
        this.errorEvent = errorEvent;
    }

    static byte[] bytesOf(Event event) {
        return EventSerializer.serialize(event);
    }

    /**
     * Queues {@code bytes} if they fit; otherwise, while the stream is open, runs {@code wake} once
     * the queue has drained enough for them (empty, for an event larger than the whole bound).
     */
    Sent send(byte[] bytes, Runnable wake) {
        if (engine.sendIfRoom(bytes)) {
            return Sent.SENT;
        }
        if (!engine.isOpen()) {
            return Sent.CLOSED;
        }
        int max = engine.maxQueuedBytes();
        engine.whenQueuedBelow(bytes.length >= max ? 1 : max - bytes.length + 1, wake);
        return Sent.WAITING;
    }

    /** Whether the queue is below the mark, so that the source may be asked for more. */
    boolean belowMark() {
        return engine.queuedBytes() < mark;
    }

    /**
     * The event to send last, for a source that completed ({@code failure} null) or failed, or null
     * for none. A failure is logged; so is an error-event function that fails in turn.
     */
    byte @Nullable [] endingEvent(@Nullable Throwable failure, String source) {
        if (failure == null) {
            return finalEvent == null ? null : bytesOf(finalEvent);
        }
        LOG.log(
                System.Logger.Level.WARNING,
                source + " feeding " + engine.stream() + " failed; the stream closes"
                        + (errorEvent == null ? "" : " after its error event"),
                failure);
        if (errorEvent == null) {
            return null;
        }
        try {
            return bytesOf(errorEvent.apply(failure));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "the error event function of a feed failed; no error event", e);
            return null;
        }
    }

    /** The source ended and its last event, if any, is queued: the stream closes once it is read. */
    void closeStream() {
        engine.closeGracefully(null, CloseReason.CLOSED);
    }
}
