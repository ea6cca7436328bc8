package io.sseline.servlet;

import io.sseline.core.Event;
import io.sseline.core.EventCodec;
import io.sseline.servlet.internal.IteratorFeed;
import io.sseline.servlet.internal.PublisherFeed;
import io.sseline.servlet.internal.StreamEngine;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

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
    /** Where iterator and stream feeds are pulled. */
    private final Executor feedExecutor;

    /** Made by {@link EventStreams} for each engine it opens. */
    EventStream(StreamEngine<EventStream> engine, String lastEventId, Executor feedExecutor) {
        this.engine = engine;
        this.lastEventId = lastEventId;
        this.feedExecutor = feedExecutor;
    }

    /**
     * The {@code Last-Event-ID} request header as the client meant it, or {@code ""} when the client
     * sent none: where a reconnecting client wants to resume. A header whose bytes are valid UTF-8 is
     * decoded as UTF-8 (browsers send the id so), any other as ISO-8859-1, one character per byte.
     * Without the header, the query parameter that {@link
     * EventStreamConfig.Builder#lastEventIdParameter} names, if that fallback is on.
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
     * Feeds this stream from {@code events}, for as long as both last: each event the publisher sends
     * is queued for the client, and the next is requested only while the stream's queue holds less
     * than the low-water mark ({@link FeedOptions#withLowWaterMark}, half of {@link
     * EventStreamConfig#maxQueuedBytes()} by default), so a client that reads slowly slows the
     * publisher instead of filling memory or tripping the slow-consumer policy. Returns at once.
     *
     * <pre>{@code
     * SubmissionPublisher<Event> tokens = new SubmissionPublisher<>();
     * stream.feed(tokens, FeedOptions.defaults().withFinalEvent(Event.of("[DONE]")));
     * for (String token : model.generate(prompt)) {
     *     tokens.submit(Event.of(token));   // blocks once the client falls behind and the buffer is full
     * }
     * tokens.close();                       // the stream sends [DONE] and closes
     * }</pre>
     *
     * <ul>
     *   <li>The publisher's subscription is cancelled when the stream closes for any reason: {@link
     *       #close()}, the client gone, a timeout, shutdown.
     *   <li>When the publisher completes, the stream sends {@link FeedOptions#finalEvent()}, if any,
     *       and closes ({@link CloseReason#CLOSED}) once the client has read it. When it fails, the
     *       failure is logged, {@link FeedOptions#errorEvent()} makes the last event, if set, and the
     *       stream closes the same way.
     *   <li>One event is requested at a time. Events of the feed wait for room in the queue rather
     *       than meet the slow-consumer policy; events sent with {@link #send} meanwhile go through
     *       the queue as usual.
     *   <li>Signals may come on any thread, one at a time (Reactive Streams rule 1.3); a request may
     *       come on the thread that writes to the client, so the publisher must not block in {@code
     *       request}.
     * </ul>
     *
     * @throws IllegalStateException if the stream already has a feed
     */
    public void feed(Flow.Publisher<? extends Event> events, FeedOptions options) {
        Objects.requireNonNull(events, "events");
        subscribe(events, Function.identity(), options);
    }

    /**
     * Feeds this stream from a publisher of values, each sent as an event of type {@code "message"}
     * whose data is the value as {@code codec} encodes it, with the rules of {@link
     * #feed(Flow.Publisher, FeedOptions)}. A value the codec cannot encode ends the feed as a failed
     * publisher does: the subscription is cancelled, and the stream closes after {@link
     * FeedOptions#errorEvent()}, if set.
     *
     * <pre>{@code
     * Flow.Publisher<ChatMessage> replies = assistant.reply(question);   // from any Reactive Streams library
     * stream.feed(replies, chatCodec, FeedOptions.defaults().withFinalEvent(Event.of("[DONE]")));
     * }</pre>
     *
     * @throws IllegalStateException if the stream already has a feed
     */
    public <T> void feed(Flow.Publisher<? extends T> values, EventCodec<? super T> codec, FeedOptions options) {
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(codec, "codec");
        subscribe(values, value -> Event.of(value, codec), options);
    }

    private <T> void subscribe(
            Flow.Publisher<? extends T> publisher, Function<? super T, Event> toEvent, FeedOptions options) {
        Objects.requireNonNull(options, "options");
        claimFeed();
        PublisherFeed.<T>start(
                engine,
                publisher,
                toEvent,
                options.lowWaterMark(),
                options.finalEvent().orElse(null),
                options.errorEvent().orElse(null));
    }

    /**
     * Feeds this stream from {@code events}, pulled on {@link EventStreamConfig#feedExecutor()} (by
     * default a virtual thread on JDK 21 and later, a shared pool of 16 threads on JDK 17), with the
     * rules of {@link #feed(Flow.Publisher, FeedOptions)}: an event is pulled only while the queue is
     * below the low-water mark; above it the pulling task ends, and the queue's draining starts the
     * next, so a blocked client holds no thread. Returns at once.
     *
     * <pre>{@code
     * Stream<String> lines = Files.lines(Path.of("/var/log/app.log"));
     * stream.feed(lines.map(Event::of), FeedOptions.defaults());   // the file is closed when the stream is
     * }</pre>
     *
     * <p>A body of sse-client's {@code EventBodyHandlers.ofStream()} relays another event stream:
     * closing this stream then cancels the upstream request.
     *
     * <p>When the stream closes for any reason, {@code events} is closed (which releases what it
     * reads from; an {@code EventBodyHandlers.ofStream()} body cancels its request) and a thread
     * blocked in it is interrupted. When it ends, it is closed and the stream closes after {@link
     * FeedOptions#finalEvent()}; when an operation of it throws, after {@link
     * FeedOptions#errorEvent()}.
     *
     * @throws IllegalStateException if the stream already has a feed
     */
    public void feed(Stream<? extends Event> events, FeedOptions options) {
        Objects.requireNonNull(events, "events");
        pull(events::iterator, events, options);
    }

    /**
     * Feeds this stream from {@code events}, as {@link #feed(Stream, FeedOptions)} does; an iterator
     * that is {@link AutoCloseable} is closed when the feed ends.
     *
     * <pre>{@code
     * stream.feed(List.of(Event.of("a"), Event.of("b")).iterator(), FeedOptions.defaults().withFinalEvent(Event.of("end")));
     * }</pre>
     *
     * @throws IllegalStateException if the stream already has a feed
     */
    public void feed(Iterator<? extends Event> events, FeedOptions options) {
        Objects.requireNonNull(events, "events");
        pull(() -> events, events instanceof AutoCloseable closeable ? closeable : null, options);
    }

    /**
     * Starts an iterator feed; {@code events} is asked for the iterator only once the feed is
     * claimed, since a {@code Stream} gives one iterator in its life.
     */
    private void pull(
            Supplier<? extends Iterator<? extends Event>> events, @Nullable AutoCloseable source, FeedOptions options) {
        Objects.requireNonNull(options, "options");
        claimFeed();
        IteratorFeed.start(
                engine,
                events.get(),
                source,
                feedExecutor,
                options.lowWaterMark(),
                options.finalEvent().orElse(null),
                options.errorEvent().orElse(null));
    }

    private void claimFeed() {
        if (!engine.claimFeed()) {
            throw new IllegalStateException("this stream already has a feed; a stream is fed from one source");
        }
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
