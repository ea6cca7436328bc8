package io.sseline.client.internal;

import java.net.http.HttpClient;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The defaults that event sources share: one HTTP client and one scheduler thread, each created when
 * first asked for (the holder idiom: the JVM initializes a holder class once, on first use) and never
 * replaced.
 */
public final class SharedResources {
    private SharedResources() {}

    /** The HTTP client for sources that name none: follows redirects, prefers HTTP/2. */
    public static HttpClient httpClient() {
        return ClientHolder.CLIENT;
    }

    /**
     * The scheduler for reconnect delays and timeouts: one daemon thread, named {@code
     * sseline-scheduler}; cancelled tasks leave its queue at once.
     */
    public static ScheduledExecutorService scheduler() {
        return SchedulerHolder.SCHEDULER;
    }

    private static final class ClientHolder {
        static final HttpClient CLIENT = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
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
