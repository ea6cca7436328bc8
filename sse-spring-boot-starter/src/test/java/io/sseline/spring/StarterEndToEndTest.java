package io.sseline.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.sseline.core.Event;
import io.sseline.servlet.CloseReason;
import io.sseline.servlet.EventStream;
import io.sseline.servlet.EventStreams;
import io.sseline.servlet.hub.Replay;
import io.sseline.spring.testapp.ChatTestApp;
import io.sseline.spring.testapp.ChatTestApp.ChatMessage;
import java.net.http.HttpResponse;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

/**
 * The chat of {@link ChatTestApp} in a real container on a random port, driven by a real {@link
 * io.sseline.client.EventSource}: typed events, replay after a reconnect, streams given to and
 * returned by controller methods, and the health endpoint. Run on Tomcat and on Jetty by the
 * subclasses.
 */
abstract class StarterEndToEndTest {
    @Autowired
    WebServerApplicationContext context;

    @Autowired
    ChatTestApp.Record record;

    @Autowired
    EventStreams streams;

    @Autowired
    MeterRegistry meters;

    int port;

    /** The simple name of the web server class the subclass runs on. */
    abstract String webServer();

    @BeforeEach
    void clearRecord() {
        port = context.getWebServer().getPort();
        record.lastEventIds.clear();
        record.replays.clear();
        record.closes.clear();
        record.resumeGate = new CountDownLatch(0);
    }

    @Test
    void runsOnItsContainer() {
        assertThat(context.getWebServer().getClass().getSimpleName()).isEqualTo(webServer());
    }

    @Test
    void aPostedMessageReachesAnEventSourceAsATypedValue() throws Exception {
        try (SseClient client = SseClient.connect(port, "/chat")) {
            assertThat(record.replays.poll(20, TimeUnit.SECONDS))
                    .extracting(Replay::outcome)
                    .isEqualTo(Replay.Outcome.NOT_REQUESTED);

            ChatMessage hello = new ChatMessage("ada", "Hello, \"Boot\" \u00e9\u2603");
            String id = SseClient.post(port, hello);

            assertThat(client.nextMessage()).isEqualTo(hello);
            assertThat(client.source.lastEventId()).isEqualTo(id);
        }
    }

    @Test
    void aReconnectingSourceIsReplayedWhatItMissed() throws Exception {
        try (SseClient client = SseClient.connect(port, "/chat")) {
            assertThat(record.replays.poll(20, TimeUnit.SECONDS)).isNotNull();
            assertThat(record.lastEventIds.poll()).isEmpty();
            ChatMessage first = new ChatMessage("ada", "first");
            String firstId = SseClient.post(port, first);
            assertThat(client.nextMessage()).isEqualTo(first);

            // The reconnect is held at the server until the missed messages are published, so that
            // they can only arrive by replay.
            CountDownLatch gate = new CountDownLatch(1);
            record.resumeGate = gate;
            streams.openStreams().forEach(EventStream::close);
            assertThat(record.closes.poll(20, TimeUnit.SECONDS)).isEqualTo(CloseReason.CLOSED);
            ChatMessage second = new ChatMessage("bob", "second");
            ChatMessage third = new ChatMessage("cy", "third");
            SseClient.post(port, second);
            String thirdId = SseClient.post(port, third);
            assertThat(record.lastEventIds.poll(20, TimeUnit.SECONDS)).isEqualTo(firstId);
            gate.countDown();

            Replay replay = record.replays.poll(20, TimeUnit.SECONDS);
            assertThat(replay).isNotNull();
            assertThat(replay.outcome()).isEqualTo(Replay.Outcome.REPLAYED);
            assertThat(replay.count()).isEqualTo(2);
            assertThat(client.nextMessage()).isEqualTo(second);
            assertThat(client.nextMessage()).isEqualTo(third);
            assertThat(client.source.lastEventId()).isEqualTo(thirdId);
            assertThat(client.messages).isEmpty();
        }
    }

    @Test
    void theStreamsAndTheHubAreOnTheMeterRegistry() throws Exception {
        double sentBefore =
                meters.get("sseline.streams.sent.events").functionCounter().count();
        try (SseClient client = SseClient.connect(port, "/chat")) {
            assertThat(record.replays.poll(20, TimeUnit.SECONDS)).isNotNull();
            assertThat(meters.get("sseline.streams.open").gauge().value()).isGreaterThanOrEqualTo(1);
            assertThat(meters.get("sseline.hub.subscriptions").gauge().value()).isGreaterThanOrEqualTo(1);

            ChatMessage hello = new ChatMessage("ada", "metered");
            SseClient.post(port, hello);
            assertThat(client.nextMessage()).isEqualTo(hello);
            assertThat(meters.get("sseline.streams.sent.events")
                            .functionCounter()
                            .count())
                    .isGreaterThan(sentBefore);
        }
    }

    @Test
    void headGetsTheHeadersOfGetAndOpensNoStream() throws Exception {
        long opened = streams.openedCount();

        HttpResponse<String> head = SseClient.send(port, "/chat", "HEAD");

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        assertThat(head.body()).isEmpty();
        assertThat(streams.openedCount()).as("streams opened").isEqualTo(opened);
    }

    @Test
    void aMethodTheControllerDoesNotServeGets405() throws Exception {
        long opened = streams.openedCount();

        assertThat(SseClient.send(port, "/chat", "PUT").statusCode()).isEqualTo(405);
        assertThat(streams.openedCount()).as("streams opened").isEqualTo(opened);
    }

    @Test
    void aMethodMayReturnTheStreamItWasGiven() throws Exception {
        try (SseClient client = SseClient.connect(port, "/returned")) {
            Event event = client.nextEvent();
            assertThat(event.data()).isEqualTo("given and returned");
        }
    }

    @Test
    void aMethodMayReturnAStreamItOpened() throws Exception {
        try (SseClient client = SseClient.connect(port, "/opened")) {
            assertThat(client.nextEvent().data()).isEqualTo("opened here");
        }
    }

    @Test
    void healthShowsTheHub() throws Exception {
        HttpResponse<String> health = SseClient.get(port, "/actuator/health");

        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        assertThat(health.body())
                .contains("\"sseline\":{")
                .contains("\"status\":\"UP\"")
                .contains("InMemoryBackplane");
    }
}
