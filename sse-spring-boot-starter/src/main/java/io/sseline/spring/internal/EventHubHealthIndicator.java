package io.sseline.spring.internal;

import io.sseline.servlet.EventStreams;
import io.sseline.servlet.hub.EventHub;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The state of the hub's backplane on {@code /actuator/health}: {@code UP} when a read of its
 * history answers within the timeout, {@code DOWN} with the reason when it fails or does not answer
 * (Redis unreachable, for example). A read is what every reconnecting client needs from the
 * backplane, so it is the check that matters; it reads at most one entry of a channel that no
 * application uses. The details name the backplane and count the open streams and the channels
 * with subscribers on this node.
 */
public final class EventHubHealthIndicator implements HealthIndicator {
    /** The channel read by the check; a read of an unused channel returns its head and no entries. */
    static final String PROBE_CHANNEL = "sseline:health";

    private final EventHub hub;
    private final EventStreams streams;
    private final Duration timeout;

    public EventHubHealthIndicator(EventHub hub, EventStreams streams, Duration timeout) {
        this.hub = hub;
        this.streams = streams;
        this.timeout = timeout;
    }

    @Override
    public Health health() {
        Health.Builder health = new Health.Builder()
                .withDetail("hub", hub.toString())
                .withDetail("openStreams", streams.openCount())
                .withDetail("channels", hub.channels().size());
        try {
            hub.history(PROBE_CHANNEL, 1).toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return health.up().build();
        } catch (ExecutionException e) {
            return health.down(e.getCause() != null ? e.getCause() : e).build();
        } catch (TimeoutException e) {
            return health.down()
                    .withDetail("error", "the backplane did not answer a history read within " + timeout)
                    .build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return health.unknown().withDetail("error", "interrupted").build();
        } catch (RuntimeException e) {
            return health.down(e).build(); // the hub is closed
        }
    }
}
