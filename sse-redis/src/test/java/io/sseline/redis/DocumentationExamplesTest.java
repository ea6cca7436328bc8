package io.sseline.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sseline.core.Event;
import io.sseline.servlet.hub.EventHub;
import io.sseline.testing.RedisProcess;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The examples of the Javadoc and the README, run against a real Redis so that they cannot drift
 * from the API. Each follows its text, with the Redis address of the test server.
 */
class DocumentationExamplesTest {
    private static RedisProcess redis;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisProcess.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    /** {@link RedisBackplane}'s type Javadoc and the README. */
    @Test
    void redisBackplaneTypeExample() throws Exception {
        RedisBackplane backplane = RedisBackplane.builder()
                .uri(redis.uri())
                .streamKey("chat:events") // the same key on every node
                .maxEntries(50_000) // history kept for replay (XADD MAXLEN ~)
                .build();
        EventHub hub = EventHub.builder().backplane(backplane).build();
        try (hub) {
            String id =
                    hub.publish("chat", Event.of("hi")).toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertThat(backplane
                            .readAfter("", Set.of("chat"))
                            .toCompletableFuture()
                            .get(30, TimeUnit.SECONDS)
                            .head())
                    .isEqualTo(id);
        }
    }

    /** {@link RedisBackplane#tailLag()}'s Javadoc: a node that hears of events late warns. */
    @Test
    void tailLagExample() throws Exception {
        Log log = new Log();
        try (RedisBackplane backplane = RedisBackplane.builder()
                .uri(redis.uri())
                .streamKey("lag:events")
                .build()) {
            EventHub hub = EventHub.builder().backplane(backplane).build();
            try (hub) {
                hub.publish("c", Event.of("x")).toCompletableFuture().get(30, TimeUnit.SECONDS);
                if (backplane.tailLag().compareTo(Duration.ofSeconds(5)) > 0) {
                    log.warning("this node hears of events late: " + backplane.tailLag());
                }
                assertThat(log.line).isNotDone();
                assertThat(backplane.tailReconnectCount()).isZero();
            }
        }
    }

    /** A logger, as the example's {@code log}: keeps the first line. */
    static final class Log {
        final CompletableFuture<String> line = new CompletableFuture<>();

        void warning(String text) {
            line.complete(text);
        }
    }

    /** {@link RedisBackplane.Builder}'s Javadoc. */
    @Test
    void builderExample() throws Exception {
        try (RedisBackplane backplane = RedisBackplane.builder()
                .uri(redis.uri() + "/0")
                .maxAge(Duration.ofMinutes(10))
                .commandTimeout(Duration.ofSeconds(2))
                .build()) {
            assertThat(backplane
                            .publish("c", Event.of("x"))
                            .toCompletableFuture()
                            .get(30, TimeUnit.SECONDS))
                    .matches("\\w+-\\d+-\\d+");
        }
    }

    /** {@link RedisBackplaneException}'s Javadoc: a failed publish tells the caller why. */
    @Test
    void redisBackplaneExceptionExample() throws Exception {
        RedisProcess own = RedisProcess.start();
        RedisBackplane backplane = RedisBackplane.builder()
                .uri(own.uri())
                .commandTimeout(Duration.ofSeconds(5))
                .build();
        try (EventHub hub = EventHub.builder().backplane(backplane).build()) {
            own.close();
            Log log = new Log();
            Event event = Event.of("hi");
            hub.publish("chat", event).exceptionally(e -> {
                if (e.getCause() instanceof RedisBackplaneException r) {
                    log.warning(
                            "not sent, Redis did not " + r.operation() + " " + r.streamKey() + ": " + r.getMessage());
                }
                return null;
            });
            assertThat(log.line.get(30, TimeUnit.SECONDS))
                    .startsWith("not sent, Redis did not append to sseline:events: could not append to the Redis"
                            + " stream sseline:events");
        }
    }
}
