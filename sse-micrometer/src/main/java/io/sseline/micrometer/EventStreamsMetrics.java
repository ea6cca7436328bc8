package io.sseline.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.sseline.servlet.CloseReason;
import io.sseline.servlet.EventStream;
import io.sseline.servlet.EventStreams;
import java.util.Locale;
import java.util.Objects;

/**
 * Binds the counters of an {@link EventStreams} to a {@link MeterRegistry}: streams open, opened and
 * ended by reason, events and bytes sent, slow-consumer actions, and queued bytes. Every meter reads a
 * counter that {@code EventStreams} keeps anyway, when the registry asks; nothing is added to the
 * path of an event.
 *
 * <pre>{@code
 * EventStreams streams = EventStreams.create();
 * new EventStreamsMetrics(streams, Tags.of("endpoint", "chat")).bindTo(registry);
 * }</pre>
 *
 * <p>The meters, all tagged with the given tags (see the module README for the table):
 *
 * <ul>
 *   <li>{@code sseline.streams.open} (gauge): streams open now;
 *   <li>{@code sseline.streams.opened} (counter): streams opened;
 *   <li>{@code sseline.streams.closed} (counter, tag {@code reason}: {@code closed}, {@code
 *       client_gone}, {@code timeout}, {@code slow_consumer}, {@code shutdown}): streams that opened
 *       and ended;
 *   <li>{@code sseline.streams.sent.events} (counter): events and comments handed to the container,
 *       heartbeats not counted;
 *   <li>{@code sseline.streams.sent.bytes} (counter, bytes): bytes handed to the container;
 *   <li>{@code sseline.streams.slow.consumers} (counter, tag {@code policy}): times the slow-consumer
 *       policy applied;
 *   <li>{@code sseline.streams.queued} (gauge, bytes): bytes queued now, all open streams together;
 *   <li>{@code sseline.streams.queue.peak} (gauge, bytes): the most bytes one stream had queued, the
 *       queues' high-water mark.
 * </ul>
 *
 * <p>The registry holds the {@code EventStreams} weakly, as Micrometer does for the objects it
 * reads; the application keeps it. Thread-safe; bind it to any number of registries.
 */
public final class EventStreamsMetrics implements MeterBinder {
    private final EventStreams streams;
    private final Tags tags;

    /** Meters for {@code streams}, without tags of their own. */
    public EventStreamsMetrics(EventStreams streams) {
        this(streams, Tags.empty());
    }

    /** Meters for {@code streams}, each with {@code tags} (to tell several instances apart). */
    public EventStreamsMetrics(EventStreams streams, Iterable<Tag> tags) {
        this.streams = Objects.requireNonNull(streams, "streams");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("sseline.streams.open", streams, EventStreams::openCount)
                .tags(tags)
                .description("Event streams open now")
                .baseUnit("streams")
                .register(registry);
        FunctionCounter.builder("sseline.streams.opened", streams, EventStreams::openedCount)
                .tags(tags)
                .description("Event streams opened")
                .baseUnit("streams")
                .register(registry);
        for (CloseReason reason : CloseReason.values()) {
            if (reason == CloseReason.HEAD_REQUEST) {
                continue; // a HEAD request never opens a stream, so none ends for it
            }
            FunctionCounter.builder("sseline.streams.closed", streams, s -> s.closedCount(reason))
                    .tags(tags)
                    .tag("reason", tagValue(reason))
                    .description("Event streams that opened and ended, by why they ended")
                    .baseUnit("streams")
                    .register(registry);
        }
        FunctionCounter.builder("sseline.streams.sent.events", streams, EventStreams::sentCount)
                .tags(tags)
                .description("Events and comments the streams handed to the container, heartbeats not counted")
                .baseUnit("events")
                .register(registry);
        FunctionCounter.builder("sseline.streams.sent.bytes", streams, EventStreams::sentBytes)
                .tags(tags)
                .description("Bytes the streams handed to the container: events, comments and heartbeats")
                .baseUnit(BaseUnits.BYTES)
                .register(registry);
        FunctionCounter.builder("sseline.streams.slow.consumers", streams, EventStreams::slowConsumerCount)
                .tags(tags)
                .tag("policy", tagValue(streams.config().slowConsumerPolicy()))
                .description("Times the slow-consumer policy applied: an event dropped or a stream cut")
                .register(registry);
        Gauge.builder("sseline.streams.queued", streams, EventStreamsMetrics::queuedBytes)
                .tags(tags)
                .description("Bytes queued for clients now, all open streams together")
                .baseUnit(BaseUnits.BYTES)
                .register(registry);
        Gauge.builder("sseline.streams.queue.peak", streams, EventStreams::peakQueuedBytes)
                .tags(tags)
                .description("The most bytes one stream has had queued: the queues' high-water mark")
                .baseUnit(BaseUnits.BYTES)
                .register(registry);
    }

    private static double queuedBytes(EventStreams streams) {
        long total = 0;
        for (EventStream stream : streams.openStreams()) {
            total += stream.queuedBytes();
        }
        return total;
    }

    /** An enum constant as a tag value: {@code CLIENT_GONE} becomes {@code client_gone}. */
    static String tagValue(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "EventStreamsMetrics{" + streams + ", " + tags + "}";
    }
}
