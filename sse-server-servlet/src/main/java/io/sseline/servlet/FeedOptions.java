package io.sseline.servlet;

import io.sseline.core.Event;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * How {@link EventStream#feed} feeds a stream from a source of events: when to ask the source for
 * more, and what to send when it ends. Immutable; start from {@link #defaults()}.
 *
 * <pre>{@code
 * FeedOptions options = FeedOptions.defaults()
 *         .withLowWaterMark(32 * 1024)
 *         .withFinalEvent(Event.of("[DONE]"))
 *         .withErrorEvent(error -> Event.of("{\"error\":\"upstream failed\"}").withType("error"));
 * stream.feed(tokens, options);
 * }</pre>
 */
public final class FeedOptions {
    private static final FeedOptions DEFAULTS = new FeedOptions(0, null, null);

    /** 0 for half the stream's queue bound. */
    private final int lowWaterMark;

    private final @Nullable Event finalEvent;
    private final @Nullable Function<? super Throwable, ? extends Event> errorEvent;

    private FeedOptions(
            int lowWaterMark,
            @Nullable Event finalEvent,
            @Nullable Function<? super Throwable, ? extends Event> errorEvent) {
        this.lowWaterMark = lowWaterMark;
        this.finalEvent = finalEvent;
        this.errorEvent = errorEvent;
    }

    /**
     * The defaults: the source is asked for more while the stream's queue holds less than half of
     * {@link EventStreamConfig#maxQueuedBytes()}; when it ends, the stream closes without a final
     * event.
     */
    public static FeedOptions defaults() {
        return DEFAULTS;
    }

    /**
     * The low-water mark: the source is asked for the next event only while the stream's queue holds
     * fewer than {@code bytes} bytes that the client has not read; above it, the feed waits until
     * the queue drains below it. A mark above the stream's {@link EventStreamConfig#maxQueuedBytes()}
     * counts as that bound.
     *
     * @throws IllegalArgumentException if {@code bytes} is not positive
     */
    public FeedOptions withLowWaterMark(int bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("lowWaterMark must be positive: " + bytes);
        }
        return new FeedOptions(bytes, finalEvent, errorEvent);
    }

    /** The event sent, after the source's last one, when the source completes; then the stream closes. */
    public FeedOptions withFinalEvent(Event event) {
        return new FeedOptions(lowWaterMark, Objects.requireNonNull(event, "event"), errorEvent);
    }

    /**
     * Makes the event sent when the source fails, from its failure; then the stream closes. Without
     * one, a failed source closes the stream without a last event (and the failure is logged).
     */
    public FeedOptions withErrorEvent(Function<? super Throwable, ? extends Event> errorEvent) {
        return new FeedOptions(lowWaterMark, finalEvent, Objects.requireNonNull(errorEvent, "errorEvent"));
    }

    /** The low-water mark in bytes, or empty for half the stream's queue bound. */
    public OptionalInt lowWaterMark() {
        return lowWaterMark == 0 ? OptionalInt.empty() : OptionalInt.of(lowWaterMark);
    }

    /** The event sent when the source completes, if any. */
    public Optional<Event> finalEvent() {
        return Optional.ofNullable(finalEvent);
    }

    /** What makes the event sent when the source fails, if anything. */
    public Optional<Function<? super Throwable, ? extends Event>> errorEvent() {
        return Optional.ofNullable(errorEvent);
    }

    @Override
    public String toString() {
        return "FeedOptions{lowWaterMark=" + (lowWaterMark == 0 ? "half the queue" : lowWaterMark + " bytes")
                + ", finalEvent=" + finalEvent + ", errorEvent=" + (errorEvent != null) + "}";
    }
}
