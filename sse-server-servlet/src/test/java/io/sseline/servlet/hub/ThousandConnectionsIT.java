package io.sseline.servlet.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sseline.core.Event;
import io.sseline.servlet.CloseReason;
import io.sseline.servlet.EventStreamConfig;
import io.sseline.servlet.EventStreams;
import io.sseline.servlet.RecordingServlet;
import io.sseline.servlet.internal.InMemoryBackplane;
import io.sseline.testing.Container;
import io.sseline.testing.HttpEventClient;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** One container, one hub, 1,000 open event streams at once. */
class ThousandConnectionsIT {
    static final int CONNECTIONS = 1000;
    static final Duration WAIT = Duration.ofSeconds(30);

    @ParameterizedTest
    @EnumSource(Container.class)
    void thousandStreamsEachReceiveEveryBroadcastAndShutdownClosesThemAll(Container container) throws Exception {
        EventHub hub = EventHub.builder()
                .backplane(InMemoryBackplane.builder().epoch("k").build())
                .build();
        RecordingServlet servlet = new RecordingServlet(
                EventStreamConfig.builder()
                        .heartbeatInterval(Duration.ofSeconds(1))
                        .build(),
                (stream, request) -> hub.subscribe(stream, List.of("all")));
        EventStreams streams = servlet.eventStreams();
        ExecutorService executor = Executors.newFixedThreadPool(4);
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .executor(executor)
                .build();
        List<HttpEventClient> clients = new ArrayList<>(CONNECTIONS);
        try (Container.Running server = container.start(servlet)) {
            // In batches, so that the listen backlog never overflows.
            for (int batch = 0; batch < CONNECTIONS / 50; batch++) {
                List<HttpEventClient> opening = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    opening.add(HttpEventClient.connect(http, server.uri()));
                }
                for (HttpEventClient c : opening) {
                    assertThat(c.awaitOpen(WAIT).statusCode()).isEqualTo(200);
                }
                clients.addAll(opening);
            }
            await("every stream subscribed").atMost(WAIT).until(() -> hub.subscriberCount("all") == CONNECTIONS);
            assertThat(streams.openCount()).isEqualTo(CONNECTIONS);

            List<Event> expected = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String data = "{\"n\":" + i + ",\"text\":\"" + "chat message ".repeat(10) + "\"}";
                String id = hub.publish("all", Event.of(data).withType("chat"))
                        .toCompletableFuture()
                        .join();
                expected.add(Event.of(data).withType("chat").withId(id));
            }
            for (HttpEventClient c : clients) {
                assertThat(c.next(5, WAIT)).containsExactlyElementsOf(expected);
            }
            assertThat(streams.slowConsumerCount()).isZero();

            streams.shutdown(Event.of("bye").withType("shutdown"));
            assertThat(streams.openCount()).isZero();
            for (HttpEventClient c : clients) {
                assertThat(c.next(WAIT))
                        .isEqualTo(Event.of("bye")
                                .withType("shutdown")
                                .withId(expected.get(4).id()));
                c.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
            await("every subscription to end").atMost(WAIT).until(() -> hub.subscriberCount("all") == 0);
            assertThat(servlet.closed)
                    .hasSize(CONNECTIONS)
                    .allSatisfy(c -> assertThat(c.reason()).isEqualTo(CloseReason.SHUTDOWN));
            assertThat(servlet.closeCounts.values()).hasSize(CONNECTIONS).containsOnly(1);
        } finally {
            clients.forEach(HttpEventClient::close);
            hub.close();
            executor.shutdownNow();
        }
    }
}
