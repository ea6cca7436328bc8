package io.sseline.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sseline.core.Event;
import io.sseline.core.EventCodec;
import io.sseline.servlet.ExampleObjects.Log;
import io.sseline.servlet.ExampleObjects.Metrics;
import io.sseline.testing.Container;
import io.sseline.testing.HttpEventClient;
import io.sseline.testing.RawClient;
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
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The examples of this package's Javadoc and of the README, compiled and run so that they cannot
 * drift from the API. Each test names where its examples are shown; the small types at the end stand
 * for the application objects the examples use (metrics, a logger, presence).
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
            await("the tick task to stop")
                    .atMost(WAIT)
                    .until(() -> servlet.lastTask.get().isCancelled());
        }
    }

    /** EventStreamServlet: the subclass of its type Javadoc, as written there. */
    static final class EventStreamServletExample {
        static final Ticks clock = new Ticks();

        public static final class ClockServlet extends EventStreamServlet {
            private static final long serialVersionUID = 1L;

            public ClockServlet() {
                super(EventStreamConfig.builder()
                        .heartbeatInterval(Duration.ofSeconds(20))
                        .build());
            }

            @Override
            protected void onOpen(EventStream stream, HttpServletRequest request) {
                clock.subscribe(time -> stream.send(Event.of(time.toString()).withType("tick")));
            }
        }
    }

    /** EventStreamServlet and README, "Registering the servlet": programmatic registration. */
    @Test
    void eventStreamServletRegisteredProgrammatically() throws Exception {
        Path base = Files.createTempDirectory("tomcat");
        Tomcat tomcat = new Tomcat();
        Context context = Container.rootContext(tomcat, base);
        Connector connector = tomcat.getConnector();
        context.addServletContainerInitializer(
                (classes, servletContext) -> {
                    ServletRegistration.Dynamic clock =
                            servletContext.addServlet("clock", new EventStreamServletExample.ClockServlet());
                    clock.setAsyncSupported(true);
                    clock.addMapping("/clock");
                },
                null);
        tomcat.start();
        try (HttpEventClient client =
                HttpEventClient.connect(HTTP, URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/clock"))) {
            client.awaitOpen(WAIT);
            Instant time = Instant.parse("2026-01-01T12:00:00Z");
            await("the subscription").atMost(WAIT).until(() -> EventStreamServletExample.clock.subscribers() > 0);
            EventStreamServletExample.clock.tick(time);
            assertThat(client.next(WAIT)).isEqualTo(Event.of(time.toString()).withType("tick"));
        } finally {
            tomcat.stop();
            tomcat.destroy();
        }
    }

    /** EventStreams's type Javadoc, and README "One stream": a stream opened from a plain servlet. */
    @ParameterizedTest
    @ValueSource(strings = {"javadoc", "readme"})
    void eventStreamsFromAnyServlet(String where) throws Exception {
        EventStreams streams = where.equals("javadoc")
                ? EventStreams.create(EventStreamConfig.builder()
                        .heartbeatInterval(Duration.ofSeconds(20))
                        .build())
                : EventStreams.create(EventStreamConfig.defaults());
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
            // EventStreams, "Counters"
            Log log = new Log();
            log.info(streams.openCount() + " open, " + streams.sentBytes() + " bytes sent, "
                    + streams.closedCount(CloseReason.SLOW_CONSUMER) + " slow clients cut");
            assertThat(log.lines).containsExactly("1 open, 13 bytes sent, 0 slow clients cut");
            servlet.destroy();
            assertThat(client.next(WAIT)).isEqualTo(Event.of("restarting").withType("bye"));
        }
    }

    /** EventStreams.open and README, "HTTP methods": a stream that never opened announces nobody. */
    @Test
    void checkIsOpenBeforeAnnouncingAClient() throws Exception {
        EventStreams streams = EventStreams.create(EventStreamConfig.defaults());
        Presence presence = new Presence();
        String user = "ann";
        HttpServlet servlet = new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                EventStream stream = streams.open(request, response);
                if (!stream.isOpen()) {
                    return; // HEAD, or shutting down: already answered
                }
                presence.join(stream, user);
            }
        };
        try (Container.Running server = Container.JETTY.start(servlet)) {
            for (String method : List.of("HEAD", "GET")) {
                try (RawClient client =
                        RawClient.send(server.port(), method, Container.PATH, "HTTP/1.1", Map.of(), 0)) {
                    assertThat(client.status()).isEqualTo(200);
                }
            }
            await("the GET announced").atMost(WAIT).until(() -> presence.joined.size() == 1);
            assertThat(streams.openedCount()).as("HEAD opened nothing").isEqualTo(1);
        } finally {
            streams.shutdown();
        }
    }

    /** EventStream, EventStream.CloseHandler and SerializedEvent. */
    @Test
    void sendFromAnyThreadAndShareSerializedBytes() throws Exception {
        EventStreams streams = EventStreams.create();
        Presence presence = new Presence();
        String user = "ann";
        Set<EventStream> subscribers = ConcurrentHashMap.newKeySet();
        Set<EventStream> watchers = subscribers;
        HttpServlet servlet = new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                // EventStream
                EventStream stream = streams.open(request, response);
                stream.onClose((s, reason) -> presence.leave(user));
                stream.send(Event.of("{\"content\":\"welcome\"}").withType("chat"));
                // EventStream.CloseHandler
                stream.onClose((s, reason) -> subscribers.remove(s));
                subscribers.add(stream);
            }
        };
        try (Container.Running server = Container.JETTY.start(servlet)) {
            HttpEventClient client = HttpEventClient.connect(HTTP, server.uri());
            assertThat(client.next(WAIT))
                    .isEqualTo(Event.of("{\"content\":\"welcome\"}").withType("chat"));
            EventStream stream = subscribers.iterator().next();
            // later, from any thread:
            stream.send("tick");
            SerializedEvent price = broadcastPrice(watchers);
            assertThat(price.size()).isEqualTo("event: price\ndata: {\"eur\":1.08}\n\n".length());
            assertThat(client.next(2, WAIT))
                    .containsExactly(
                            Event.of("tick"), Event.of("{\"eur\":1.08}").withType("price"));

            stream.close();
            client.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            // The handlers run on the thread that ended the stream, after the response completed.
            await("the close handlers").atMost(WAIT).until(() -> subscribers.isEmpty() && presence.left.contains(user));
        } finally {
            streams.shutdown();
        }
    }

    /** SerializedEvent's example; returns the event it sent. */
    private static SerializedEvent broadcastPrice(Collection<EventStream> watchers) {
        SerializedEvent price = SerializedEvent.of(Event.of("{\"eur\":1.08}").withType("price"));
        for (EventStream stream : watchers) {
            stream.send(price);
        }
        return price;
    }

    /** SlowConsumerHandler and CloseReason: a client that does not read is disconnected and logged. */
    @Test
    void slowConsumerIsLoggedAndCounted() throws Exception {
        Log log = new Log();
        Metrics metrics = new Metrics();
        EventStreamConfig config = EventStreamConfig.builder()
                .slowConsumerHandler((stream, policy) ->
                        log.info("slow client, " + stream.queuedBytes() + " bytes queued: " + policy))
                .build();
        EventStreams streams =
                EventStreams.create(config.toBuilder().maxQueuedBytes(1024).build());
        HttpServlet servlet = floodingServlet(
                streams,
                stream -> stream.onClose((s, reason) -> {
                    if (reason == CloseReason.SLOW_CONSUMER) {
                        metrics.increment("sse.disconnected.slow");
                    }
                }));
        try (Container.Running server = Container.JETTY.start(servlet);
                HttpEventClient client = HttpEventClient.connect(HTTP, server.uri())) {
            client.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS); // DISCONNECT closed the stream
            assertThat(log.lines).singleElement().asString().matches("slow client, \\d+ bytes queued: DISCONNECT");
            await("the close handler").atMost(WAIT).until(() -> metrics.count("sse.disconnected.slow") == 1);
        } finally {
            streams.shutdown();
        }
    }

    /** SlowConsumerPolicy: under DROP the stream stays open and the handler counts each drop. */
    @Test
    void dropPolicyKeepsTheStreamAndCountsTheDrop() throws Exception {
        Metrics metrics = new Metrics();
        EventStreamConfig config = EventStreamConfig.builder()
                .slowConsumerPolicy(SlowConsumerPolicy.DROP)
                .slowConsumerHandler((stream, policy) -> metrics.increment("sse.slow"))
                .build();
        EventStreams streams =
                EventStreams.create(config.toBuilder().maxQueuedBytes(1024).build());
        List<EventStream> flooded = new CopyOnWriteArrayList<>();
        try (Container.Running server = Container.JETTY.start(floodingServlet(streams, flooded::add));
                HttpEventClient client = HttpEventClient.connect(HTTP, server.uri())) {
            await("a drop").atMost(WAIT).until(() -> metrics.count("sse.slow") == 1);
            EventStream stream = flooded.get(0);
            assertThat(stream.isOpen()).isTrue();
            assertThat(stream.droppedCount()).isEqualTo(1);
            assertThat(client.next(WAIT).data())
                    .as("what was queued still arrives")
                    .hasSize(1000);
        } finally {
            streams.shutdown();
        }
    }

    /** EventStreamConfig and its Builder. */
    @Test
    void configuration() {
        EventStreamConfig config = EventStreamConfig.builder()
                .maxQueuedBytes(512 * 1024)
                .slowConsumerPolicy(SlowConsumerPolicy.DISCONNECT)
                .heartbeatInterval(Duration.ofSeconds(20))
                .build();
        EventStreams streams = EventStreams.create(config);
        assertThat(streams.config().maxQueuedBytes()).isEqualTo(512 * 1024);
        assertThat(streams.config().heartbeatInterval()).isEqualTo(Duration.ofSeconds(20));

        EventStreamConfig builderExample = EventStreamConfig.builder()
                .heartbeatInterval(Duration.ofSeconds(30))
                .build();
        assertThat(builderExample.heartbeatInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(builderExample.maxQueuedBytes()).isEqualTo(EventStreamConfig.DEFAULT_MAX_QUEUED_BYTES);

        java.util.concurrent.ExecutorService pool = Executors.newFixedThreadPool(64);
        try {
            EventStreamConfig feeds = EventStreamConfig.builder()
                    .feedExecutor(pool) // 64 sources that block at once, on JDK 17
                    .build();
            assertThat(feeds.feedExecutor()).containsSame(pool);
        } finally {
            pool.shutdownNow();
        }
    }

    /** EventStream.feed(Flow.Publisher, FeedOptions) and FeedOptions. */
    @Test
    void feedFromAPublisher() throws Exception {
        ExampleObjects.Model model = new ExampleObjects.Model();
        String prompt = "hello";
        RecordingServlet servlet = new RecordingServlet(EventStreamConfig.defaults(), (stream, request) -> {
            Thread producer = new Thread(() -> {
                SubmissionPublisher<Event> tokens = new SubmissionPublisher<>();
                stream.feed(tokens, FeedOptions.defaults().withFinalEvent(Event.of("[DONE]")));
                for (String token : model.generate(prompt)) {
                    tokens.submit(Event.of(token)); // blocks once the client falls behind and the buffer is full
                }
                tokens.close(); // the stream sends [DONE] and closes
            });
            producer.start();
        });
        try (Container.Running server = Container.JETTY.start(servlet);
                HttpEventClient client = HttpEventClient.connect(HTTP, server.uri())) {
            assertThat(client.next(4, WAIT)).extracting(Event::data).containsExactly("Hi", " there", "!", "[DONE]");
            assertThat(servlet.awaitClosed(WAIT).reason()).isEqualTo(CloseReason.CLOSED);
        }

        FeedOptions options = FeedOptions.defaults()
                .withLowWaterMark(32 * 1024)
                .withFinalEvent(Event.of("[DONE]"))
                .withErrorEvent(
                        error -> Event.of("{\"error\":\"upstream failed\"}").withType("error"));
        assertThat(options.lowWaterMark()).hasValue(32 * 1024);
        assertThat(options.finalEvent()).hasValue(Event.of("[DONE]"));
        assertThat(options.errorEvent()
                        .orElseThrow()
                        .apply(new java.io.IOException())
                        .type())
                .isEqualTo("error");
    }

    /** EventStream.feed(Flow.Publisher, EventCodec, FeedOptions). */
    @Test
    void feedFromAPublisherOfValues() throws Exception {
        ExampleObjects.Assistant assistant = new ExampleObjects.Assistant();
        EventCodec<ExampleObjects.ChatMessage> chatCodec = ExampleObjects.ChatMessage.CODEC;
        String question = "Is it streaming?";
        RecordingServlet servlet = new RecordingServlet(EventStreamConfig.defaults(), (stream, request) -> {
            Flow.Publisher<ExampleObjects.ChatMessage> replies = assistant.reply(question);
            stream.feed(replies, chatCodec, FeedOptions.defaults().withFinalEvent(Event.of("[DONE]")));
        });
        try (Container.Running server = Container.TOMCAT.start(servlet);
                HttpEventClient client = HttpEventClient.connect(HTTP, server.uri())) {
            assertThat(client.next(3, WAIT))
                    .extracting(Event::data)
                    .containsExactly("bot\tYou asked: Is it streaming?", "bot\tYes.", "[DONE]");
            assertThat(servlet.awaitClosed(WAIT).reason()).isEqualTo(CloseReason.CLOSED);
        }
    }

    /** EventStream.feed(Stream, FeedOptions) and feed(Iterator, FeedOptions). */
    @Test
    void feedFromAStreamAndAnIterator(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path log = Files.writeString(dir.resolve("app.log"), "started\nready\n");
        RecordingServlet lines = new RecordingServlet(EventStreamConfig.defaults(), (stream, request) -> {
            Stream<String> fileLines = Files.lines(log);
            stream.feed(fileLines.map(Event::of), FeedOptions.defaults()); // the file is closed when the stream is
        });
        try (Container.Running server = Container.TOMCAT.start(lines);
                HttpEventClient client = HttpEventClient.connect(HTTP, server.uri())) {
            assertThat(client.next(2, WAIT)).extracting(Event::data).containsExactly("started", "ready");
            assertThat(lines.awaitClosed(WAIT).reason()).isEqualTo(CloseReason.CLOSED);
        }

        RecordingServlet list = new RecordingServlet(
                EventStreamConfig.defaults(),
                (stream, request) -> stream.feed(
                        List.of(Event.of("a"), Event.of("b")).iterator(),
                        FeedOptions.defaults().withFinalEvent(Event.of("end"))));
        try (Container.Running server = Container.JETTY.start(list);
                HttpEventClient client = HttpEventClient.connect(HTTP, server.uri())) {
            assertThat(client.next(3, WAIT)).extracting(Event::data).containsExactly("a", "b", "end");
        }
    }

    /** EventStreamConfig.Builder.lastEventIdParameter. */
    @Test
    void lastEventIdParameter() throws Exception {
        EventStreamConfig config =
                EventStreamConfig.builder().lastEventIdParameter("lastEventId").build();
        RecordingServlet servlet = new RecordingServlet(config, (stream, request) -> stream.close());
        try (Container.Running server = Container.JETTY.start(servlet);
                HttpEventClient client = HttpEventClient.connect(HTTP, server.uri("lastEventId=42"))) {
            assertThat(servlet.awaitOpened(WAIT).lastEventId()).isEqualTo("42");
            client.awaitOpen(WAIT);
        }
    }

    /**
     * A servlet that opens a stream, hands it to {@code opened}, and sends 1,000-byte events until the
     * stream refuses one: the container has not taken any yet (it calls onWritePossible only after
     * the request's thread returns), so the queue fills.
     */
    private static HttpServlet floodingServlet(EventStreams streams, Consumer<EventStream> opened) {
        return new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                EventStream stream = streams.open(request, response);
                opened.accept(stream);
                String kilobyte = "x".repeat(1000);
                while (stream.send(kilobyte)) {
                    // fills the queue
                }
            }
        };
    }

    /** A clock that the test advances: {@code subscribe} as the EventStreamServlet example uses it. */
    static final class Ticks {
        private final List<Consumer<Instant>> subscribers = new CopyOnWriteArrayList<>();

        void subscribe(Consumer<Instant> subscriber) {
            subscribers.add(subscriber);
        }

        int subscribers() {
            return subscribers.size();
        }

        void tick(Instant time) {
            subscribers.forEach(s -> s.accept(time));
        }
    }

    /** Who is connected, as the examples' {@code presence} object. */
    static final class Presence {
        final Set<EventStream> joined = ConcurrentHashMap.newKeySet();
        final Set<String> left = ConcurrentHashMap.newKeySet();

        void join(EventStream stream, String user) {
            joined.add(stream);
        }

        void leave(String user) {
            left.add(user);
        }
    }
}
