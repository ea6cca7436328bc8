package io.sseline.client.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs tasks one at a time, in the order they were submitted, on an underlying executor. A task
 * submitted while another runs (from another thread, or from inside that task) waits for it, so the
 * tasks never overlap and each sees what the previous one did. With a direct executor, the thread that
 * finds the queue idle runs the queued tasks until it is empty.
 */
public final class SerialExecutor implements Executor {
    private static final System.Logger LOG = System.getLogger(SerialExecutor.class.getName());

    private final Executor delegate;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Tasks submitted and not yet accounted for by the draining thread; non-zero while one drains. */
    private final AtomicInteger pending = new AtomicInteger();

    public SerialExecutor(Executor delegate) {
        this.delegate = delegate;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (pending.getAndIncrement() == 0) {
            try {
                delegate.execute(this::drain);
            } catch (RejectedExecutionException e) {
                LOG.log(System.Logger.Level.WARNING, "callback executor refused a task; running it on the caller", e);
                drain();
            }
        }
    }

    private void drain() {
        int missed = 1;
        do {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                try {
                    task.run();
                } catch (RuntimeException e) { // callbacks are wrapped already; this is a last resort
                    LOG.log(System.Logger.Level.ERROR, "event source task failed", e);
                }
            }
            missed = pending.addAndGet(-missed);
        } while (missed != 0);
    }
}
