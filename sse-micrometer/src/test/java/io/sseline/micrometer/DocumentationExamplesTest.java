package io.sseline.micrometer;

import static io.sseline.micrometer.Meters.counter;
import static io.sseline.micrometer.Meters.gauge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sseline.client.EventSource;
import io.sseline.client.EventSourceListener;
import io.sseline.core.Event;
import io.sseline.redis.RedisBackplane;
import io.sseline.servlet.EventStreams;
import io.sseline.servlet.hub.EventHub;
import io.sseline.testing.Container;
import io.sseline.testing.RedisProcess;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The examples of this module's Javadoc and README, run: each test names the type whose Javadoc
 * shows the example and checks that the meters it binds read what happened.
 */
class DocumentationExamplesTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    private final MeterRegistry registry = new SimpleMeterRegistry();

    /** EventStreamsMetrics. */
    @Test
    void eventStreamsMetrics() throws Exception {
        EventStreams streams = EventStreams.create();
        new EventStreamsMetrics(streams, Tags.of("endpoint", "chat")).bindTo(registry);

        assertThat(gauge(registry, "sseline.streams.open", "endpoint", "chat")).isZero();
        assertThat(counter(registry, "sseline.streams.slow.consumers", "endpoint", "chat", "policy", "disconnect"))
                .isZero();
    }

    /** EventHubMetrics. */
    @Test
    void eventHubMetrics() throws Exception {
        EventHub hub = EventHub.create();
        new EventHubMetrics(hub, Tags.of("hub", "chat"))
                .withChannels(List.of("room:lobby"))
                .bindTo(registry);
        try (hub) {
            hub.publish("room:lobby", Event.of("hi")).toCompletableFuture().join();
            assertThat(counter(registry, "sseline.hub.entries", "hub", "chat")).isEqualTo(1);
            assertThat(gauge(registry, "sseline.hub.subscribers", "hub", "chat", "channel", "room:lobby"))
                    .isZero();
        }
    }

    /** RedisBackplaneMetrics, on a real redis-server. */
    @Test
    void redisBackplaneMetrics() throws Exception {
        try (RedisProcess redis = RedisProcess.start()) {
            RedisBackplane backplane = RedisBackplane.builder().uri(redis.uri()).build();
            new RedisBackplaneMetrics(backplane, Tags.of("stream", "sseline:events")).bindTo(registry);
            try (EventHub hub = EventHub.builder().backplane(backplane).build()) {
                hub.publish("c", Event.of("x")).toCompletableFuture().join();
                assertThat(counter(registry, "sseline.redis.tail.reconnects", "stream", "sseline:events"))
                        .isZero();
                assertThat(registry.get("sseline.redis.tail.lag").timeGauge().baseTimeUnit())
                        .hasToString("SECONDS");
            }
        }
    }

    /** EventSourceMetrics, against a stream in Jetty. */
    @Test
    void eventSourceMetrics() throws Exception {
        StreamServlet servlet = new StreamServlet(
                io.sseline.servlet.EventStreamConfig.defaults(), (stream, request) -> stream.send("hello"));
        List<String> received = new CopyOnWriteArrayList<>();
        EventSourceListener listener = new EventSourceListener() {
            @Override
            public void onEvent(EventSource source, Event event) {
                received.add(event.data());
            }
        };
        try (Container.Running server = Container.JETTY.start(servlet)) {
            URI uri = server.uri();
            EventSourceMetrics metrics = new EventSourceMetrics(Tags.of("feed", "prices"));
            metrics.bindTo(registry);
            EventSource source = EventSource.builder(uri).connect(metrics.instrument(listener));
            try (source) {
                await("the event").atMost(WAIT).until(() -> received.contains("hello"));
                assertThat(counter(registry, "sseline.client.events.received", "feed", "prices"))
                        .isEqualTo(1);
                assertThat(gauge(registry, "sseline.client.sources.open", "feed", "prices"))
                        .isEqualTo(1);
            }
            await("the closed source to leave the gauge")
                    .atMost(WAIT)
                    .until(() -> gauge(registry, "sseline.client.sources.open", "feed", "prices") == 0);
        } finally {
            servlet.eventStreams().shutdown();
        }
    }
}
