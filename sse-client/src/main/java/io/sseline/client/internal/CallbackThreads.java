package io.sseline.client.internal;

import java.util.concurrent.Executor;

/**
 * Where the callbacks of sources without a callback executor run: on JDK 17, the pool of the default
 * HTTP clients. The jar is multi-release: on JDK 21 and later, the class of the same name in {@code
 * META-INF/versions/21} starts a virtual thread instead, so that a listener that blocks holds no
 * platform thread and stalls no other source. (A jar built on JDK 17 lacks that class; see the
 * module's pom.)
 */
final class CallbackThreads {
    private CallbackThreads() {}

    /** The default callback executor; {@code platformPool} serves where virtual threads do not exist. */
    static Executor executor(Executor platformPool) {
        return platformPool;
    }
}
