package io.sseline.servlet.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where iterator feeds are pulled when the configuration names no executor: on JDK 17, one pool
 * shared by every stream of the application, of at most {@link #MAX_THREADS} daemon threads ({@code
 * sseline-feed-N}) that end after a minute idle; a feed beyond them waits its turn. The jar is
 * multi-release: on JDK 21 and later, the class of the same name in {@code META-INF/versions/21}
 * starts a virtual thread per pulling task instead, so an iterator that blocks holds no platform
 * thread. (A jar built on JDK 17 lacks that class; see the module's pom.)
 */
public final class FeedThreads {
    /** The most platform threads that pull at once on JDK 17. */
    static final int MAX_THREADS = 16;

    private FeedThreads() {}

    /** The default feed executor: the shared pool, started at first use. */
    public static Executor executor() {
        return Pool.EXECUTOR;
    }

    /** Holds the pool, so that it starts when first asked for. */
    private static final class Pool {
        static final Executor EXECUTOR = create();

        private static Executor create() {
            AtomicInteger count = new AtomicInteger();
            ThreadPoolExecutor pool = new ThreadPoolExecutor(
                    MAX_THREADS, MAX_THREADS, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
                        Thread thread = new Thread(task, "sseline-feed-" + count.incrementAndGet());
                        thread.setDaemon(true);
                        return thread;
                    });
            pool.allowCoreThreadTimeOut(true);
            return pool;
        }
    }
}
