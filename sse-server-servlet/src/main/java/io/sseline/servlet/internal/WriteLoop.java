package io.sseline.servlet.internal;

import io.sseline.servlet.CloseReason;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Writes one stream's queued bytes to the container with non-blocking servlet I/O, and hears from
 * the container what happens to the response.
 *
 * <p>{@link StreamEngine} drives it: {@link #start} once the stream is registered, then for each
 * event it queues, {@link #claim()} under the lock and, if that took the writer's role, {@link
 * #dispatch()} after releasing the lock, which hands the role to a thread of the {@link WriterPool}.
 *
 * <p><b>The writer's role.</b> One thread at a time owns the output; it alone calls {@code isReady},
 * {@code write} and {@code flush}. The role is taken by {@link #claim()} while {@code writing} is
 * false and then waits in the pool ({@code scheduled}) until a writer thread runs it; or by the
 * container's {@code onWritePossible}; or, from a role still waiting in the pool, by a sender whose
 * queue has grown large ({@link #takeOver()}), so that a sender faster than the writer threads writes
 * itself rather than fill the queue. The owner writes what is queued while the container says the
 * output {@link ServletOutputStream#isReady() is ready}, several queued events as one write, and
 * flushes once the queue is empty (unless the container's writes send at once; see {@link
 * ContainerOutput}). When {@code isReady()} says no, the role passes to the container's
 * next {@code onWritePossible}; when nothing is left after a flush, it is released at once (the next
 * owner asks {@code isReady()} before it writes), and the next send claims it.
 * Because a stream waits its turn in the pool while further events are queued, a stream that receives
 * events faster than one write per event sends them together.
 *
 * <p><b>The end of a response.</b> The container recycles a response's objects for other requests
 * once it is complete, so no call on the output may be under way when the stream completes: each
 * call is marked ({@code outputUser}), and {@link #awaitIdle()} waits for it. Container callbacks that
 * say the response is gone (an error, completion, the timeout) end the stream through {@link
 * Stream#closeNow}; so does a failed write.
 *
 * <p>Every field but {@code dirty} is guarded by the lock the owning {@link StreamEngine} passes in,
 * which also guards the queue and the stream's state.
 */
final class WriteLoop implements WriteListener, AsyncListener {
    private static final System.Logger LOG = System.getLogger(WriteLoop.class.getName());
    /** How long completing waits for a write under way on another thread; see awaitIdle. */
    private static final long OUTPUT_IDLE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** What the loop needs from the stream it writes for. */
    interface Stream {
        /** Whether the stream has ended. Called holding the lock. */
        boolean isEnded();

        /** Whether the stream takes no more events and ends once its queue is written. Holding the lock. */
        boolean isClosing();

        /** Ends the stream at once, discarding what is queued; the first call wins. Not holding the lock. */
        void closeNow(CloseReason reason, boolean completeResponse);

        /**
         * Bytes were taken from the queue: returns what to run once the lock is released (the stream's
         * low-water signal), or null. Holding the lock.
         */
        @Nullable
        Runnable tookFromQueue();
    }

    // Set at construction, never changed.
    private final Object lock;
    private final ServletOutputStream out;
    /** How bytes reach out: shared by every output of its class. */
    private final ContainerOutput output;

    private final OutboundQueue queue;
    private final Stream stream;
    private final WriterPool writers;
    /** What a writer thread runs: {@link #runScheduled()}, made once. */
    private final Runnable scheduledWrite = this::runScheduled;

    // Guarded by lock.
    /**
     * True while one thread owns the output (it alone calls isReady, write and flush), or the role
     * waits in the pool for a writer thread.
     */
    private boolean writing;
    /** Set while the role waits in the pool; whoever clears it under the lock owns the output. */
    private boolean scheduled;
    /** The thread inside a call on the output right now, if any. */
    private @Nullable Thread outputUser;
    /** Set when isReady() said no: the writer's role passed to the container's next onWritePossible. */
    private boolean awaitingContainer;
    /** Set when onWritePossible found another thread writing; see onWritePossible(). */
    private boolean writePossibleMissed;

    // Touched by the thread that owns the output only.
    /** Bytes written since the last flush that may wait in the container's buffer. */
    private boolean dirty;

    WriteLoop(Object lock, ServletOutputStream out, OutboundQueue queue, Stream stream, WriterPool writers) {
        this.lock = lock;
        this.out = out;
        this.output = ContainerOutput.of(out);
        this.queue = queue;
        this.stream = stream;
        this.writers = writers;
        // The container calls onWritePossible first; until then it owns the output.
        this.writing = true;
        this.awaitingContainer = true;
    }

    /** Registers the container callbacks; called once, when the stream opens. */
    void start(AsyncContext async) {
        async.addListener(this);
        out.setWriteListener(this);
    }

    /**
     * Takes the writer's role if no one holds it; the caller must then call {@link #dispatch()}. Holds
     * lock.
     */
    boolean claim() {
        if (writing) {
            return false; // the current writer takes what was queued
        }
        writing = true;
        scheduled = true;
        return true;
    }

    /**
     * Hands the role that {@link #claim()} took to a writer thread, or writes on this thread if the
     * pool has stopped. Not holding lock.
     */
    void dispatch() {
        if (!writers.submit(scheduledWrite)) {
            runScheduled();
        }
    }

    /**
     * Takes the role from the pool if it waits there and no thread has begun: the caller then calls
     * {@link #drain()}, and the pool's turn finds nothing to do. Holds lock.
     */
    boolean takeOver() {
        if (!scheduled) {
            return false;
        }
        scheduled = false;
        return true;
    }

    /**
     * Whether a thread owns the output, or a writer thread or the container's next onWritePossible
     * will. Holds lock.
     */
    boolean isWriting() {
        return writing;
    }

    /**
     * Writes queued bytes while the container is ready. Called only by the thread that owns the output
     * ({@code writing == true}); returns with ownership passed on to the container (when it is not
     * ready) or released.
     */
    void drain() {
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
                Runnable lowWater = null;
                synchronized (lock) {
                    if (stream.isEnded()) {
                        writing = false;
                        return;
                    }
                    chunk = queue.take();
                    if (chunk != null) {
                        lowWater = stream.tookFromQueue();
                    }
                    finished = chunk == null && !dirty;
                    if (finished) {
                        writing = false;
                        if (!stream.isClosing()) {
                            return;
                        }
                    } else {
                        outputUser = Thread.currentThread();
                    }
                }
                if (finished) {
                    stream.closeNow(CloseReason.CLOSED, true); // closing and everything sent: keeps its reason
                    return;
                }
                if (lowWater != null) {
                    lowWater.run(); // may queue more; this writer takes it on its next turn
                }
                try {
                    if (chunk != null) {
                        output.write(out, chunk);
                        dirty = output.needsFlush();
                    } else {
                        dirty = false;
                        out.flush();
                    }
                } finally {
                    releaseOutput();
                }
                if (!dirty && releaseIfNothingLeft()) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            stream.closeNow(CloseReason.CLIENT_GONE, true);
        }
    }

    /**
     * After a flush, or a write that needs none, releases the writer's role if nothing is queued and
     * the stream stays open, without asking the container whether the output is ready: the next
     * writer asks before it writes, and a write still under way then hands it to the container's
     * onWritePossible. Asking here instead would cost every stream one more call per event, and on a
     * container that has not finished the write yet, one more dispatch of onWritePossible to find
     * nothing to write. A closing stream still asks, so that it completes only once the write is done.
     * Returns whether it released the role.
     */
    private boolean releaseIfNothingLeft() {
        synchronized (lock) {
            if (!queue.isEmpty() || stream.isClosing() || stream.isEnded()) {
                return false;
            }
            writing = false;
            writePossibleMissed = false;
            return true;
        }
    }

    /**
     * Waits until no other thread is inside a call on the output. Called once the stream has ended,
     * so no new call starts. Such calls do not block (non-blocking I/O), so the wait is short; it is
     * bounded all the same, in case a container holds a lock that the call needs while it reports an
     * error to us. Holds lock.
     */
    void awaitIdle() {
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

    /** A writer thread's turn: writes, unless a sender took the role over meanwhile. */
    private void runScheduled() {
        synchronized (lock) {
            if (!scheduled) {
                return; // taken over, or run already by an earlier turn of this stream
            }
            scheduled = false;
        }
        drain();
    }

    /**
     * The container's onWritePossible: resumes the writer that isReady() stopped, or becomes the
     * writer if there is none. A call while another thread writes (containers may call it more often
     * than the specification requires) is ignored, so that two threads never write at once.
     */
    @Override
    public void onWritePossible() {
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

    @Override
    public void onError(Throwable t) {
        stream.closeNow(CloseReason.CLIENT_GONE, true);
    }

    @Override
    public void onComplete(AsyncEvent event) {
        stream.closeNow(CloseReason.CLIENT_GONE, false);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        stream.closeNow(CloseReason.TIMEOUT, true);
    }

    @Override
    public void onError(AsyncEvent event) {
        stream.closeNow(CloseReason.CLIENT_GONE, true);
    }

    @Override
    public void onStartAsync(AsyncEvent event) {}

    /**
     * Marks this thread as inside a call on the output, unless the stream has ended. The container
     * recycles a response's objects for other requests once it is complete, so no call may be under
     * way when the stream completes; see {@link #awaitIdle()}.
     */
    private boolean claimOutput() {
        synchronized (lock) {
            if (stream.isEnded()) {
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
}
