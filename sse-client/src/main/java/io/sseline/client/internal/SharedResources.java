package io.sseline.client.internal;

import java.net.http.HttpClient;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The defaults that event sources share, each created when first asked for (the holder idiom: the
 * JVM initializes a holder class once, on first use) and never replaced: one scheduler thread, a
 * small pool of threads for the HTTP clients, the clients themselves, and the executor that runs
 * callbacks.
 *
 * <p>The thread budget does not grow with the number of streams: {@link HttpClient}'s own default
 * executor is a cached pool that starts a thread for every task that finds the others busy (483
 * threads for 10,000 streams, measured), so the default clients get a fixed pool of {@link
 * #IO_THREADS} instead. The JDK adds one selector thread per client; the default client pool needs
 * more than one client only for an HTTP/2 server whose stream limit is reached.
 */
public final class SharedResources {
    /**
     * The threads of the default clients' pool: as many as there are processors, at least 4 so that
     * one blocking callback (on JDK 17, where callbacks run here) leaves work for the others, at most 8.
     */
    static final int IO_THREADS = Math.min(8, Math.max(4, Runtime.getRuntime().availableProcessors()));

    private SharedResources() {}

    /**
     * The clients of sources that name none: HTTP/2 preferred, redirects not followed by the client
     * (the source follows them), the shared I/O pool as executor; as many per origin as the servers'
     * stream limits need.
     */
    public static HttpClientPool httpClients() {
        return ClientsHolder.CLIENTS;
    }

    /**
     * The scheduler for reconnect delays and timeouts: one daemon thread, named {@code
     * sseline-scheduler}; cancelled tasks leave its queue at once.
     */
    public static ScheduledExecutorService scheduler() {
        return SchedulerHolder.SCHEDULER;
    }

    /**
     * The executor of callbacks for sources that name none: a virtual thread for each run of callbacks
     * on JDK 21 and later, the shared I/O pool on JDK 17; see {@link CallbackThreads}.
     */
    public static Executor callbackExecutor() {
        return CallbackHolder.CALLBACKS;
    }

    /** The fixed pool that the default clients run on: daemon threads named {@code sseline-http-N}. */
    static Executor ioExecutor() {
        return IoHolder.IO;
    }

    private static final class IoHolder {
        static final Executor IO = newIoExecutor();

        private static Executor newIoExecutor() {
            AtomicInteger count = new AtomicInteger();
            ThreadPoolExecutor pool = new ThreadPoolExecutor(
                    IO_THREADS, IO_THREADS, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
                        Thread thread = new Thread(task, "sseline-http-" + count.incrementAndGet());
                        thread.setDaemon(true);
                        return thread;
                    });
            pool.allowCoreThreadTimeOut(true); // an idle application keeps no thread of ours
            return pool;
        }
    }

    private static final class ClientsHolder {
        static final HttpClientPool CLIENTS = HttpClientPool.growing(
                () -> HttpClient.newBuilder()
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .executor(ioExecutor())
                        .build(),
                "the default HttpClient");
    }

    private static final class CallbackHolder {
        static final Executor CALLBACKS = CallbackThreads.executor(ioExecutor());
    }

    private static final class SchedulerHolder {
        static final ScheduledExecutorService SCHEDULER = newScheduler();

        private static ScheduledExecutorService newScheduler() {
            ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, task -> {
                Thread thread = new Thread(task, "sseline-scheduler");
                thread.setDaemon(true);
                return thread;
            });
            scheduler.setRemoveOnCancelPolicy(true);
            return scheduler;
        }
    }
}
