package io.sseline.servlet.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * Where iterator feeds are pulled when the configuration names no executor, on JDK 21 and later: a
 * virtual thread per pulling task ({@code sseline-feed}). An iterator that blocks then parks its
 * virtual thread and holds no platform thread, however many streams are fed at once.
 */
public final class FeedThreads {
    private static final ThreadFactory VIRTUAL =
            Thread.ofVirtual().name("sseline-feed").factory();

    private FeedThreads() {}

    /** The default feed executor: a new virtual thread per task. */
    public static Executor executor() {
        return task -> VIRTUAL.newThread(task).start();
    }
}
