package io.sseline.servlet.internal;

import io.sseline.servlet.CloseReason;
import io.sseline.servlet.SlowConsumerPolicy;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The engine behind one event stream: its life (open, closing, closed, exactly once), its close
 * handlers, heartbeats and close timeout. The bytes wait in an {@link OutboundQueue}; a {@link
 * WriteLoop} writes them. The public {@code EventStream} only delegates here, and the engine reports
 * back through its {@link StreamOwner}, so calls run one way: from the public types to the engine.
 *
 * <pre>{@code
 * // Face: the application's object for the stream, made from the engine (EventStreams makes an EventStream)
 * StreamEngine<Face> engine = StreamEngine.open(owner, async, response.getOutputStream(), writers,
 *         256 * 1024, SlowConsumerPolicy.DISCONNECT, Face::new);
 * engine.start();
 * engine.send(bytes);                              // from any thread, never blocks: a writer thread writes
 * engine.closeGracefully(null, CloseReason.CLOSED);
 * }</pre>
 *
 * <p><b>Threading.</b> Every method is thread-safe and none blocks, but {@link #closeNow} may wait
 * up to a second for a write under way on another thread. One lock guards the engine's state, its
 * queue and its write loop's flags; no callback (close handlers, the owner) runs while it is held.
 * A send only queues, and the {@link WriterPool} writes; except that a sender whose stream has more
 * than {@link #takeOverBytes} queued while its turn still waits in the pool writes itself, so that
 * a sender that outruns the writer threads is slowed down instead of filling the queue until the
 * slow-consumer policy cuts a client that reads well.
 *
 * @param <S> the stream as applications see it, passed to close handlers and the owner
 */
public final class StreamEngine<S> {
    private static final System.Logger LOG = System.getLogger(StreamEngine.class.getName());
    /** The empty comment of a heartbeat, shared by every stream. */
    private static final byte[] HEARTBEAT = OutboundQueue.HEARTBEAT;

    private enum State {
        OPEN,
        /** No more sends; the writer completes the response once the queue is empty. */
        CLOSING,
        CLOSED
    }

    // Set when the engine is made, never changed. A stream that never opened has no async context
    // and no writer.
    private final StreamOwner<S> owner;
    private final @Nullable AsyncContext async;
    private final @Nullable WriteLoop writer;
    private final S stream;
    /** Past this many queued bytes, a sender writes instead of waiting for a writer thread. */
    private final int takeOverBytes;

    // Guarded by lock, as are the queue's contents and the writer's flags.
    private final Object lock = new Object();
    private final OutboundQueue queue;
    /**
     * The first close handler, held without a list: most streams have one (the hub's), and an idle
     * stream should carry nothing it does not need. Further handlers go to moreCloseHandlers.
     */
    private @Nullable BiConsumer<? super S, CloseReason> closeHandler;

    private @Nullable List<BiConsumer<? super S, CloseReason>> moreCloseHandlers;
    /** Set by the first feed; a stream has one. */
    private boolean fed;

    private State state = State.OPEN;
    /** The reason a CLOSING stream will end with; the reason it ended with once CLOSED. */
    private CloseReason closeReason = CloseReason.CLOSED;

    private boolean sentSinceHeartbeat;
    /** Cuts a CLOSING stream whose client does not read what is left. */
    private @Nullable ScheduledFuture<?> closeTimer;
    /** Runs once when the queue holds fewer than lowWaterMark bytes; see whenQueuedBelow. */
    private @Nullable Runnable lowWaterAction;

    private int lowWaterMark;

    private StreamEngine(
            StreamOwner<S> owner,
            @Nullable AsyncContext async,
            @Nullable ServletOutputStream out,
            @Nullable WriterPool writers,
            OutboundQueue queue,
            @Nullable CloseReason endedFor,
            Function<StreamEngine<S>, S> face) {
        this.owner = owner;
        this.async = async;
        this.queue = queue;
        this.takeOverBytes = queue.maxBytes() / 4;
        this.writer =
                out == null || writers == null ? null : new WriteLoop(lock, out, queue, new WriterSide(), writers);
        if (endedFor != null) {
            this.state = State.CLOSED;
            this.closeReason = endedFor;
        }
        this.stream = face.apply(this);
    }

    /**
     * An open stream on {@code out}, of the response that {@code async} belongs to, written by {@code
     * writers}; {@code face} makes the application's object for it. Call {@link #start()} once it is
     * registered.
     */
    public static <S> StreamEngine<S> open(
            StreamOwner<S> owner,
            AsyncContext async,
            ServletOutputStream out,
            WriterPool writers,
            int maxQueuedBytes,
            SlowConsumerPolicy policy,
            Function<StreamEngine<S>, S> face) {
        return new StreamEngine<>(owner, async, out, writers, new OutboundQueue(maxQueuedBytes, policy), null, face);
    }

    /**
     * A stream that never opened, ended already for {@code reason}: it sends nothing, and its close
     * handlers run as they are registered.
     */
    public static <S> StreamEngine<S> ended(
            StreamOwner<S> owner, CloseReason reason, Function<StreamEngine<S>, S> face) {
        OutboundQueue none = new OutboundQueue(1, SlowConsumerPolicy.DISCONNECT); // never takes an event
        return new StreamEngine<>(owner, null, null, null, none, Objects.requireNonNull(reason, "reason"), face);
    }

    /** The application's object for this stream. */
    public S stream() {
        return stream;
    }

    /** Registers the container callbacks; called once, after the owner registered the stream. */
    public void start() {
        Objects.requireNonNull(writer, "writer").start(Objects.requireNonNull(async, "async"));
    }

    /**
     * Queues {@code bytes}, one complete event block, for a writer thread; see the type's description
     * for when the calling thread writes instead. Returns false if the stream is closing or closed, or
     * the slow-consumer policy refused the event.
     */
    public boolean send(byte[] bytes) {
        WriteLoop w = writer;
        boolean dispatch = false;
        boolean drainHere = false;
        synchronized (lock) {
            if (state != State.OPEN || w == null) {
                return false;
            }
            if (queue.offer(bytes)) {
                sentSinceHeartbeat = true;
                if (w.claim()) {
                    dispatch = true;
                } else if (queue.bytes() > takeOverBytes && w.takeOver()) {
                    drainHere = true;
                } else {
                    return true; // the current writer, or the one waiting in the pool, takes it
                }
            }
        }
        if (dispatch) {
            w.dispatch();
            return true;
        }
        if (drainHere) {
            w.drain();
            return true;
        }
        slowConsumer();
        return false;
    }

    /**
     * Queues {@code bytes}, one complete event block, if the queue has room for it, for a writer
     * thread. Unlike {@link #send}, an event that does not fit is not the client's fault: no
     * slow-consumer policy applies, and the caller keeps it (a feed that waits for {@link
     * #whenQueuedBelow}). Returns false if the stream is not open or the event does not fit.
     */
    public boolean sendIfRoom(byte[] bytes) {
        WriteLoop w = writer;
        synchronized (lock) {
            if (state != State.OPEN || w == null || !queue.offerIfRoom(bytes)) {
                return false;
            }
            sentSinceHeartbeat = true;
            if (!w.claim()) {
                return true; // the current writer, or the one waiting in the pool, takes it
            }
        }
        // Handed to the pool, never written here: the role claimed waits there as "scheduled", and a
        // sender's takeOver() may take a scheduled role at any time, so a write on this thread would
        // race that sender's.
        w.dispatch();
        return true;
    }

    /**
     * Runs {@code action} once, as soon as the queue holds fewer than {@code bytes} bytes: at once (on
     * this thread) if it does already, otherwise on the thread that writes the queue out, right after
     * it took bytes from the queue, with no lock held. The signal a feed waits for to produce more;
     * one action at a time, replacing one registered before. Never runs once the stream has ended.
     * The action must not throw and must not block.
     */
    public void whenQueuedBelow(int bytes, Runnable action) {
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            if (queue.bytes() >= bytes) {
                lowWaterMark = bytes;
                lowWaterAction = action;
                return;
            }
        }
        action.run();
    }

    /** The most bytes the queue holds for a client that has not read them yet. */
    public int maxQueuedBytes() {
        return queue.maxBytes();
    }

    /**
     * Stops accepting events and ends the stream once the client has read what is queued ({@code
     * finalEvent} last, if it fits), or after the owner's close timeout; ignored unless open.
     */
    public void closeGracefully(byte @Nullable [] finalEvent, CloseReason reason) {
        WriteLoop w = writer;
        boolean now = false;
        boolean dispatch = false;
        synchronized (lock) {
            if (state != State.OPEN || w == null) {
                return;
            }
            if (finalEvent != null) {
                queue.offerIfRoom(finalEvent);
            }
            state = State.CLOSING;
            closeReason = reason;
            if (!w.isWriting()) {
                if (queue.isEmpty()) {
                    now = true;
                } else {
                    dispatch = w.claim();
                }
            }
        }
        if (now) {
            closeNow(reason, true);
            return;
        }
        ScheduledFuture<?> timer = owner.scheduleCloseTimeout(() -> closeNow(CloseReason.CLOSED, true));
        synchronized (lock) {
            if (state != State.CLOSED) {
                closeTimer = timer;
                timer = null;
            }
        }
        if (timer != null) {
            timer.cancel(false);
        }
        if (dispatch) {
            w.dispatch();
        }
    }

    /** Ends the stream at once, discarding what is queued; the first call wins. */
    public void closeNow(CloseReason reason, boolean completeResponse) {
        BiConsumer<? super S, CloseReason> first;
        List<BiConsumer<? super S, CloseReason>> more;
        CloseReason ended;
        ScheduledFuture<?> timer;
        synchronized (lock) {
            if (state == State.CLOSED) {
                // Another thread closed it; the container must not recycle the response either while
                // a write is under way, so this caller waits too.
                awaitOutputIdle();
                return;
            }
            if (state == State.OPEN) {
                closeReason = reason; // a CLOSING stream keeps the reason it was closed for
            }
            state = State.CLOSED;
            ended = closeReason;
            queue.clear();
            first = closeHandler;
            more = moreCloseHandlers;
            closeHandler = null;
            moreCloseHandlers = null;
            lowWaterAction = null;
            timer = closeTimer;
            closeTimer = null;
            awaitOutputIdle();
        }
        if (timer != null) {
            timer.cancel(false);
        }
        if (completeResponse && async != null) {
            try {
                async.complete();
            } catch (RuntimeException alreadyCompleted) {
                // The container ended the request first; nothing left to complete.
            }
        }
        owner.closed(this, ended);
        try {
            if (first != null) {
                runHandler(first, ended);
            }
            if (more != null) {
                for (BiConsumer<? super S, CloseReason> handler : more) {
                    runHandler(handler, ended);
                }
            }
        } finally {
            owner.closeHandlersRan(this);
        }
    }

    /** Runs {@code handler} once when the stream ends; at once if it already has. */
    public void onClose(BiConsumer<? super S, CloseReason> handler) {
        CloseReason reason;
        synchronized (lock) {
            if (state != State.CLOSED) {
                if (closeHandler == null) {
                    closeHandler = handler;
                } else {
                    if (moreCloseHandlers == null) {
                        moreCloseHandlers = new ArrayList<>(2);
                    }
                    moreCloseHandlers.add(handler);
                }
                return;
            }
            reason = closeReason;
        }
        runHandler(handler, reason);
    }

    /** Whether the stream still accepts events. */
    public boolean isOpen() {
        synchronized (lock) {
            return state == State.OPEN;
        }
    }

    /** Why the stream ended, or empty while it has not. */
    public Optional<CloseReason> closeReason() {
        synchronized (lock) {
            return state == State.CLOSED ? Optional.of(closeReason) : Optional.empty();
        }
    }

    /** Bytes queued that the container has not yet accepted. */
    public int queuedBytes() {
        synchronized (lock) {
            return queue.bytes();
        }
    }

    /** How many events {@link SlowConsumerPolicy#DROP} has dropped. */
    public long droppedCount() {
        synchronized (lock) {
            return queue.droppedCount();
        }
    }

    /** Marks the stream as fed; false if a feed had already claimed it. */
    public boolean claimFeed() {
        synchronized (lock) {
            if (fed) {
                return false;
            }
            fed = true;
            return true;
        }
    }

    /**
     * Adds what this stream has written to {@code counts}: events and bytes taken from the queue for
     * the container, and the most bytes it had queued. Once the stream has ended these no longer
     * change.
     */
    public void addCountsTo(StreamCounts counts) {
        synchronized (lock) {
            counts.add(queue.takenEvents(), queue.takenBytes(), queue.peakBytes());
        }
    }

    /** The state and the bytes queued, for {@code toString}: {@code "OPEN, queued=12 bytes"}. */
    public String status() {
        synchronized (lock) {
            return state + ", queued=" + queue.bytes() + " bytes";
        }
    }

    /** Sends a heartbeat comment if nothing was sent since the last call and nothing is waiting. */
    public void heartbeat() {
        synchronized (lock) {
            boolean idle = !sentSinceHeartbeat && queue.isEmpty();
            sentSinceHeartbeat = false;
            if (!idle || state != State.OPEN) {
                return;
            }
        }
        send(HEARTBEAT);
        synchronized (lock) {
            sentSinceHeartbeat = false;
        }
    }

    @Override
    public String toString() {
        return "StreamEngine{" + status() + "}";
    }

    private void slowConsumer() {
        SlowConsumerPolicy policy = queue.overflowPolicy();
        owner.slowConsumer(this, policy);
        if (policy == SlowConsumerPolicy.DISCONNECT) {
            closeNow(CloseReason.SLOW_CONSUMER, true);
        }
    }

    /** Waits until no other thread writes to the output; see {@link WriteLoop#awaitIdle()}. Holds lock. */
    private void awaitOutputIdle() {
        if (writer != null) {
            writer.awaitIdle();
        }
    }

    private void runHandler(BiConsumer<? super S, CloseReason> handler, CloseReason reason) {
        try {
            handler.accept(stream, reason);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a close handler failed; the stream is closed anyway", e);
        }
    }

    /** The stream's state as the write loop sees it, kept off the engine's own methods. */
    private final class WriterSide implements WriteLoop.Stream {
        @Override
        public boolean isEnded() {
            return state == State.CLOSED;
        }

        @Override
        public boolean isClosing() {
            return state == State.CLOSING;
        }

        @Override
        public void closeNow(CloseReason reason, boolean completeResponse) {
            StreamEngine.this.closeNow(reason, completeResponse);
        }

        @Override
        public @Nullable Runnable tookFromQueue() {
            Runnable action = lowWaterAction;
            if (action == null || queue.bytes() >= lowWaterMark) {
                return null;
            }
            lowWaterAction = null;
            return action;
        }
    }
}
