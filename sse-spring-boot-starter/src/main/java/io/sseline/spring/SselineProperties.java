package io.sseline.spring;

import io.sseline.core.Event;
import io.sseline.servlet.EventStreamConfig;
import io.sseline.servlet.EventStreams;
import io.sseline.servlet.SlowConsumerPolicy;
import io.sseline.servlet.hub.EventHub;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The {@code sseline.*} properties: how {@link EventStreams} treats each stream, what the streams
 * receive at shutdown, and the {@link EventHub}'s history and backplane. Bound once at startup;
 * immutable.
 *
 * <pre>{@code
 * // application.properties:
 * //   sseline.stream.heartbeat-interval=20s
 * //   sseline.stream.slow-consumer-policy=drop
 * //   sseline.hub.redis.uri=redis://redis.internal:6379
 * EventStreamConfig config = properties.stream().toConfig();
 * }</pre>
 *
 * @param stream How each event stream is written and closed.
 * @param shutdown What every open stream receives when the application stops.
 * @param hub The hub's history and, with sse-redis, its Redis backplane.
 */
@ConfigurationProperties("sseline")
public record SselineProperties(
        @DefaultValue Stream stream,
        @DefaultValue Shutdown shutdown,
        @DefaultValue Hub hub) {

    /**
     * The options of every event stream; the defaults are {@link EventStreamConfig#defaults()}'s.
     *
     * @param heartbeatInterval How often a stream that sent nothing gets an empty comment, which keeps
     *     proxies from closing it and reveals clients that went away; 0 disables heartbeats.
     * @param maxQueuedBytes The most bytes one stream holds for a client that has not read them yet;
     *     past it the slow-consumer policy applies.
     * @param slowConsumerPolicy What happens to a client that reads too slowly: disconnect it
     *     (it reconnects and resumes from the hub's history) or drop the event that does not fit.
     * @param closeTimeout How long a closing stream may take to send what it still has queued.
     * @param asyncTimeout The container's asynchronous timeout for each stream; 0 for none, since
     *     event streams are meant to stay open.
     */
    public record Stream(
            @DefaultValue("15s") Duration heartbeatInterval,
            @DefaultValue("256KB") DataSize maxQueuedBytes,
            @DefaultValue("disconnect") SlowConsumerPolicy slowConsumerPolicy,
            @DefaultValue("5s") Duration closeTimeout,
            @DefaultValue("0s") Duration asyncTimeout) {

        /**
         * Returns these options as the configuration of {@link EventStreams}.
         *
         * @throws IllegalArgumentException if a value is out of its range, naming the property
         */
        public EventStreamConfig toConfig() {
            EventStreamConfig.Builder config = EventStreamConfig.builder();
            long bytes = maxQueuedBytes.toBytes();
            if (bytes < 1 || bytes > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(
                        "sseline.stream.max-queued-bytes must be from 1B to 2147483647B: " + maxQueuedBytes);
            }
            return config.maxQueuedBytes((int) bytes)
                    .slowConsumerPolicy(slowConsumerPolicy)
                    .heartbeatInterval(heartbeatInterval)
                    .closeTimeout(closeTimeout)
                    .asyncTimeout(asyncTimeout)
                    .build();
        }
    }

    /**
     * The event every open stream receives when the application stops, before the web server does.
     *
     * @param eventType The type of the final event; empty to send none.
     * @param eventData The data of the final event.
     * @param retry The reconnection time the final event asks clients to wait (its retry
     *     field), for example about the time a restart takes. Unset (null) leaves it to the clients.
     */
    public record Shutdown(
            @DefaultValue("shutdown") String eventType,
            @DefaultValue("") String eventData,
            @Nullable Duration retry) {

        /** Returns the final event, or empty when {@link #eventType()} is empty and none is sent. */
        public Optional<Event> finalEvent() {
            if (eventType.isEmpty()) {
                return Optional.empty();
            }
            Event event = Event.of(eventData).withType(eventType);
            return Optional.of(retry == null ? event : event.withRetry(retry));
        }
    }

    /**
     * The hub. Without {@code sseline.hub.redis.uri} its history is in memory, sized by {@code
     * max-entries} and {@code max-age}; with it, and {@code sse-redis} on the class path, the hub runs
     * on a Redis stream that several nodes share, sized by {@code sseline.hub.redis.*}.
     *
     * @param maxEntries The most events the in-memory history keeps for replay, over all channels.
     * @param maxAge How long the in-memory history keeps an event; 0 for no age limit.
     * @param rewind How many of the latest events of its channels a client with nothing to resume from
     *     receives first (a chat's recent messages); 0 for none.
     * @param redis The Redis backplane.
     */
    public record Hub(
            @DefaultValue("1000") int maxEntries,
            @DefaultValue("0s") Duration maxAge,
            @DefaultValue("0") int rewind,
            @DefaultValue Redis redis) {}

    /**
     * The hub's backplane on one Redis stream ({@code sse-redis}); Boot's Lettuce {@code
     * ClientResources} are shared when the application has them.
     *
     * @param uri The Redis server, such as redis://host:6379, redis://:password@host:6379/2 or
     *     rediss://host:6380 for TLS; setting it puts the hub on Redis. Null when unset.
     * @param streamKey The key of the stream, the same on every node of one hub.
     * @param maxEntries About how many entries the stream keeps for replay, over all channels.
     * @param maxAge How long entries stay available for replay, at least; 0 for no age limit.
     * @param commandTimeout How long a command may wait for Redis before it fails; also the connect
     *     timeout.
     * @param reconnectMinDelay The delay before the stream tail's first reconnect attempt, doubled after
     *     each failed one.
     * @param reconnectMaxDelay The longest delay between the stream tail's reconnect attempts.
     */
    public record Redis(
            @Nullable String uri,
            @DefaultValue("sseline:events") String streamKey,
            @DefaultValue("10000") int maxEntries,
            @DefaultValue("0s") Duration maxAge,
            @DefaultValue("5s") Duration commandTimeout,
            @DefaultValue("100ms") Duration reconnectMinDelay,
            @DefaultValue("5s") Duration reconnectMaxDelay) {}
}
