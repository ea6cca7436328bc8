package io.sseline.servlet.internal;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that write the streams of one {@code EventStreams}: a stream with bytes to write is
 * {@link #submit submitted} once, and a writer thread writes everything the stream has queued by then.
 * A sender thus only queues: sending one event to 10,000 streams costs the sender 10,000 queue
 * insertions, and a stream that receives several events while it waits for its turn sends them in one
 * write, which is what makes a broadcast's writes cheap.
 *
 * <pre>{@code
 * WriterPool writers = WriterPool.create(2);
 * Runnable write = () -> System.out.println("writes on " + Thread.currentThread().getName());
 * if (!writers.submit(write)) {
 *     write.run();   // the pool has stopped: write on this thread
 * }
 * writers.shutdown(Duration.ofSeconds(5));
 * }</pre>
 *
 * <p>At most {@code threads} daemon threads ({@code sseline-writer}), started when work arrives
 * and ended after {@link #KEEP_ALIVE_SECONDS} seconds without any; tasks run in the order submitted
 * by the first free thread. A task must not block (writes are non-blocking) and must not throw.
 * Thread-safe.
 */
public final class WriterPool {
    /** How long an idle writer thread waits for work before it ends. */
    static final long KEEP_ALIVE_SECONDS = 30;

    private static final System.Logger LOG = System.getLogger(WriterPool.class.getName());

    private final int maxWorkers;
    private final ConcurrentLinkedQueue<Runnable> ready = new ConcurrentLinkedQueue<>();
    /** Workers running or about to: each takes tasks until the queue is empty. */
    private final AtomicInteger workers = new AtomicInteger();

    private final ThreadPoolExecutor threads;
    /**
     * This pool's threads, and perhaps a few that have ended since the last one was made: what {@link
     * #shutdown} waits for.
     */
    private final Set<Thread> own = ConcurrentHashMap.newKeySet();

    private final Runnable worker = this::work;

    private WriterPool(int maxWorkers) {
        this.maxWorkers = maxWorkers;
        AtomicInteger count = new AtomicInteger();
        this.threads = new ThreadPoolExecutor(
                maxWorkers, maxWorkers, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread thread = new Thread(r, "sseline-writer-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    own.removeIf(ended -> !ended.isAlive()); // threads end after KEEP_ALIVE_SECONDS idle
                    own.add(thread);
                    return thread;
                });
        this.threads.allowCoreThreadTimeOut(true);
    }

    /** A pool of at most {@code threads} writer threads. */
    public static WriterPool create(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        return new WriterPool(threads);
    }

    /**
     * The writer threads an {@code EventStreams} uses: one per two processors, at least one and at
     * most four. Writes are short system calls that never block, and the processors left over serve
     * the application, the container's own I/O and the clients on the same machine; on two shared
     * processors one writer thread both coalesced more and delivered faster than two (BENCHMARKS.md).
     */
    public static int defaultThreads() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 2));
    }

    /**
     * Runs {@code task} on a writer thread; false, without running it, once the pool has shut down,
     * in which case the caller runs it.
     */
    public boolean submit(Runnable task) {
        if (threads.isShutdown()) {
            return false;
        }
        ready.add(task);
        int running;
        while ((running = workers.get()) < maxWorkers) {
            if (workers.compareAndSet(running, running + 1)) {
                try {
                    threads.execute(worker);
                } catch (RejectedExecutionException stopped) {
                    workers.decrementAndGet();
                    // Shut down since the check above, perhaps after shutdown() ran what was waiting:
                    // unless shutdown() took the task, hand it back to the caller.
                    if (ready.remove(task)) {
                        return false;
                    }
                }
                break;
            }
        }
        return true;
    }

    /**
     * Stops taking tasks, runs on this thread the tasks still waiting, and waits up to {@code maxWait}
     * for every writer thread to end: a web application that is stopped or redeployed must leave no
     * thread behind that still runs its classes. Returns whether they all ended (at once if none ran).
     * Called on a writer thread of this pool (a close handler that shuts its {@code EventStreams}
     * down), it cannot wait for its own thread, and waits for the others only. Idempotent.
     */
    public boolean shutdown(Duration maxWait) {
        threads.shutdown();
        Runnable task;
        while ((task = ready.poll()) != null) {
            run(task);
        }
        long deadline = System.nanoTime() + maxWait.toNanos();
        Thread self = Thread.currentThread();
        try {
            if (!own.contains(self) && !threads.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                return false;
            }
            // Terminated means no task runs any more; a thread may still be on its way out. Join each,
            // so that none is alive when this returns.
            for (Thread thread : List.copyOf(own)) {
                if (thread != self) {
                    TimeUnit.NANOSECONDS.timedJoin(thread, Math.max(1, deadline - System.nanoTime()));
                    if (thread.isAlive()) {
                        return false;
                    }
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether {@link #shutdown} has begun. */
    boolean isShutdown() {
        return threads.isShutdown();
    }

    /** Whether the pool has shut down and every one of its threads has ended. */
    boolean isTerminated() {
        return threads.isTerminated();
    }

    @Override
    public String toString() {
        return "WriterPool{threads=" + maxWorkers + ", waiting=" + ready.size() + "}";
    }

    private void work() {
        while (true) {
            Runnable task;
            while ((task = ready.poll()) != null) {
                run(task);
            }
            workers.decrementAndGet();
            // A task submitted after the last poll, while this worker still counted as running, started
            // no worker: take it on, unless another worker already has.
            int running;
            do {
                running = workers.get();
                if (ready.isEmpty() || running >= maxWorkers) {
                    return;
                }
            } while (!workers.compareAndSet(running, running + 1));
        }
    }

    private static void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a stream's write failed unexpectedly", e);
        }
    }
}
