package io.sseline.servlet;

import io.sseline.core.Event;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * bytes to a bounded per-stream queue and returns. Whichever thread finds the stream's writer idle
 * writes what is queued while the container says the response {@link
 * ServletOutputStream#isReady() is ready}, several queued events as one write; when the client falls
 * behind, the container's {@link WriteListener} resumes on a container thread. Only one thread writes
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
    private static final System.Logger LOG = System.getLogger(EventStream.class.getName());
    /** Several queued chunks are copied into one write of up to this many bytes. */
    private static final int MAX_COALESCED_WRITE = 64 * 1024;
    /** How long closing waits for a write under way on another thread; see awaitOutputIdle. */
    private static final long OUTPUT_IDLE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

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

    private enum State {
        OPEN,
        /** No more sends; the writer completes the response once the queue is empty. */
        CLOSING,
        CLOSED
    }

    // Set when the stream opens, never changed. A stream that never opened has neither.
    private final EventStreams owner;
    private final @Nullable AsyncContext async;
    private final @Nullable ServletOutputStream out;
    private final String lastEventId;
    private final int maxQueuedBytes;
    private final SlowConsumerPolicy policy;

    // Guarded by lock.
    private final Object lock = new Object();
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private final List<CloseHandler> closeHandlers = new ArrayList<>(2);
    private int queuedBytes;
    /** True while one thread owns the output: it alone calls isReady, write and flush. */
    private boolean writing;
    /** The thread inside a call on the output right now, if any. */
    private @Nullable Thread outputUser;
    /** Set when isReady() said no: the writer's role passed to the container's next onWritePossible. */
    private boolean awaitingContainer;
    /** Set when onWritePossible found another thread writing; see writePossible(). */
    private boolean writePossibleMissed;

    private State state = State.OPEN;
    /** The reason a CLOSING stream will end with; the reason it ended with once CLOSED. */
    private CloseReason closeReason = CloseReason.CLOSED;

    private boolean sentSinceHeartbeat;
    /** Cuts a CLOSING stream whose client does not read what is left. */
    private @Nullable ScheduledFuture<?> closeTimer;

    // Touched by the thread that owns the output only.
    /** Bytes written since the last flush. */
    private boolean dirty;

    private final AtomicLong dropped = new AtomicLong();

    EventStream(EventStreams owner, AsyncContext async, ServletOutputStream out, String lastEventId) {
        this.owner = owner;
        this.async = async;
        this.out = out;
        this.lastEventId = lastEventId;
        this.maxQueuedBytes = owner.config().maxQueuedBytes();
        this.policy = owner.config().slowConsumerPolicy();
        // The container calls onWritePossible first; until then it owns the output.
        this.writing = true;
        this.awaitingContainer = true;
    }

    /** A stream that never opened, already closed for {@code reason}; see {@link EventStreams#open}. */
    private EventStream(EventStreams owner, String lastEventId, CloseReason reason) {
        this.owner = owner;
        this.async = null;
        this.out = null;
        this.lastEventId = lastEventId;
        this.maxQueuedBytes = owner.config().maxQueuedBytes();
        this.policy = owner.config().slowConsumerPolicy();
        this.state = State.CLOSED;
        this.closeReason = reason;
    }

    static EventStream ended(EventStreams owner, String lastEventId, CloseReason reason) {
        return new EventStream(owner, lastEventId, reason);
    }

    /** Registers the container callbacks; called once by {@link EventStreams#open}. */
    void start() {
        Callbacks callbacks = new Callbacks();
        Objects.requireNonNull(async, "async").addListener(callbacks);
        Objects.requireNonNull(out, "out").setWriteListener(callbacks);
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

    /** Queues a comment, which the client ignores; see {@link #send(Event)}. */
    public boolean comment(String text) {
        return send(SerializedEvent.comment(text));
    }

    /** Queues an event serialized earlier, sharing its bytes; see {@link #send(Event)}. */
    public boolean send(SerializedEvent event) {
        Objects.requireNonNull(event, "event");
        byte[] bytes = event.bytes();
        boolean drainNow;
        synchronized (lock) {
            if (state != State.OPEN) {
                return false;
            }
            // An event larger than the whole bound still goes through an empty queue, so that it can
            // be sent at all; the queue then holds that one event.
            boolean overflow = queuedBytes > 0 && bytes.length > maxQueuedBytes - queuedBytes;
            if (overflow) {
                if (policy == SlowConsumerPolicy.DROP) {
                    dropped.incrementAndGet();
                }
                drainNow = false;
            } else {
                queue.add(bytes);
                queuedBytes += bytes.length;
                sentSinceHeartbeat = true;
                if (writing) {
                    return true; // the current writer takes it
                }
                writing = true;
                drainNow = true;
            }
        }
        if (drainNow) {
            drain();
            return true;
        }
        slowConsumer();
        return false;
    }

    /**
     * Closes the stream after the client has read what is queued, or after {@link
     * EventStreamConfig#closeTimeout()} at the latest, with {@link CloseReason#CLOSED}. Idempotent.
     */
    public void close() {
        closeGracefully(null, CloseReason.CLOSED);
    }

    /** Queues {@code finalEvent}, then closes as {@link #close()} does. Ignored if already closing. */
    public void close(Event finalEvent) {
        closeGracefully(SerializedEvent.of(finalEvent), CloseReason.CLOSED);
    }

    /** Registers {@code handler} to run once when the stream ends; at once if it already has. */
    public void onClose(CloseHandler handler) {
        Objects.requireNonNull(handler, "handler");
        CloseReason reason;
        synchronized (lock) {
            if (state != State.CLOSED) {
                closeHandlers.add(handler);
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

    /**
     * Bytes queued that the container has not yet accepted: at most {@link
     * EventStreamConfig#maxQueuedBytes()}, or the size of one larger event.
     */
    public int queuedBytes() {
        synchronized (lock) {
            return queuedBytes;
        }
    }

    /** How many events {@link SlowConsumerPolicy#DROP} has dropped on this stream. */
    public long droppedCount() {
        return dropped.get();
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "EventStream{" + state + ", queued=" + queuedBytes + " bytes}";
        }
    }

    /** Sends a heartbeat comment if nothing was sent since the last call and nothing is waiting. */
    void heartbeat() {
        synchronized (lock) {
            boolean idle = !sentSinceHeartbeat && queue.isEmpty();
            sentSinceHeartbeat = false;
            if (!idle || state != State.OPEN) {
                return;
            }
        }
        send(SerializedEvent.heartbeat());
        synchronized (lock) {
            sentSinceHeartbeat = false;
        }
    }

    void closeGracefully(@Nullable SerializedEvent finalEvent, CloseReason reason) {
        boolean now = false;
        boolean drainNow = false;
        synchronized (lock) {
            if (state != State.OPEN) {
                return;
            }
            if (finalEvent != null && (queuedBytes == 0 || finalEvent.size() <= maxQueuedBytes - queuedBytes)) {
                queue.add(finalEvent.bytes());
                queuedBytes += finalEvent.size();
            }
            state = State.CLOSING;
            closeReason = reason;
            if (!writing) {
                if (queue.isEmpty()) {
                    now = true;
                } else {
                    writing = true;
                    drainNow = true;
                }
            }
        }
        if (now) {
            closeNow(reason, true);
            return;
        }
        ScheduledFuture<?> timer = owner.scheduleCloseTimeout(this);
        synchronized (lock) {
            if (state != State.CLOSED) {
                closeTimer = timer;
                timer = null;
            }
        }
        if (timer != null) {
            timer.cancel(false);
        }
        if (drainNow) {
            drain();
        }
    }

    /** Ends the stream at once, discarding what is queued; the first call wins. */
    void closeNow(CloseReason reason, boolean completeResponse) {
        List<CloseHandler> handlers;
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
            queuedBytes = 0;
            handlers = new ArrayList<>(closeHandlers);
            closeHandlers.clear();
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
        owner.closed(this);
        for (CloseHandler handler : handlers) {
            runHandler(handler, ended);
        }
    }

    private void slowConsumer() {
        owner.slowConsumerApplied(this, policy);
        if (policy == SlowConsumerPolicy.DISCONNECT) {
            closeNow(CloseReason.SLOW_CONSUMER, true);
        }
    }

    /**
     * Writes queued bytes while the container is ready. Called only by the thread that owns the output
     * ({@code writing == true}); returns with ownership passed on to the container (when it is not
     * ready) or released.
     */
    private void drain() {
        ServletOutputStream out = this.out;
        if (out == null) {
            return; // never opened: no sends reach here
        }
        try {
            while (true) {
                if (!claimOutput()) {
                    return;
                }
                boolean ready = false;
                boolean retry = false;
                try {
                    ready = out.isReady();
                } finally {
                    synchronized (lock) {
                        if (!ready && writePossibleMissed) {
                            retry = true; // onWritePossible came between isReady() and here
                        } else {
                            awaitingContainer = !ready;
                        }
                        writePossibleMissed = false;
                        releaseOutput();
                    }
                }
                if (retry) {
                    continue;
                }
                if (!ready) {
                    return; // the container calls onWritePossible, which resumes here
                }
                byte[] chunk;
                boolean finished;
                synchronized (lock) {
                    if (state == State.CLOSED) {
                        writing = false;
                        return;
                    }
                    chunk = takeChunk();
                    finished = chunk == null && !dirty;
                    if (finished) {
                        writing = false;
                        if (state == State.OPEN) {
                            return;
                        }
                    } else {
                        outputUser = Thread.currentThread();
                    }
                }
                if (finished) {
                    closeNow(CloseReason.CLOSED, true); // CLOSING and everything sent: keeps its reason
                    return;
                }
                try {
                    if (chunk != null) {
                        out.write(chunk);
                        dirty = true;
                    } else {
                        dirty = false;
                        out.flush();
                    }
                } finally {
                    releaseOutput();
                }
            }
        } catch (IOException | RuntimeException e) {
            closeNow(CloseReason.CLIENT_GONE, true);
        }
    }

    /**
     * Marks this thread as inside a call on the output, unless the stream has closed. The container
     * recycles a response's objects for other requests once it is complete, so no call may be under
     * way when the stream completes; see {@link #awaitOutputIdle()}.
     */
    private boolean claimOutput() {
        synchronized (lock) {
            if (state == State.CLOSED) {
                writing = false;
                return false;
            }
            outputUser = Thread.currentThread();
            return true;
        }
    }

    private void releaseOutput() {
        synchronized (lock) {
            if (outputUser == Thread.currentThread()) {
                outputUser = null;
                lock.notifyAll();
            }
        }
    }

    /**
     * The container's onWritePossible: resumes the writer that isReady() stopped, or becomes the
     * writer if there is none. A call while another thread writes (containers may call it more often
     * than the specification requires) is ignored, so that two threads never write at once.
     */
    private void writePossible() {
        synchronized (lock) {
            if (awaitingContainer) {
                awaitingContainer = false;
            } else if (!writing) {
                writing = true;
            } else {
                // Another thread is the writer. It may have just seen isReady() return false and not
                // yet handed over; tell it, so that it asks again rather than wait for a call that
                // has already happened.
                writePossibleMissed = true;
                return;
            }
        }
        drain();
    }

    /**
     * Waits until no other thread is inside a call on the output. Called once the stream is CLOSED, so
     * no new call starts. Such calls do not block (non-blocking I/O), so the wait is short; it is
     * bounded all the same, in case a container holds a lock that the call needs while it reports an
     * error to us. Holds lock.
     */
    private void awaitOutputIdle() {
        long deadline = System.nanoTime() + OUTPUT_IDLE_WAIT_NANOS;
        Thread user;
        while ((user = outputUser) != null && user != Thread.currentThread()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                LOG.log(System.Logger.Level.DEBUG, "completing while " + user.getName() + " still writes");
                return;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Removes the next write from the queue: one chunk, or several copied into one. Holds lock. */
    private byte @Nullable [] takeChunk() {
        byte[] first = queue.poll();
        if (first == null) {
            return null;
        }
        byte[] next = queue.peek();
        if (next == null || first.length + next.length > MAX_COALESCED_WRITE) {
            queuedBytes -= first.length;
            return first;
        }
        int size = first.length;
        int count = 0;
        for (byte[] b : queue) {
            if (size + b.length > MAX_COALESCED_WRITE) {
                break;
            }
            size += b.length;
            count++;
        }
        byte[] merged = new byte[size];
        System.arraycopy(first, 0, merged, 0, first.length);
        int pos = first.length;
        for (int i = 0; i < count; i++) {
            byte[] b = queue.poll();
            System.arraycopy(b, 0, merged, pos, b.length);
            pos += b.length;
        }
        queuedBytes -= size;
        return merged;
    }

    private void runHandler(CloseHandler handler, CloseReason reason) {
        try {
            handler.onClose(this, reason);
        } catch (RuntimeException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "close handler " + handler + " failed; the stream is closed anyway",
                    e);
        }
    }

    /** The container's callbacks, kept off the public type. */
    private final class Callbacks implements AsyncListener, WriteListener {
        @Override
        public void onWritePossible() {
            writePossible();
        }

        @Override
        public void onError(Throwable t) {
            closeNow(CloseReason.CLIENT_GONE, true);
        }

        @Override
        public void onComplete(AsyncEvent event) {
            closeNow(CloseReason.CLIENT_GONE, false);
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            closeNow(CloseReason.TIMEOUT, true);
        }

        @Override
        public void onError(AsyncEvent event) {
            closeNow(CloseReason.CLIENT_GONE, true);
        }

        @Override
        public void onStartAsync(AsyncEvent event) {}
    }
}
