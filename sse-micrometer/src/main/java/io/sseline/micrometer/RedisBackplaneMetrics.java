package io.sseline.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.sseline.redis.RedisBackplane;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Binds a {@link RedisBackplane}'s tail to a {@link MeterRegistry}: how far behind the Redis stream
 * this node's delivery is, and how often the tail lost its connection. Bind an {@link
 * EventHubMetrics} for the hub on top of it as well.
 *
 * <pre>{@code
 * RedisBackplane backplane = RedisBackplane.builder().uri("redis://127.0.0.1:6379").build();
 * new RedisBackplaneMetrics(backplane, Tags.of("stream", "sseline:events")).bindTo(registry);
 * }</pre>
 *
 * <p>The meters (see the module README for the table):
 *
 * <ul>
 *   <li>{@code sseline.redis.tail.lag} (time gauge, seconds): {@link RedisBackplane#tailLag()}, how
 *       late the last entry was delivered (0 once the tail is caught up), at least the outage while
 *       its connection is lost;
 *   <li>{@code sseline.redis.tail.reconnects} (counter): {@link RedisBackplane#tailReconnectCount()}.
 * </ul>
 *
 * <p>The registry holds the backplane weakly, as Micrometer does for the objects it reads. Immutable
 * and thread-safe.
 */
public final class RedisBackplaneMetrics implements MeterBinder {
    private final RedisBackplane backplane;
    private final Tags tags;

    /** Meters for {@code backplane}, without tags of their own. */
    public RedisBackplaneMetrics(RedisBackplane backplane) {
        this(backplane, Tags.empty());
    }

    /** Meters for {@code backplane}, each with {@code tags}. */
    public RedisBackplaneMetrics(RedisBackplane backplane, Iterable<Tag> tags) {
        this.backplane = Objects.requireNonNull(backplane, "backplane");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        TimeGauge.builder(
                        "sseline.redis.tail.lag",
                        backplane,
                        TimeUnit.MILLISECONDS,
                        b -> b.tailLag().toMillis())
                .tags(tags)
                .description("How late this node's tail delivered the last Redis stream entry; 0 when caught up")
                .register(registry);
        FunctionCounter.builder("sseline.redis.tail.reconnects", backplane, RedisBackplane::tailReconnectCount)
                .tags(tags)
                .description("Times the tail lost its Redis connection and connected again")
                .register(registry);
    }

    @Override
    public String toString() {
        return "RedisBackplaneMetrics{" + backplane + ", " + tags + "}";
    }
}
