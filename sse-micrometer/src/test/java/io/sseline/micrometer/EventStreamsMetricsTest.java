package io.sseline.micrometer;

import static io.sseline.micrometer.Meters.counter;
import static io.sseline.micrometer.Meters.gauge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sseline.core.Event;
import io.sseline.servlet.CloseReason;
import io.sseline.servlet.EventStream;
import io.sseline.servlet.EventStreamConfig;
import io.sseline.servlet.EventStreams;
import io.sseline.servlet.SerializedEvent;
import io.sseline.servlet.SlowConsumerPolicy;
import io.sseline.testing.Container;
import io.sseline.testing.HttpEventClient;
import io.sseline.testing.RawClient;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The meters of {@link EventStreamsMetrics}, read while real clients use streams in Jetty and Tomcat. */
class EventStreamsMetricsTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final HttpClient HTTP = HttpEventClient.http11();

    @ParameterizedTest
    @EnumSource(Container.class)
    void countsEventsBytesAndEndsByReason(Container container) throws Exception {
        StreamServlet servlet = new StreamServlet(
                EventStreamConfig.builder().heartbeatInterval(Duration.ZERO).build());
        EventStreams streams = servlet.eventStreams();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new EventStreamsMetrics(streams, Tags.of("endpoint", "ticks")).bindTo(registry);
        try (Container.Running server = container.start(servlet)) {
            HttpEventClient client = HttpEventClient.connect(HTTP, server.uri());
            EventStream stream = servlet.awaitOpened(WAIT);
            long bytes = 0;
            for (int i = 0; i < 7; i++) {
                Event event = Event.of("{\"n\":" + i + ",\"text\":\"ünïcode\"}").withType("tick");
                bytes += SerializedEvent.of(event).size();
                stream.send(event);
            }
            assertThat(client.next(7, WAIT)).hasSize(7);

            assertThat(gauge(registry, "sseline.streams.open", "endpoint", "ticks"))
                    .isEqualTo(1);
            assertThat(counter(registry, "sseline.streams.opened")).isEqualTo(1);
            assertThat(counter(registry, "sseline.streams.sent.events")).isEqualTo(7);
            assertThat(counter(registry, "sseline.streams.sent.bytes")).isEqualTo(bytes);
            assertThat(gauge(registry, "sseline.streams.queued")).isZero();

            stream.close();
            client.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            await("the end counted")
                    .atMost(WAIT)
                    .until(() -> counter(registry, "sseline.streams.closed", "reason", "closed") == 1);
            assertThat(gauge(registry, "sseline.streams.open")).isZero();
            assertThat(counter(registry, "sseline.streams.sent.bytes"))
                    .as("an ended stream's bytes stay counted")
                    .isEqualTo(bytes);
            for (String reason : new String[] {"client_gone", "timeout", "slow_consumer", "shutdown"}) {
                assertThat(counter(registry, "sseline.streams.closed", "reason", reason))
                        .as(reason)
                        .isZero();
            }
            assertThat(registry.getMeters())
                    .extracting(Meter::getId)
                    .allSatisfy(id -> assertThat(id.getTag("endpoint")).isEqualTo("ticks"));
        } finally {
            streams.shutdown();
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aStalledClientShowsAsSlowConsumerActionsQueuedBytesAndTheHighWaterMark(Container container) throws Exception {
        int maxQueued = 16 * 1024;
        StreamServlet servlet = new StreamServlet(EventStreamConfig.builder()
                .heartbeatInterval(Duration.ZERO)
                .maxQueuedBytes(maxQueued)
                .slowConsumerPolicy(SlowConsumerPolicy.DROP)
                .build());
        EventStreams streams = servlet.eventStreams();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new EventStreamsMetrics(streams).bindTo(registry);
        SerializedEvent event = SerializedEvent.of(Event.of("x".repeat(1000)));
        try (Container.Running server = container.start(servlet);
                RawClient stalled = RawClient.get(server.port(), Container.PATH, Map.of(), 4096)) {
            assertThat(stalled.status()).isEqualTo(200);
            EventStream stream = servlet.awaitOpened(WAIT);
            int refused = 0;
            for (int i = 0; i < 100_000 && refused < 3; i++) {
                if (!stream.send(event)) {
                    refused++;
                }
            }

            assertThat(counter(registry, "sseline.streams.slow.consumers", "policy", "drop"))
                    .isEqualTo(3);
            assertThat(stream.droppedCount()).isEqualTo(3);
            double peak = gauge(registry, "sseline.streams.queue.peak");
            assertThat(peak).isGreaterThan(maxQueued - event.size()).isLessThanOrEqualTo(maxQueued);
            // The container may still take part of the queue into its own buffers as the socket's grow.
            await("the gauge to read the stream's queue")
                    .atMost(WAIT)
                    .until(() -> gauge(registry, "sseline.streams.queued") == stream.queuedBytes());
            assertThat(gauge(registry, "sseline.streams.queued")).isBetween(0.0, (double) maxQueued);

            stalled.abort();
            await("the stalled stream to end").atMost(WAIT).until(() -> {
                stream.send(event);
                return !stream.isOpen();
            });
            await("its end counted").atMost(WAIT).until(() -> gauge(registry, "sseline.streams.open") == 0);
            assertThat(counter(registry, "sseline.streams.closed", "reason", "client_gone"))
                    .isEqualTo(1);
            assertThat(gauge(registry, "sseline.streams.queue.peak"))
                    .as("the mark outlives the stream")
                    .isEqualTo(peak);
            assertThat(gauge(registry, "sseline.streams.queued")).isZero();
        } finally {
            streams.shutdown();
        }
        assertThat(streams.closedCount(CloseReason.SLOW_CONSUMER)).isZero();
    }
}
