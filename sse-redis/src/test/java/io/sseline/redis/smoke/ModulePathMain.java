package io.sseline.redis.smoke;

import io.sseline.core.Event;
import io.sseline.redis.RedisBackplane;
import io.sseline.servlet.hub.spi.BackplaneHistory;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Run by {@code ModulePathIT} with sse-redis and its run-time dependencies on the module path and
 * nothing else (no servlet container, no SLF4J provider): prints the modules the types came from,
 * and an event published and read back through Redis.
 */
public final class ModulePathMain {
    private ModulePathMain() {}

    public static void main(String[] args) throws Exception {
        System.out.println("module " + RedisBackplane.class.getModule().getName());
        try (RedisBackplane backplane = RedisBackplane.builder().uri(args[0]).build()) {
            String id = backplane
                    .publish("c", Event.of("over the module path"))
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            BackplaneHistory history =
                    backplane.readAfter("", Set.of("c")).toCompletableFuture().get(30, TimeUnit.SECONDS);
            System.out.println("published " + id + " head " + history.head());
        }
    }
}
