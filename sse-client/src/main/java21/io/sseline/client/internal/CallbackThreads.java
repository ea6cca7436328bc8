package io.sseline.client.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * Where the callbacks of sources without a callback executor run, on JDK 21 and later: a virtual
 * thread for each run of a source's callbacks (a source's callbacks still run one at a time, in
 * order). A listener that blocks then parks its virtual thread and holds no platform thread, so it
 * stalls neither the HTTP clients' threads nor any other source, however many block at once.
 */
final class CallbackThreads {
    private static final ThreadFactory VIRTUAL =
            Thread.ofVirtual().name("sseline-callbacks").factory();

    private CallbackThreads() {}

    /** The default callback executor: a new virtual thread per task. */
    static Executor executor(Executor platformPool) {
        return task -> VIRTUAL.newThread(task).start();
    }
}
