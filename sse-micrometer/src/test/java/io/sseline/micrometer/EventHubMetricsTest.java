package io.sseline.micrometer;

import static io.sseline.micrometer.Meters.counter;
import static io.sseline.micrometer.Meters.gauge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.search.RequiredSearch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sseline.core.Event;
import io.sseline.servlet.EventStreamConfig;
import io.sseline.servlet.hub.EventHub;
import io.sseline.testing.Container;
import io.sseline.testing.HttpEventClient;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The meters of {@link EventHubMetrics}, read while real clients subscribe and resume in Jetty. */
class EventHubMetricsTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final HttpClient HTTP = HttpEventClient.http11();

    @Test
    void countsEntriesSubscriptionsReplaysAndGaps() throws Exception {
        EventHub hub = EventHub.create();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new EventHubMetrics(hub).withChannels(List.of("chat")).bindTo(registry);
        StreamServlet servlet = new StreamServlet(
                EventStreamConfig.defaults(), (stream, request) -> hub.subscribe(stream, List.of("chat", "presence")));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(hub.publish("chat", Event.of("m" + i)).toCompletableFuture().join());
        }
        List<HttpEventClient> clients = new ArrayList<>();
        try (Container.Running server = Container.JETTY.start(servlet)) {
            clients.add(HttpEventClient.connect(HTTP, server.uri()));
            clients.add(HttpEventClient.connect(HTTP, server.uri(), ids.get(2)));
            clients.add(HttpEventClient.connect(HTTP, server.uri(), "no-such-id"));
            assertThat(clients.get(1).next(2, WAIT)).extracting(Event::data).containsExactly("m3", "m4");
            await("three subscriptions begun")
                    .atMost(WAIT)
                    .until(() -> counter(registry, "sseline.hub.replays", "outcome", "not_requested")
                                    + counter(registry, "sseline.hub.replays", "outcome", "replayed")
                                    + counter(registry, "sseline.hub.replays", "outcome", "gap")
                            == 3);

            assertThat(counter(registry, "sseline.hub.replays", "outcome", "not_requested"))
                    .isEqualTo(1);
            assertThat(counter(registry, "sseline.hub.replays", "outcome", "replayed"))
                    .isEqualTo(1);
            assertThat(counter(registry, "sseline.hub.replays", "outcome", "gap"))
                    .isEqualTo(1);
            assertThat(counter(registry, "sseline.hub.replays", "outcome", "failed"))
                    .isZero();
            assertThat(counter(registry, "sseline.hub.replayed.events")).isEqualTo(2);
            assertThat(gauge(registry, "sseline.hub.subscriptions")).isEqualTo(3);
            assertThat(gauge(registry, "sseline.hub.channels")).isEqualTo(2);
            assertThat(gauge(registry, "sseline.hub.subscribers", "channel", "chat"))
                    .isEqualTo(3);
            assertThat(RequiredSearch.in(registry)
                            .name("sseline.hub.subscribers")
                            .gauges())
                    .as("only the channels named")
                    .hasSize(1);

            hub.publish("presence", Event.of("ann")).toCompletableFuture().join();
            for (HttpEventClient client : clients) {
                assertThat(client.next(WAIT).data()).isEqualTo("ann");
            }
            assertThat(counter(registry, "sseline.hub.entries")).isEqualTo(6);

            clients.remove(0).close();
            // The server notices a vanished client when a write fails.
            await("the subscription to end").atMost(WAIT).until(() -> {
                hub.publish("presence", Event.of("anyone?"));
                return gauge(registry, "sseline.hub.subscriptions") == 2;
            });
            assertThat(gauge(registry, "sseline.hub.subscribers", "channel", "chat"))
                    .isEqualTo(2);
        } finally {
            clients.forEach(HttpEventClient::close);
            hub.close();
            servlet.eventStreams().shutdown();
        }
    }
}
