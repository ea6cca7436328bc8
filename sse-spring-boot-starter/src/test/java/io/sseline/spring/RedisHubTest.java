package io.sseline.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.sseline.core.Event;
import io.sseline.micrometer.EventHubMetrics;
import io.sseline.redis.RedisBackplane;
import io.sseline.servlet.hub.EventHub;
import io.sseline.servlet.hub.spi.Backplane;
import io.sseline.spring.internal.EventHubHealthIndicator;
import io.sseline.testing.RedisProcess;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/**
 * The hub on a real Redis when {@code sseline.hub.redis.uri} is set, and only then; Boot's Lettuce
 * resources shared with it; its health following Redis.
 */
class RedisHubTest {
    private static RedisProcess redis;

    private final WebApplicationContextRunner runner =
            new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(SselineAutoConfiguration.class));

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisProcess.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @Test
    void withAUriTheHubPublishesToTheRedisStream() {
        runner.withPropertyValues(
                        "sseline.hub.redis.uri=" + redis.uri(),
                        "sseline.hub.redis.stream-key=test:published",
                        "sseline.hub.redis.max-entries=100")
                .run(context -> {
                    assertThat(context).hasSingleBean(RedisBackplane.class);
                    assertThat(redisMeters(context))
                            .as("the Redis tail's meters")
                            .isNotEmpty();
                    assertThat(context.getBean(Backplane.class).toString())
                            .contains("stream=test:published", "maxEntries=100");
                    context.getBean(EventHub.class)
                            .publish("chat", Event.of("hi"))
                            .toCompletableFuture()
                            .get(10, TimeUnit.SECONDS);
                    assertThat(redis.command("XLEN test:published")).isEqualTo(":1");
                    assertThat(context.getBean(EventHubHealthIndicator.class)
                                    .health()
                                    .getStatus())
                            .isEqualTo(Status.UP);
                });
    }

    @Test
    void withoutAUriTheHubStaysInMemory() {
        runner.withPropertyValues("sseline.hub.redis.stream-key=test:unused").run(context -> {
            assertThat(context).hasSingleBean(EventHub.class).doesNotHaveBean(Backplane.class);
            assertThat(context).hasSingleBean(EventHubMetrics.class);
            assertThat(redisMeters(context)).as("no Redis tail, no meters").isEmpty();
            context.getBean(EventHub.class)
                    .publish("chat", Event.of("hi"))
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            assertThat(redis.command("EXISTS test:unused")).isEqualTo(":0");
        });
    }

    @Test
    void theBackplaneSharesBootsLettuceResources() {
        AtomicInteger bootThreads = new AtomicInteger();
        ClientResourcesBuilderCustomizer counted = builder -> builder.threadFactoryProvider(poolName -> {
            ThreadFactory threads = new DefaultThreadFactory("boot-" + poolName, true);
            return task -> {
                bootThreads.incrementAndGet();
                return threads.newThread(task);
            };
        });
        runner.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
                .withBean(ClientResourcesBuilderCustomizer.class, () -> counted)
                .withPropertyValues("sseline.hub.redis.uri=" + redis.uri(), "sseline.hub.redis.stream-key=test:shared")
                .run(context -> {
                    assertThat(context).hasSingleBean(io.lettuce.core.resource.ClientResources.class);
                    context.getBean(EventHub.class)
                            .publish("chat", Event.of("hi"))
                            .toCompletableFuture()
                            .get(10, TimeUnit.SECONDS);
                    // Nothing but the backplane has connected: Boot's threads carry its connections.
                    assertThat(bootThreads.get()).isPositive();
                });
    }

    @Test
    void healthIsDownWhileRedisIsDown() throws Exception {
        RedisProcess own = RedisProcess.start();
        try {
            runner.withPropertyValues("sseline.hub.redis.uri=" + own.uri(), "sseline.hub.redis.command-timeout=2s")
                    .run(context -> {
                        EventHubHealthIndicator health = context.getBean(EventHubHealthIndicator.class);
                        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
                        own.stop();
                        var down = health.health();
                        assertThat(down.getStatus()).isEqualTo(Status.DOWN);
                        assertThat(down.getDetails().get("error").toString()).contains("sseline:events");
                        own.startAgain();
                    });
        } finally {
            own.close();
        }
    }

    /** The sseline.redis meters the starter's binder gives a fresh registry. */
    private static List<Meter> redisMeters(org.springframework.context.ApplicationContext context) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        context.getBean("sselineRedisBackplaneMetrics", MeterBinder.class).bindTo(registry);
        return registry.getMeters().stream()
                .filter(meter -> meter.getId().getName().startsWith("sseline.redis."))
                .toList();
    }
}
