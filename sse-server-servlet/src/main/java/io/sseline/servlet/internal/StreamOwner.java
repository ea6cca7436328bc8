package io.sseline.servlet.internal;

import io.sseline.servlet.CloseReason;
import io.sseline.servlet.SlowConsumerPolicy;
import java.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link StreamEngine} tells the object that opened it: the one way back from an engine, so
 * that the engine calls no public type and the public types call the engine, never the reverse.
 * {@code EventStreams} implements it once for all its streams.
 *
 * <pre>{@code
 * StreamOwner<Face> owner = new StreamOwner<>() {
 *     public ScheduledFuture<?> scheduleCloseTimeout(Runnable cut) {
 *         return scheduler.schedule(cut, closeTimeout.toMillis(), TimeUnit.MILLISECONDS);
 *     }
 *     public void closed(StreamEngine<Face> stream, CloseReason reason) {
 *         open.remove(stream);
 *     }
 *     public void slowConsumer(StreamEngine<Face> stream, SlowConsumerPolicy policy) {
 *         log.info(stream.stream() + " fell behind: " + policy);
 *     }
 * };
 * }</pre>
 *
 * @param <S> the stream as applications see it
 */
public interface StreamOwner<S> {
    /**
     * Runs {@code cut} once the close timeout has passed, to end a closing stream whose client does
     * not read what is left; returns the timer. When nothing can time it (the scheduler has stopped),
     * runs {@code cut} at once and returns null.
     */
    @Nullable
    ScheduledFuture<?> scheduleCloseTimeout(Runnable cut);

    /**
     * {@code stream} ended for {@code reason}. Called once per stream that opened, on the thread that
     * ended it, with no lock held, before its close handlers run; its counts ({@link
     * StreamEngine#addCountsTo}) no longer change.
     */
    void closed(StreamEngine<S> stream, CloseReason reason);

    /**
     * The close handlers of {@code stream} have run (or thrown), on the thread that called {@link
     * #closed}, right after them; once per call of {@link #closed}. Does nothing by default.
     */
    default void closeHandlersRan(StreamEngine<S> stream) {}

    /**
     * {@code policy} applied to {@code stream}: one event was dropped, or (for {@link
     * SlowConsumerPolicy#DISCONNECT}) the stream closes right after this returns. Called on the
     * sending thread, with no lock held.
     */
    void slowConsumer(StreamEngine<S> stream, SlowConsumerPolicy policy);
}
