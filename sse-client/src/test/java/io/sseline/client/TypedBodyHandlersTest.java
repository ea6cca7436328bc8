package io.sseline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sseline.client.ExampleContext.ChatMessage;
import io.sseline.client.ExampleContext.Chunk;
import io.sseline.core.Event;
import io.sseline.core.EventCodec;
import io.sseline.core.EventDecodeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link EventBodyHandlers#ofStream(io.sseline.core.EventCodec, String)}: a stream of values. */
class TypedBodyHandlersTest {
    private final MockWebServer server = new MockWebServer();
    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws IOException {
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** The Javadoc example of ofStream(codec, endData), as written there. */
    @Test
    void aCompletionIsReadAsChunksUntilDone() throws Exception {
        server.enqueue(stream("data: Hel\n\ndata: lo\n\ndata: [DONE]\n\ndata: never read\n\n"));
        HttpRequest request = HttpRequest.newBuilder(
                        server.url("/v1/completions").uri())
                .POST(HttpRequest.BodyPublishers.ofString("{\"stream\":true}"))
                .build();
        EventCodecs codecs = new EventCodecs();

        String text;
        try (Stream<Chunk> chunks = client.send(request, EventBodyHandlers.ofStream(codecs.chunkCodec, "[DONE]"))
                .body()) {
            text = chunks.map(Chunk::text).collect(Collectors.joining());
        }

        assertThat(text).isEqualTo("Hello");
    }

    @Test
    void reachingTheEndMarkerReleasesTheConnectionWhileTheServerKeepsItOpen() throws Exception {
        try (RawServer raw = new RawServer()) {
            HttpRequest request = HttpRequest.newBuilder(raw.uri("/stream")).build();
            CompletableFuture<HttpResponse<Stream<ChatMessage>>> sent =
                    client.sendAsync(request, EventBodyHandlers.ofStream(ChatMessage.CODEC, "[DONE]"));
            RawServer.Exchange exchange = raw.accept();
            exchange.sendStreamHead().write("data: ada\ta\n\ndata: bob\tb\n\ndata: [DONE]\n\n");

            Stream<ChatMessage> messages = sent.get(10, TimeUnit.SECONDS).body();

            assertThat(messages.toList()).containsExactly(new ChatMessage("ada", "a"), new ChatMessage("bob", "b"));
            exchange.awaitClientClose(); // before the stream was closed: the marker let it go
            messages.close();
            exchange.close();
        }
    }

    @Test
    void withoutAMarkerTheValuesEndWithTheResponse() throws Exception {
        server.enqueue(stream("data: ada\ta\n\n: a comment\n\nevent: other\ndata: bob\tb\n\n"));

        try (Stream<ChatMessage> messages = client.send(get(), EventBodyHandlers.ofStream(ChatMessage.CODEC))
                .body()) {
            assertThat(messages).containsExactly(new ChatMessage("ada", "a"), new ChatMessage("bob", "b"));
        }
    }

    @Test
    void anUndecodableEventThrowsWithTheRawEventAndAnIteratorGoesOnPastIt() throws Exception {
        server.enqueue(stream("data: ada\tone\n\nid: 2\ndata: garbage\n\ndata: ada\tthree\n\ndata: [DONE]\n\n"));

        try (Stream<ChatMessage> messages = client.send(get(), EventBodyHandlers.ofStream(ChatMessage.CODEC, "[DONE]"))
                .body()) {
            Iterator<ChatMessage> iterator = messages.iterator();
            assertThat(iterator.next()).isEqualTo(new ChatMessage("ada", "one"));
            assertThatThrownBy(iterator::next)
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageStartingWith("cannot decode a \"message\" event (id \"2\")")
                    .cause()
                    .isInstanceOfSatisfying(
                            EventDecodeException.class,
                            e -> assertThat(e.event())
                                    .isEqualTo(Event.of("garbage").withId("2")));
            assertThat(iterator.next()).isEqualTo(new ChatMessage("ada", "three"));
            assertThat(iterator.hasNext()).isFalse();
        }
    }

    @Test
    void aStreamOperationStopsAtAnUndecodableEvent() throws Exception {
        server.enqueue(stream("data: ada\tone\n\ndata: garbage\n\ndata: ada\tthree\n\n"));

        try (Stream<ChatMessage> messages = client.send(get(), EventBodyHandlers.ofStream(ChatMessage.CODEC))
                .body()) {
            assertThatThrownBy(messages::toList)
                    .isInstanceOf(UncheckedIOException.class)
                    .hasCauseInstanceOf(EventDecodeException.class);
        }
    }

    @Test
    void aResponseThatIsNoEventStreamFailsAsUntyped() {
        server.enqueue(new MockResponse.Builder().code(503).body("busy").build());

        assertThatThrownBy(() -> client.send(get(), EventBodyHandlers.ofStream(ChatMessage.CODEC, "[DONE]")))
                .isInstanceOf(IOException.class)
                .cause()
                .isInstanceOfSatisfying(UnexpectedResponseException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(503);
                    assertThat(e.body()).isEqualTo("busy");
                });
    }

    @Test
    void handlersRejectNullArguments() {
        assertThatThrownBy(() -> EventBodyHandlers.ofStream(null)).hasMessage("codec");
        assertThatThrownBy(() -> EventBodyHandlers.ofStream((EventCodec<Chunk>) null, "[DONE]"))
                .hasMessage("codec");
        assertThatThrownBy(() -> EventBodyHandlers.ofStream(ChatMessage.CODEC, null))
                .hasMessage("endData");
    }

    private HttpRequest get() {
        return HttpRequest.newBuilder(server.url("/events").uri()).build();
    }

    private static MockResponse stream(String body) {
        return new MockResponse.Builder()
                .setHeader("Content-Type", "text/event-stream")
                .body(body)
                .build();
    }

    /** The codecs the examples take as given. */
    private static final class EventCodecs extends ExampleContext {}
}
