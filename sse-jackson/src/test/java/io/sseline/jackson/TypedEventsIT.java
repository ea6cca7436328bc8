package io.sseline.jackson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sseline.client.EventBodyHandlers;
import io.sseline.client.EventSource;
import io.sseline.client.EventSourceListener;
import io.sseline.client.ReadyState;
import io.sseline.core.Event;
import io.sseline.core.EventDecodeException;
import io.sseline.servlet.CloseReason;
import io.sseline.servlet.EventStream;
import io.sseline.servlet.EventStreamConfig;
import io.sseline.servlet.EventStreamServlet;
import io.sseline.servlet.EventStreams;
import io.sseline.servlet.hub.EventHub;
import io.sseline.testing.Container;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Serial;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Objects end to end on real parts: a hub in Jetty 12 and Tomcat 11 publishes through a {@link
 * JacksonCodec}, an {@link EventSource} hands them to a typed handler; a completion answered to a
 * POST is read as a stream of chunks up to {@code [DONE]}.
 */
class TypedEventsIT {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final ObjectMapper MAPPER = JsonMapper.builder().build();

    record ChatMessage(String author, String text) {}

    /** A chunk of a streamed completion, in the shape of the common chat-completion APIs. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Chunk(List<Choice> choices) {
        static Chunk of(String content) {
            return new Chunk(List.of(new Choice(new Delta(content))));
        }

        String text() {
            return choices.get(0).delta().content();
        }
    }

    record Choice(Delta delta) {}

    record Delta(String content) {}

    @ParameterizedTest
    @EnumSource(Container.class)
    void objectsPublishedToTheHubReachATypedHandlerAndABadEventIsReportedWithoutEndingTheStream(Container container)
            throws Exception {
        JacksonCodec<ChatMessage> codec = JacksonCodec.of(MAPPER, ChatMessage.class);
        BlockingQueue<ChatMessage> received = new LinkedBlockingQueue<>();
        BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
        EventHub hub = EventHub.create();
        LobbyServlet servlet = new LobbyServlet(hub);
        try (hub;
                Container.Running server = container.start(servlet);
                EventSource source = EventSource.builder(server.uri()).build(new EventSourceListener() {
                    @Override
                    public void onError(EventSource s, Throwable error, boolean willReconnect) {
                        errors.add(error);
                    }
                })) {
            source.addEventHandler("chat", codec, (s, message) -> received.add(message));
            source.connect();
            await("the subscription").atMost(WAIT).until(() -> hub.subscriberCount("room:lobby") == 1);

            publish(hub, Event.of(new ChatMessage("ada", "Hello, 世界!"), codec).withType("chat"));
            String badId = publish(hub, Event.of("{\"author\":\"mallory\",").withType("chat"));
            publish(hub, Event.of(new ChatMessage("bob", "hi ada"), codec).withType("chat"));

            assertThat(take(received)).isEqualTo(new ChatMessage("ada", "Hello, 世界!"));
            assertThat(take(received)).isEqualTo(new ChatMessage("bob", "hi ada"));
            assertThat(take(errors)).isInstanceOfSatisfying(EventDecodeException.class, e -> {
                assertThat(e.event())
                        .isEqualTo(Event.of("{\"author\":\"mallory\",")
                                .withType("chat")
                                .withId(badId));
                assertThat(e.getMessage()).contains("as io.sseline.jackson.TypedEventsIT$ChatMessage");
            });
            assertThat(source.readyState()).isEqualTo(ReadyState.OPEN);
            assertThat(errors).as("no other error").isEmpty();
            assertThat(servlet.closed).as("the stream goes on").isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aCompletionIsReadAsChunksUpToDoneAndTheConnectionIsReleasedThere(Container container) throws Exception {
        JacksonCodec<Chunk> codec = JacksonCodec.of(MAPPER, Chunk.class);
        CompletionServlet servlet = new CompletionServlet(codec);
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (Container.Running server = container.start(servlet)) {
            HttpRequest request = HttpRequest.newBuilder(server.uri())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"stream\":true}"))
                    .build();

            String text;
            try (Stream<Chunk> chunks = client.send(request, EventBodyHandlers.ofStream(codec, "[DONE]"))
                    .body()) {
                text = chunks.map(Chunk::text).collect(Collectors.joining());
                // [DONE] released the connection: the server's next heartbeat finds the client gone.
                assertThat(take(servlet.closed)).isEqualTo(CloseReason.CLIENT_GONE);
            }

            assertThat(text).isEqualTo("Hello, world");
        } finally {
            servlet.streams.shutdown();
        }
    }

    /** Subscribes each stream to the lobby of a hub and records how streams close. */
    static final class LobbyServlet extends EventStreamServlet {
        @Serial
        private static final long serialVersionUID = 1L;

        final transient BlockingQueue<CloseReason> closed = new LinkedBlockingQueue<>();
        private final transient EventHub hub;

        LobbyServlet(EventHub hub) {
            super(EventStreamConfig.defaults());
            this.hub = hub;
        }

        @Override
        protected void onOpen(EventStream stream, HttpServletRequest request) {
            stream.onClose((s, reason) -> closed.add(reason));
            hub.subscribe(stream, List.of("room:lobby"));
        }
    }

    /** Answers a POST with a completion's chunks and {@code [DONE]}, and leaves the stream open. */
    static final class CompletionServlet extends HttpServlet {
        @Serial
        private static final long serialVersionUID = 1L;

        final transient EventStreams streams = EventStreams.create(EventStreamConfig.builder()
                .heartbeatInterval(Duration.ofMillis(50))
                .build());
        final transient BlockingQueue<CloseReason> closed = new LinkedBlockingQueue<>();
        private final transient JacksonCodec<Chunk> codec;

        CompletionServlet(JacksonCodec<Chunk> codec) {
            this.codec = codec;
        }

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            EventStream stream = streams.open(request, response);
            stream.onClose((s, reason) -> closed.add(reason));
            for (String piece : List.of("Hel", "lo", ", ", "world")) {
                stream.send(Chunk.of(piece), codec);
            }
            stream.send("[DONE]");
        }
    }

    private static String publish(EventHub hub, Event event) {
        return hub.publish("room:lobby", event).toCompletableFuture().join();
    }

    private static <T> T take(BlockingQueue<T> queue) throws InterruptedException {
        T item = queue.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(item).as("within %s", WAIT).isNotNull();
        return item;
    }
}
