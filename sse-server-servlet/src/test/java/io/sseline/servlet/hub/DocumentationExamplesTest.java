package io.sseline.servlet.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sseline.core.Event;
import io.sseline.servlet.EventStream;
import io.sseline.servlet.EventStreamConfig;
import io.sseline.servlet.EventStreamServlet;
import io.sseline.servlet.ExampleObjects.Log;
import io.sseline.servlet.ExampleObjects.Metrics;
import io.sseline.servlet.RecordingServlet;
import io.sseline.servlet.hub.spi.Backplane;
import io.sseline.servlet.hub.spi.BackplaneEntry;
import io.sseline.servlet.hub.spi.BackplaneHistory;
import io.sseline.servlet.internal.InMemoryBackplane;
import io.sseline.testing.Container;
import io.sseline.testing.HttpEventClient;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The examples of the Javadoc of the hub and SPI packages and of the README's hub section, compiled
 * and run so that they cannot drift from the API. Each test names where its examples are shown; the
 * small types at the end stand for the application objects the examples use.
 */
class DocumentationExamplesTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final HttpClient HTTP = HttpEventClient.http11();

    /** EventHub's type Javadoc, HistoryGapHandler, and README "The hub" (which builds the hub). */
    @ParameterizedTest
    @ValueSource(strings = {"javadoc", "readme"})
    void hubWithSnapshotOnGap(String where) throws Exception {
        EventHub hub = where.equals("javadoc")
                ? EventHub.create()
                : EventHub.builder()
                        .maxEntries(10_000) // the history for replay, over all channels
                        .maxAge(Duration.ofMinutes(10))
                        .build();
        Roster roster = new Roster("[\"ann\",\"bob\"]");
        EventStreamServlet servlet = new EventStreamServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void onOpen(EventStream stream, HttpServletRequest request) {
                hub.subscribe(
                        stream,
                        List.of("chat", "presence"),
                        (s, lastEventId) -> s.send(Event.of(roster.toJson()).withType("snapshot")));
            }
        };
        try (Container.Running server = Container.JETTY.start(servlet);
                HttpEventClient client = HttpEventClient.connect(HTTP, server.uri(), "from-another-life")) {
            assertThat(client.next(WAIT).type()).isEqualTo("snapshot");
            hub.publish("chat", Event.of("{\"from\":\"ann\",\"text\":\"hi\"}").withType("message"));
            assertThat(client.next(WAIT).data()).isEqualTo("{\"from\":\"ann\",\"text\":\"hi\"}");
        } finally {
            hub.close();
        }
    }

    /** EventHub.subscribe with resumeFrom: an id kept in a query parameter. */
    @Test
    void resumeFromAQueryParameter() throws Exception {
        EventHub hub = EventHub.create();
        RecordingServlet servlet = new RecordingServlet(EventStreamConfig.defaults(), (stream, request) -> {
            String header = stream.lastEventId();
            String resumeFrom =
                    header.isEmpty() ? Objects.requireNonNullElse(request.getParameter("lastEventId"), "") : header;
            hub.subscribe(stream, List.of("chat"), resumeFrom, (s, id) -> s.send(snapshot()));
        });
        try (Container.Running server = Container.JETTY.start(servlet)) {
            String first = publish(hub, "chat", "1");
            publish(hub, "chat", "2");
            try (HttpEventClient client = HttpEventClient.connect(HTTP, server.uri("lastEventId=" + first))) {
                assertThat(client.next(WAIT).data()).isEqualTo("2");
            }
            try (HttpEventClient client = HttpEventClient.connect(HTTP, server.uri("lastEventId=unknown"))) {
                assertThat(client.next(WAIT).type()).isEqualTo("snapshot");
            }
        } finally {
            hub.close();
        }
    }

    /** EventHub.history: a channel's recent events for a page. */
    @Test
    void historyOfAChannel() throws Exception {
        EventHub hub = EventHub.create();
        Page page = new Page();
        try (hub) {
            String last = null;
            for (int i = 1; i <= 3; i++) {
                last = publish(hub, "room:lobby", "m" + i);
            }
            hub.history("room:lobby", 50)
                    .thenAccept(events -> page.render(events))
                    .toCompletableFuture()
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(page.rendered).extracting(Event::data).containsExactly("m1", "m2", "m3");
            assertThat(page.rendered.get(2).id()).isEqualTo(last);
        }
    }

    /** EventHub.Builder.rewind: newcomers see the latest messages. */
    @Test
    void rewindForNewcomers() throws Exception {
        EventHub hub = EventHub.builder().rewind(50).build(); // newcomers see the last 50 messages
        RecordingServlet servlet = new RecordingServlet(
                EventStreamConfig.defaults(), (stream, request) -> hub.subscribe(stream, List.of("chat")));
        try (Container.Running server = Container.JETTY.start(servlet)) {
            publish(hub, "chat", "m1");
            publish(hub, "chat", "m2");
            try (HttpEventClient client = HttpEventClient.connect(HTTP, server.uri())) {
                assertThat(client.next(2, WAIT)).extracting(Event::data).containsExactly("m1", "m2");
            }
        } finally {
            hub.close();
        }
    }

    /** Subscription, Replay and Replay.Outcome, and HistoryGapHandler: how a subscription began. */
    @Test
    void subscriptionReplayAndGapExamples() throws Exception {
        EventHub hub = EventHub.create();
        Log log = new Log();
        Metrics metrics = new Metrics();
        Board board = new Board("{\"cells\":[]}");
        List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
        RecordingServlet servlet = new RecordingServlet(EventStreamConfig.defaults(), (stream, request) -> {
            // Subscription
            Subscription subscription = hub.subscribe(stream, List.of("chat", "presence"));
            subscription.replay().thenAccept(replay -> log.fine("resumed: " + replay));
            subscriptions.add(subscription);
            // Replay
            hub.subscribe(stream, List.of("chat")).replay().thenAccept(replay -> {
                if (replay.outcome() == Replay.Outcome.GAP) {
                    metrics.increment("sse.resume.gap");
                }
            });
            // HistoryGapHandler
            hub.subscribe(
                    stream,
                    List.of("board"),
                    (s, lastEventId) -> s.send(Event.of(board.toJson()).withType("snapshot")));
        });
        try (Container.Running server = Container.JETTY.start(servlet);
                HttpEventClient client = HttpEventClient.connect(HTTP, server.uri(), "unknown")) {
            Event snapshot = client.next(WAIT);
            assertThat(snapshot.type()).isEqualTo("snapshot");
            assertThat(snapshot.data()).isEqualTo("{\"cells\":[]}");
            await("the replay outcomes")
                    .atMost(WAIT)
                    .until(() -> log.lines.size() == 1 && metrics.count("sse.resume.gap") == 1);
            assertThat(log.lines).containsExactly("resumed: Replay{GAP, after unknown, 0 events}");

            Replay replay = subscriptions.get(0).replay().toCompletableFuture().get();
            // Replay.Outcome
            boolean resumed = replay.outcome() == Replay.Outcome.REPLAYED;
            assertThat(resumed).isFalse();
            await("the three outcomes counted")
                    .atMost(WAIT)
                    .until(() ->
                            subscriptions.get(0).replay().toCompletableFuture().isDone()
                                    && hub.replayCount(Replay.Outcome.GAP) == 3);
            // EventHub, "Counters"
            long gaps = hub.replayCount(Replay.Outcome.GAP);
            assertThat(gaps).as("three subscriptions of one client past a gap").isEqualTo(3);
        } finally {
            hub.close();
        }
    }

    /** EventHubServlet: channels per request and a snapshot on a gap. */
    @Test
    void eventHubServletPerRequest() throws Exception {
        EventHub hub = EventHub.create();
        Rooms rooms = new Rooms("{\"rooms\":1}");
        EventHubServlet servlet = new EventHubServlet(hub, EventStreamConfig.defaults(), List.of()) {
            private static final long serialVersionUID = 1L;

            @Override
            protected Collection<String> channels(HttpServletRequest request) {
                return List.of("room:" + request.getParameter("room"));
            }

            @Override
            protected void onHistoryGap(EventStream stream, String lastEventId) {
                stream.send(Event.of(rooms.snapshotJson()).withType("snapshot"));
            }
        };
        try (Container.Running server = Container.JETTY.start(servlet);
                HttpEventClient client = HttpEventClient.connect(HTTP, server.uri("room=7"), "old")) {
            assertThat(client.next(WAIT).data()).isEqualTo("{\"rooms\":1}");
            await("the subscription").atMost(WAIT).until(() -> hub.subscriberCount("room:7") == 1);
            String id = publish(hub, "room:7", "hello");
            assertThat(client.next(WAIT)).isEqualTo(Event.of("hello").withId(id));
        } finally {
            hub.close();
        }
    }

    /** EventHubServlet and EventStreamServlet: programmatic registration, here from an initializer. */
    @Test
    void programmaticRegistration() throws Exception {
        EventHub hub = EventHub.create();
        Path base = Files.createTempDirectory("tomcat");
        Tomcat tomcat = new Tomcat();
        Context context = Container.rootContext(tomcat, base);
        Connector connector = tomcat.getConnector();
        context.addServletContainerInitializer(
                (classes, servletContext) -> {
                    ServletRegistration.Dynamic chat = servletContext.addServlet(
                            "chat", new EventHubServlet(hub, EventStreamConfig.defaults(), List.of("chat")));
                    chat.setAsyncSupported(true);
                    chat.addMapping("/chat/events");
                },
                null);
        tomcat.start();
        try (HttpEventClient client = HttpEventClient.connect(
                HTTP, URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/chat/events"))) {
            await("the subscription").atMost(WAIT).until(() -> hub.subscriberCount("chat") == 1);
            String id =
                    hub.publish("chat", Event.of("hi")).toCompletableFuture().join();
            assertThat(client.next(WAIT)).isEqualTo(Event.of("hi").withId(id));
        } finally {
            tomcat.stop();
            tomcat.destroy();
            hub.close();
        }
    }

    /** Backplane's type Javadoc: an implementation of the SPI given to the hub. */
    @Test
    void backplaneGivenToTheHub() throws Exception {
        InMemoryBackplane log = InMemoryBackplane.builder().epoch("x").build();
        Backplane backplane = new LogBackplane(log); // an implementation of this contract
        EventHub hub = EventHub.builder().backplane(backplane).build(); // the hub starts it, once
        try (hub) {
            assertThat(publish(hub, "chat", "via the log")).isEqualTo("x-1");
            assertThat(hub.history("chat", 1).toCompletableFuture().join())
                    .containsExactly(Event.of("via the log").withId("x-1"));
        }
    }

    /** Backplane.EntryHandler: what the hub passes to start. */
    @Test
    void entryHandlerReceivesTheLog() throws Exception {
        Map<String, List<BackplaneEntry>> delivered = new ConcurrentHashMap<>();
        try (InMemoryBackplane backplane = InMemoryBackplane.create()) {
            backplane.start(entry -> deliverToLocalSubscribers(delivered, entry.channel(), entry));
            backplane.publish("chat", Event.of("hi")).toCompletableFuture().join();
            assertThat(delivered.get("chat")).extracting(e -> e.event().data()).containsExactly("hi");
        }
    }

    /** BackplaneEntry and BackplaneHistory. */
    @Test
    void spiValues() {
        BackplaneEntry entry =
                BackplaneEntry.of("1732521600000-0", "chat", Event.of("hi").withType("message"));
        assertThat(entry.id()).isEqualTo("1732521600000-0");

        String head = "1732521600000-0";
        for (List<BackplaneEntry> entries : List.of(List.of(entry), List.<BackplaneEntry>of())) {
            for (boolean tooOld : List.of(false, true)) {
                BackplaneHistory history = entries.isEmpty() && tooOld
                        ? BackplaneHistory.gap(head)
                        : BackplaneHistory.exact(entries, head);
                assertThat(history.isGap()).isEqualTo(entries.isEmpty() && tooOld);
                assertThat(history.entries()).isEqualTo(entries);
                assertThat(history.head()).isEqualTo(head);
            }
        }
    }

    private static String publish(EventHub hub, String channel, String data) {
        return hub.publish(channel, Event.of(data)).toCompletableFuture().join();
    }

    private static Event snapshot() {
        return Event.of("{\"state\":\"now\"}").withType("snapshot");
    }

    private static void deliverToLocalSubscribers(
            Map<String, List<BackplaneEntry>> delivered, String channel, BackplaneEntry entry) {
        delivered.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(entry);
    }

    /** A backplane of the application's own; here it passes every call to another log. */
    static final class LogBackplane extends EventHubTest.DelegatingBackplane {
        LogBackplane(Backplane log) {
            super(log);
        }
    }

    record Roster(String json) {
        String toJson() {
            return json;
        }
    }

    record Board(String json) {
        String toJson() {
            return json;
        }
    }

    record Rooms(String json) {
        String snapshotJson() {
            return json;
        }
    }

    static final class Page {
        final List<Event> rendered = new CopyOnWriteArrayList<>();

        void render(List<Event> events) {
            rendered.addAll(events);
        }
    }
}
