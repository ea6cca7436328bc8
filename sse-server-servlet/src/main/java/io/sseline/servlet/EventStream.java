package io.sseline.servlet;

import io.sseline.core.Event;
import io.sseline.core.EventCodec;
import io.sseline.servlet.internal.StreamEngine;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.util.Objects;
import java.util.Optional;

/**
 * The library's half of one event-stream response: the application sends events, the stream queues
 * their bytes and writes them to the client with non-blocking servlet I/O. Open one with {@link
 * EventStreams#open}.
 *
 * <pre>{@code
 * EventStream stream = streams.open(request, response);
 * stream.onClose((s, reason) -> presence.leave(user));
 * stream.send(Event.of("{\"content\":\"welcome\"}").withType("chat"));
 * // later, from any thread:
 * stream.send("tick");
 * }</pre>
 *
 * <p><b>Threading.</b> Every method is thread-safe and none blocks: {@code send} appends the event's
 * bytes to a bounded per-stream queue and returns. A writer thread of the {@link EventStreams} that
 * opened the stream then writes what is queued while the container says the response {@link
 * ServletOutputStream#isReady() is ready}, several queued events as one write; when the client falls
 * behind, the container's {@link WriteListener} resumes on a container thread. A sender that queues
 * faster than the writer threads write, so that a quarter of {@link
 * EventStreamConfig#maxQueuedBytes()} waits, writes the stream itself instead. Only one thread writes
 * at a time, so events never interleave. Events from one thread arrive in the order it sent them.
 *
 * <p><b>Slow clients.</b> When the queue would exceed {@link EventStreamConfig#maxQueuedBytes()}, the
 * {@link SlowConsumerPolicy} applies: the stream closes ({@link CloseReason#SLOW_CONSUMER}) or the
 * event is dropped, and {@link EventStreamConfig#slowConsumerHandler()} is told.
 *
 * <p><b>Closing.</b> A stream ends exactly once, for the first of: {@link #close()}, the client going
 * away (detected by a failed write; see {@link EventStreamConfig.Builder#heartbeatInterval}), the asynchronous timeout,
 * the slow-consumer policy, {@link EventStreams#shutdown}. Each {@link CloseHandler} then runs
 * exactly once, on the thread that ended the stream, with no lock held; after that {@code send}
 * returns {@code false}. {@code close()} is idempotent and may be called from a callback.
 */
public final class EventStream {
    /**
     * Called once when a stream ends.
     *
     * <pre>{@code
     * stream.onClose((s, reason) -> subscribers.remove(s));
     * }</pre>
     */
    @FunctionalInterface
    public interface CloseHandler {
        /** Called once, after {@code stream} ended for {@code reason}. */
        void onClose(EventStream stream, CloseReason reason);
    }

    /** The queue, the writes and the life of the stream; see {@link StreamEngine}. */
    private final StreamEngine<EventStream> engine;

    private final String lastEventId;

    /** Made by {@link EventStreams} for each engine it opens. */
    EventStream(StreamEngine<EventStream> engine, String lastEventId) {
        this.engine = engine;
        this.lastEventId = lastEventId;
    }

    /**
     * The {@code Last-Event-ID} request header as the client meant it, or {@code ""} when the client
     * sent none: where a reconnecting client wants to resume. A header whose bytes are valid UTF-8 is
     * decoded as UTF-8 (browsers send the id so), any other as ISO-8859-1, one character per byte.
     */
    public String lastEventId() {
        return lastEventId;
    }

    /**
     * Queues {@code event} for the client.
     *
     * @return {@code true} if the event was queued; {@code false} if the stream is closing or closed,
     *     or the slow-consumer policy refused the event
     */
    public boolean send(Event event) {
        return send(SerializedEvent.of(event));
    }

    /** Queues an event of type {@code "message"} with {@code data}; see {@link #send(Event)}. */
    public boolean send(String data) {
        return send(Event.of(data));
    }

    /**
     * Queues an event of type {@code "message"} whose data is {@code value} as {@code codec} encodes
     * it; see {@link #send(Event)}. For another type, or an id, send {@link Event#of(Object,
     * EventCodec) Event.of(value, codec)} with them.
     *
     * <pre>{@code
     * stream.send(new ChatMessage("ada", "Hello!"), chatCodec);
     * stream.send(Event.of(roster, rosterCodec).withType("snapshot"));
     * }</pre>
     *
     * @throws RuntimeException whatever {@code codec} throws for a value it cannot encode; nothing is
     *     queued then
     */
    public <T> boolean send(T value, EventCodec<? super T> codec) {
        return send(Event.of(value, codec));
    }

    /** Queues a comment, which the client ignores; see {@link #send(Event)}. */
    public boolean comment(String text) {
        return send(SerializedEvent.comment(text));
    }

    /** Queues an event serialized earlier, sharing its bytes; see {@link #send(Event)}. */
    public boolean send(SerializedEvent event) {
        return engine.send(Objects.requireNonNull(event, "event").bytes());
    }

    /**
     * Closes the stream after the client has read what is queued, or after {@link
     * EventStreamConfig#closeTimeout()} at the latest, with {@link CloseReason#CLOSED}. Idempotent.
     */
    public void close() {
        engine.closeGracefully(null, CloseReason.CLOSED);
    }

    /** Queues {@code finalEvent}, then closes as {@link #close()} does. Ignored if already closing. */
    public void close(Event finalEvent) {
        engine.closeGracefully(SerializedEvent.of(finalEvent).bytes(), CloseReason.CLOSED);
    }

    /** Registers {@code handler} to run once when the stream ends; at once if it already has. */
    public void onClose(CloseHandler handler) {
        Objects.requireNonNull(handler, "handler");
        engine.onClose(handler::onClose);
    }

    /** Whether the stream still accepts events. */
    public boolean isOpen() {
        return engine.isOpen();
    }

    /** Why the stream ended, or empty while it has not. */
    public Optional<CloseReason> closeReason() {
        return engine.closeReason();
    }

    /**
     * Bytes queued that the container has not yet accepted: at most {@link
     * EventStreamConfig#maxQueuedBytes()}, or the size of one larger event.
     */
    public int queuedBytes() {
        return engine.queuedBytes();
    }

    /** How many events {@link SlowConsumerPolicy#DROP} has dropped on this stream. */
    public long droppedCount() {
        return engine.droppedCount();
    }

    @Override
    public String toString() {
        return "EventStream{" + engine.status() + "}";
    }
}
