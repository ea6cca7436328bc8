package io.sseline.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.sseline.servlet.hub.EventHub;
import io.sseline.servlet.hub.Replay;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Binds the counters of an {@link EventHub} to a {@link MeterRegistry}: subscriptions, channels, log
 * entries received, and how subscriptions began (replayed, past a gap, failed), as this node sees
 * them. Per-channel meters are opt-in ({@link #withChannels}), so that the number of time series
 * stays bounded.
 *
 * <pre>{@code
 * EventHub hub = EventHub.create();
 * new EventHubMetrics(hub, Tags.of("hub", "chat")).withChannels(List.of("room:lobby")).bindTo(registry);
 * }</pre>
 *
 * <p>The meters (see the module README for the table):
 *
 * <ul>
 *   <li>{@code sseline.hub.subscriptions} (gauge): active subscriptions on this node;
 *   <li>{@code sseline.hub.channels} (gauge): channels with a subscriber on this node;
 *   <li>{@code sseline.hub.entries} (counter): log entries this node received, published on any node;
 *   <li>{@code sseline.hub.replays} (counter, tag {@code outcome}: {@code not_requested}, {@code
 *       replayed}, {@code gap}, {@code failed}): how subscriptions began; {@code gap} counts clients
 *       whose {@code Last-Event-ID} the history could not serve;
 *   <li>{@code sseline.hub.replayed.events} (counter): events sent from the history before live ones;
 *   <li>{@code sseline.hub.subscribers} (gauge, tag {@code channel}): subscriptions of each channel
 *       named with {@link #withChannels}, none otherwise.
 * </ul>
 *
 * <p>The registry holds the hub weakly, as Micrometer does for the objects it reads. Immutable and
 * thread-safe.
 */
public final class EventHubMetrics implements MeterBinder {
    private final EventHub hub;
    private final Tags tags;
    private final List<String> channels;

    /** Meters for {@code hub}, without tags of their own. */
    public EventHubMetrics(EventHub hub) {
        this(hub, Tags.empty());
    }

    /** Meters for {@code hub}, each with {@code tags} (to tell several hubs apart). */
    public EventHubMetrics(EventHub hub, Iterable<Tag> tags) {
        this(Objects.requireNonNull(hub, "hub"), Tags.of(Objects.requireNonNull(tags, "tags")), List.of());
    }

    private EventHubMetrics(EventHub hub, Tags tags, List<String> channels) {
        this.hub = hub;
        this.tags = tags;
        this.channels = channels;
    }

    /**
     * Returns these meters plus a {@code sseline.hub.subscribers} gauge for each name in {@code
     * channels}, tagged with it: one time series per name, so name the few channels worth a
     * panel, never one per user or per room created at run time.
     *
     * @throws IllegalArgumentException if a channel name is empty
     */
    public EventHubMetrics withChannels(Collection<String> channels) {
        Set<String> names = new LinkedHashSet<>();
        for (String channel : Objects.requireNonNull(channels, "channels")) {
            if (Objects.requireNonNull(channel, "channel").isEmpty()) {
                throw new IllegalArgumentException("channel name must not be empty");
            }
            names.add(channel);
        }
        return new EventHubMetrics(hub, tags, List.copyOf(names));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("sseline.hub.subscriptions", hub, EventHub::subscriptionCount)
                .tags(tags)
                .description("Active hub subscriptions on this node")
                .baseUnit("subscriptions")
                .register(registry);
        Gauge.builder("sseline.hub.channels", hub, h -> h.channels().size())
                .tags(tags)
                .description("Channels with a subscriber on this node")
                .baseUnit("channels")
                .register(registry);
        FunctionCounter.builder("sseline.hub.entries", hub, EventHub::entryCount)
                .tags(tags)
                .description("Log entries this node received from the backplane, published on any node")
                .baseUnit("events")
                .register(registry);
        for (Replay.Outcome outcome : Replay.Outcome.values()) {
            FunctionCounter.builder("sseline.hub.replays", hub, h -> h.replayCount(outcome))
                    .tags(tags)
                    .tag("outcome", EventStreamsMetrics.tagValue(outcome))
                    .description("Subscriptions by how they began: no Last-Event-ID, replayed, past a gap, failed")
                    .register(registry);
        }
        FunctionCounter.builder("sseline.hub.replays", hub, EventHub::replayFailedCount)
                .tags(tags)
                .tag("outcome", "failed")
                .description("Subscriptions by how they began: no Last-Event-ID, replayed, past a gap, failed")
                .register(registry);
        FunctionCounter.builder("sseline.hub.replayed.events", hub, EventHub::replayedEventCount)
                .tags(tags)
                .description("Events sent from the history before live ones: replays and rewinds")
                .baseUnit("events")
                .register(registry);
        for (String channel : channels) {
            Gauge.builder("sseline.hub.subscribers", hub, h -> h.subscriberCount(channel))
                    .tags(tags)
                    .tag("channel", channel)
                    .description("Subscriptions of a channel on this node")
                    .baseUnit("subscriptions")
                    .register(registry);
        }
    }

    @Override
    public String toString() {
        return "EventHubMetrics{" + hub + ", " + tags + (channels.isEmpty() ? "}" : ", channels=" + channels + "}");
    }
}
