package io.sseline.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.sseline.core.Event;
import io.sseline.servlet.hub.EventHub;
import io.sseline.servlet.hub.EventHubServlet;
import io.sseline.testing.Container;
import io.sseline.testing.HttpEventClient;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The opt-in {@code Last-Event-ID} query-parameter fallback, for a browser page that opens a stream
 * where an earlier one left off (its {@code EventSource} cannot set the header): off by default, the
 * header wins when both are there, and the hub servlet replays from it.
 */
class LastEventIdParameterTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final HttpClient HTTP = HttpEventClient.http11();

    private static String lastEventIdOf(Container container, EventStreamConfig config, String query, String header)
            throws Exception {
        RecordingServlet servlet = new RecordingServlet(config, (stream, request) -> stream.close());
        try (Container.Running server = container.start(servlet);
                HttpEventClient client = HttpEventClient.connect(HTTP, server.uri(query), header)) {
            client.awaitOpen(WAIT);
            return servlet.awaitOpened(WAIT).lastEventId();
        }
    }

    private static EventStreamConfig withParameter() {
        return EventStreamConfig.builder()
                .heartbeatInterval(Duration.ZERO)
                .lastEventIdParameter("lastEventId")
                .build();
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void theParameterStandsInForAMissingHeader(Container container) throws Exception {
        assertThat(lastEventIdOf(container, withParameter(), "room=1&lastEventId=Z%C3%BCrich-42", ""))
                .isEqualTo("Zürich-42");
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void theHeaderWinsWhenBothArePresent(Container container) throws Exception {
        assertThat(lastEventIdOf(container, withParameter(), "lastEventId=from-url", "from-header"))
                .isEqualTo("from-header");
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void theParameterIsIgnoredUnlessTurnedOn(Container container) throws Exception {
        EventStreamConfig defaults =
                EventStreamConfig.builder().heartbeatInterval(Duration.ZERO).build();
        assertThat(lastEventIdOf(container, defaults, "lastEventId=42", "")).isEmpty();
        assertThat(lastEventIdOf(container, withParameter(), "lastEventId=4%0A2", ""))
                .as("a value no id can hold")
                .isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void theHubServletReplaysAfterTheIdInTheUrl(Container container) throws Exception {
        EventHub hub = EventHub.builder().maxEntries(100).build();
        try (Container.Running server = container.start(new EventHubServlet(hub, withParameter(), List.of("news")))) {
            String first =
                    hub.publish("news", Event.of("one")).toCompletableFuture().join();
            String second =
                    hub.publish("news", Event.of("two")).toCompletableFuture().join();
            String third =
                    hub.publish("news", Event.of("three")).toCompletableFuture().join();

            try (HttpEventClient client = HttpEventClient.connect(HTTP, server.uri("lastEventId=" + first))) {
                assertThat(client.next(2, WAIT))
                        .containsExactly(
                                Event.of("two").withId(second),
                                Event.of("three").withId(third));
            }
        } finally {
            hub.close();
        }
    }
}
