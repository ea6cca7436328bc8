package io.sseline.micrometer;

import static io.sseline.micrometer.Meters.counter;
import static io.sseline.micrometer.Meters.millis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sseline.core.Event;
import io.sseline.redis.RedisBackplane;
import io.sseline.servlet.hub.EventHub;
import io.sseline.testing.RedisProcess;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * The meters of {@link RedisBackplaneMetrics} against a real {@code redis-server}: the tail's lag
 * while it keeps up, through an outage and after it, and its reconnects.
 */
class RedisBackplaneMetricsTest {
    static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void lagIsNearZeroWhileCaughtUpGrowsThroughAnOutageAndRecovers() throws Exception {
        try (RedisProcess redis = RedisProcess.start()) {
            RedisBackplane backplane = RedisBackplane.builder()
                    .uri(redis.uri())
                    .commandTimeout(Duration.ofSeconds(1))
                    .reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(200))
                    .build();
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new RedisBackplaneMetrics(backplane).bindTo(registry);
            try (EventHub hub = EventHub.builder().backplane(backplane).build()) {
                new EventHubMetrics(hub).bindTo(registry);
                for (int i = 0; i < 3; i++) {
                    hub.publish("c", Event.of("e" + i)).toCompletableFuture().join();
                }
                await("three entries through the tail")
                        .atMost(WAIT)
                        .until(() -> counter(registry, "sseline.hub.entries") == 3);
                // Redis and this node share a clock here: an entry read as it is appended is a few ms late.
                assertThat(millis(registry, "sseline.redis.tail.lag")).isBetween(0.0, 1000.0);
                await("an idle read to find the tail caught up")
                        .atMost(WAIT)
                        .until(() -> millis(registry, "sseline.redis.tail.lag") == 0);
                assertThat(counter(registry, "sseline.redis.tail.reconnects")).isZero();

                long stoppedAt = System.currentTimeMillis();
                redis.stop();
                await("the outage to show as lag")
                        .atMost(WAIT)
                        .until(() -> millis(registry, "sseline.redis.tail.lag") >= 500);
                double lag = millis(registry, "sseline.redis.tail.lag");
                assertThat(lag).isLessThanOrEqualTo(System.currentTimeMillis() - stoppedAt);
                await("the lag to keep growing")
                        .atMost(WAIT)
                        .until(() -> millis(registry, "sseline.redis.tail.lag") > lag);
                assertThat(counter(registry, "sseline.redis.tail.reconnects")).isPositive();

                redis.startAgain();
                await("the tail back and caught up")
                        .atMost(WAIT)
                        .until(() -> millis(registry, "sseline.redis.tail.lag") == 0);
                // The publishing connection reconnects on its own schedule; a publish fails until it has.
                await("a publish after the outage")
                        .atMost(WAIT)
                        .ignoreException(CompletionException.class)
                        .until(() -> {
                            hub.publish("c", Event.of("after"))
                                    .toCompletableFuture()
                                    .join();
                            return true;
                        });
                await("the new entry through the tail")
                        .atMost(WAIT)
                        .until(() -> counter(registry, "sseline.hub.entries") >= 4);
                assertThat(millis(registry, "sseline.redis.tail.lag")).isBetween(0.0, 1000.0);
            }
        }
    }
}
