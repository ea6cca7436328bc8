package io.sseline.servlet.internal;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The default scheduler: one daemon thread, so that an application that forgets to shut down can
 * still exit.
 *
 * <pre>{@code
 * ScheduledExecutorService scheduler = DaemonScheduler.create();   // thread "sseline-event-streams"
 * scheduler.scheduleAtFixedRate(heartbeats, 15, 15, TimeUnit.SECONDS);
 * }</pre>
 */
public final class DaemonScheduler {
    private DaemonScheduler() {}

    /** Returns a new single-thread scheduler whose thread is a daemon and whose cancelled tasks are dropped at once. */
    public static ScheduledExecutorService create() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "sseline-event-streams");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return executor;
    }
}
