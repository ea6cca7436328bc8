package io.sseline.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.sseline.client.EventSource;
import io.sseline.client.EventSourceListener;
import io.sseline.client.UnexpectedResponseException;
import io.sseline.core.Event;
import io.sseline.core.EventDecodeException;
import io.sseline.core.EventStreamLimitException;
import java.io.EOFException;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what happens to {@link EventSource}s and binds the counts to a {@link MeterRegistry}: sources
 * connected now, connections opened, reconnects and failures by cause, events received and events
 * whose data a codec could not decode. Wrap each source's listener with {@link #instrument}; one
 * instance counts every source it instruments together (create one per group of sources worth telling
 * apart, with its own tags).
 *
 * <pre>{@code
 * EventSourceMetrics metrics = new EventSourceMetrics(Tags.of("feed", "prices"));
 * metrics.bindTo(registry);
 * EventSource source = EventSource.builder(uri).connect(metrics.instrument(listener));
 * }</pre>
 *
 * <p>The meters (see the module README for the table):
 *
 * <ul>
 *   <li>{@code sseline.client.sources.open} (gauge): sources connected now, between {@code onOpen}
 *       and the error or close that ends the connection;
 *   <li>{@code sseline.client.connections} (counter): connections opened, first ones and reconnects;
 *   <li>{@code sseline.client.reconnects} (counter, tag {@code cause}): connections that failed and
 *       will be tried again;
 *   <li>{@code sseline.client.failures} (counter, tag {@code cause}): connections that failed for
 *       good, closing their source;
 *   <li>{@code sseline.client.events.received} (counter): events dispatched to listeners;
 *   <li>{@code sseline.client.decode.failures} (counter): events a typed handler's codec could not
 *       decode.
 * </ul>
 *
 * <p>A {@code cause} is one of {@code end_of_stream} (the server ended the response), {@code
 * unexpected_response} (a status or content type that is not an event stream), {@code timeout} (no
 * response or no bytes in time), {@code limit} (an event beyond the parser's limits), {@code io} (any
 * other I/O failure) and {@code other}.
 *
 * <p>Counting happens in the callbacks, one {@code LongAdder} increment each, before the wrapped
 * listener is called. Thread-safe; bind it to any number of registries, before or after sources
 * start. The registry holds this object strongly, so its counts last as long as the registry.
 */
public final class EventSourceMetrics implements MeterBinder {
    /** Why a connection failed, as a bounded tag value. */
    private enum Cause {
        END_OF_STREAM,
        UNEXPECTED_RESPONSE,
        TIMEOUT,
        LIMIT,
        IO,
        OTHER;

        static Cause of(Throwable error) {
            if (error instanceof EOFException) {
                return END_OF_STREAM;
            } else if (error instanceof UnexpectedResponseException) {
                return UNEXPECTED_RESPONSE;
            } else if (error instanceof HttpTimeoutException) {
                return TIMEOUT;
            } else if (error instanceof EventStreamLimitException) {
                return LIMIT;
            } else if (error instanceof IOException) {
                return IO;
            }
            return OTHER;
        }
    }

    private final Tags tags;
    private final Set<EventSource> open = ConcurrentHashMap.newKeySet();
    private final LongAdder connections = new LongAdder();
    private final LongAdder events = new LongAdder();
    private final LongAdder decodeFailures = new LongAdder();
    private final Map<Cause, LongAdder> reconnects = adders();
    private final Map<Cause, LongAdder> failures = adders();

    /** Counts without tags of their own. */
    public EventSourceMetrics() {
        this(Tags.empty());
    }

    /** Counts whose meters carry {@code tags}. */
    public EventSourceMetrics(Iterable<Tag> tags) {
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
    }

    private static Map<Cause, LongAdder> adders() {
        Map<Cause, LongAdder> adders = new EnumMap<>(Cause.class);
        for (Cause cause : Cause.values()) {
            adders.put(cause, new LongAdder());
        }
        return adders;
    }

    /**
     * Returns a listener that counts each callback here and then passes it to {@code listener}
     * unchanged: give it to {@link EventSource.Builder#connect} or {@link EventSource.Builder#build}
     * in place of {@code listener}.
     */
    public EventSourceListener instrument(EventSourceListener listener) {
        return new Counting(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        // The registry holds this object through the gauge, so the counters below, which Micrometer
        // holds weakly, read it for as long as the registry lives.
        Gauge.builder("sseline.client.sources.open", this, m -> m.open.size())
                .tags(tags)
                .description("Event sources connected now")
                .baseUnit("sources")
                .strongReference(true)
                .register(registry);
        counter("sseline.client.connections", connections, "Connections opened, first ones and reconnects")
                .baseUnit("connections")
                .register(registry);
        for (Cause cause : Cause.values()) {
            counter("sseline.client.reconnects", adder(reconnects, cause), "Failed connections tried again")
                    .tag("cause", EventStreamsMetrics.tagValue(cause))
                    .register(registry);
            counter("sseline.client.failures", adder(failures, cause), "Failed connections given up on")
                    .tag("cause", EventStreamsMetrics.tagValue(cause))
                    .register(registry);
        }
        counter("sseline.client.events.received", events, "Events dispatched to listeners")
                .baseUnit("events")
                .register(registry);
        counter("sseline.client.decode.failures", decodeFailures, "Events a codec could not decode")
                .baseUnit("events")
                .register(registry);
    }

    private FunctionCounter.Builder<EventSourceMetrics> counter(String name, LongAdder adder, String description) {
        return FunctionCounter.builder(name, this, m -> adder.doubleValue())
                .tags(tags)
                .description(description);
    }

    private static LongAdder adder(Map<Cause, LongAdder> adders, Cause cause) {
        return Objects.requireNonNull(adders.get(cause), "cause");
    }

    @Override
    public String toString() {
        return "EventSourceMetrics{" + tags + ", open=" + open.size() + "}";
    }

    /** Counts, then passes every callback on. */
    private final class Counting implements EventSourceListener {
        private final EventSourceListener listener;

        Counting(EventSourceListener listener) {
            this.listener = listener;
        }

        @Override
        public void onOpen(EventSource source, HttpResponse.ResponseInfo response) {
            connections.increment();
            open.add(source);
            listener.onOpen(source, response);
        }

        @Override
        public void onEvent(EventSource source, Event event) {
            events.increment();
            listener.onEvent(source, event);
        }

        @Override
        public void onComment(EventSource source, String comment) {
            listener.onComment(source, comment);
        }

        @Override
        public void onError(EventSource source, Throwable error, boolean willReconnect) {
            if (error instanceof EventDecodeException) {
                decodeFailures.increment(); // the connection goes on
            } else {
                open.remove(source);
                adder(willReconnect ? reconnects : failures, Cause.of(error)).increment();
            }
            listener.onError(source, error, willReconnect);
        }

        @Override
        public void onClosed(EventSource source) {
            open.remove(source);
            listener.onClosed(source);
        }
    }
}
