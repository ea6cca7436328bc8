package io.sseline.servlet.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.sseline.core.Event;
import io.sseline.servlet.Await;
import io.sseline.servlet.Container;
import io.sseline.servlet.EventStream;
import io.sseline.servlet.EventStreamConfig;
import io.sseline.servlet.EventStreamServlet;
import io.sseline.servlet.EventStreams;
import io.sseline.servlet.HttpEventClient;
import io.sseline.servlet.RawClient;
import io.sseline.servlet.SerializedEvent;
import io.sseline.servlet.SlowConsumerPolicy;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;

/**
 * The examples of this module's Javadoc and README, compiled and run so that they cannot drift from
 * the API. Each test names where its example is shown.
 */
class DocumentationExamplesTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final HttpClient HTTP = HttpEventClient.http11();

    /** README, "One stream". */
    static final class ClockServlet extends EventStreamServlet {
        private static final long serialVersionUID = 1L;
        private final transient ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        final transient AtomicReference<ScheduledFuture<?>> lastTask = new AtomicReference<>();

        @Override
        protected void onOpen(EventStream stream, HttpServletRequest request) {
            ScheduledFuture<?> task = ticker.scheduleAtFixedRate(
                    () -> stream.send(Event.of(Instant.now().toString()).withType("tick")),
                    0,
                    100,
                    TimeUnit.MILLISECONDS);
            stream.onClose((s, reason) -> task.cancel(false));
            lastTask.set(task);
        }

        @Override
        public void destroy() {
            super.destroy();
            ticker.shutdownNow();
        }
    }

    @Test
    void readmeClockServletTicksUntilTheClientLeaves() throws Exception {
        ClockServlet servlet = new ClockServlet();
        try (Container.Running server = Container.JETTY.start(servlet)) {
            HttpEventClient client = HttpEventClient.connect(HTTP, server.uri());
            assertThat(client.next(WAIT).type()).isEqualTo("tick");
            client.close();
            Await.until(
                    "the tick task to stop", WAIT, () -> servlet.lastTask.get().isCancelled());
        }
    }

    /** README and EventStreams: a stream opened from a plain servlet. */
    @Test
    void eventStreamsFromAnyServlet() throws Exception {
        EventStreams streams = EventStreams.create(EventStreamConfig.defaults());
        HttpServlet servlet = new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                EventStream stream = streams.open(request, response);
                stream.send(Event.of("hello"));
            }

            @Override
            public void destroy() {
                streams.shutdown(Event.of("restarting").withType("bye"));
            }
        };
        try (Container.Running server = Container.TOMCAT.start(servlet);
                HttpEventClient client = HttpEventClient.connect(HTTP, server.uri())) {
            assertThat(client.next(WAIT)).isEqualTo(Event.of("hello"));
            assertThat(streams.openCount()).isEqualTo(1);
            servlet.destroy();
            assertThat(client.next(WAIT)).isEqualTo(Event.of("restarting").withType("bye"));
        }
    }

    /** EventStreams.open and README, "HTTP methods": a stream that never opened announces nobody. */
    @Test
    void checkIsOpenBeforeAnnouncingAClient() throws Exception {
        EventStreams streams = EventStreams.create(EventStreamConfig.defaults());
        Set<EventStream> presence = ConcurrentHashMap.newKeySet();
        HttpServlet servlet = new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                EventStream stream = streams.open(request, response);
                if (!stream.isOpen()) {
                    return; // HEAD, or shutting down: already answered
                }
                presence.add(stream);
            }
        };
        try (Container.Running server = Container.JETTY.start(servlet)) {
            for (String method : List.of("HEAD", "GET")) {
                try (RawClient client =
                        RawClient.send(server.port(), method, Container.PATH, "HTTP/1.1", Map.of(), 0)) {
                    assertThat(client.status()).isEqualTo(200);
                }
            }
            Await.until("the GET announced", WAIT, () -> presence.size() == 1);
            assertThat(streams.openedCount()).as("HEAD opened nothing").isEqualTo(1);
        } finally {
            streams.shutdown();
        }
    }

    /** EventHub, HistoryGapHandler and README, "The hub". */
    @Test
    void hubWithSnapshotOnGap() throws Exception {
        EventHub hub = EventHub.builder()
                .maxEntries(10_000)
                .maxAge(Duration.ofMinutes(10))
                .build();
        String roster = "[\"ann\",\"bob\"]";
        EventStreamServlet servlet = new EventStreamServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void onOpen(EventStream stream, HttpServletRequest request) {
                hub.subscribe(
                        stream,
                        List.of("chat", "presence"),
                        (s, lastEventId) -> s.send(Event.of(roster).withType("snapshot")));
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
            Await.until("the subscription", WAIT, () -> hub.subscriberCount("chat") == 1);
            String id =
                    hub.publish("chat", Event.of("hi")).toCompletableFuture().join();
            assertThat(client.next(WAIT)).isEqualTo(Event.of("hi").withId(id));
        } finally {
            tomcat.stop();
            tomcat.destroy();
            hub.close();
        }
    }

    /** A logger as the examples use one. */
    record Log(List<String> lines) {
        void info(String line) {
            lines.add(line);
        }
    }

    /** SlowConsumerHandler: the handler is told which stream fell behind, and how far. */
    @Test
    void slowConsumerHandlerLogsTheStream() throws Exception {
        List<String> logged = new CopyOnWriteArrayList<>();
        Log log = new Log(logged);
        EventStreamConfig config = EventStreamConfig.builder()
                .slowConsumerHandler((stream, policy) ->
                        log.info("slow client, " + stream.queuedBytes() + " bytes queued: " + policy))
                .build();
        EventStreams streams =
                EventStreams.create(config.toBuilder().maxQueuedBytes(1024).build());
        HttpServlet servlet = new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                EventStream stream = streams.open(request, response);
                String kilobyte = "x".repeat(1000);
                while (stream.send(kilobyte)) {
                    // fills the queue faster than any client reads it
                }
            }
        };
        try (Container.Running server = Container.JETTY.start(servlet);
                HttpEventClient client = HttpEventClient.connect(HTTP, server.uri())) {
            client.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS); // DISCONNECT closed the stream
            assertThat(logged).singleElement().asString().matches("slow client, \\d+ bytes queued: DISCONNECT");
        } finally {
            streams.shutdown();
        }
    }

    /** EventStreamConfig, SlowConsumerPolicy, SerializedEvent. */
    @Test
    void configurationAndSerializedEvents() {
        EventStreamConfig config = EventStreamConfig.builder()
                .maxQueuedBytes(512 * 1024)
                .slowConsumerPolicy(SlowConsumerPolicy.DROP)
                .slowConsumerHandler((stream, policy) -> {})
                .heartbeatInterval(Duration.ofSeconds(20))
                .build();
        assertThat(config.maxQueuedBytes()).isEqualTo(512 * 1024);
        SerializedEvent price = SerializedEvent.of(Event.of("{\"eur\":1.08}").withType("price"));
        assertThat(price.size()).isEqualTo("event: price\ndata: {\"eur\":1.08}\n\n".length());
    }
}
