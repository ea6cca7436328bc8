package io.sseline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sseline.core.Event;
import io.sseline.core.EventParser;
import java.io.EOFException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The examples in this module's Javadoc, compiled and run against MockWebServer so that they cannot
 * drift from the API. Each test names the type whose Javadoc shows the example; printing is replaced
 * by collecting into a list.
 */
class DocumentationExamplesTest {
    @RegisterExtension
    final EventSourceRecorder recorder = new EventSourceRecorder();

    private final MockWebServer server = new MockWebServer();
    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<String> printed = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static MockResponse stream(String body) {
        return new MockResponse.Builder()
                .setHeader("Content-Type", "text/event-stream")
                .body(body)
                .build();
    }

    @Test
    void eventSource() throws Exception {
        server.enqueue(stream("data: hi\n\nevent: ping\ndata: 1\n\n"));
        URI uri = server.url("/events").uri();
        String token = "t";

        EventSource source = EventSource.builder(uri)
                .httpClient(client)
                .header("Authorization", "Bearer " + token)
                .build(new EventSourceListener() {
                    @Override
                    public void onEvent(EventSource source, Event event) {
                        printed.add(event.type() + ": " + event.data());
                    }
                });
        source.addEventHandler("ping", (src, event) -> printed.add("ping " + event.data()));
        source.connect();
        await("three lines printed").until(() -> printed.size() == 3);
        source.close();

        assertThat(printed).containsExactly("message: hi", "ping: 1", "ping 1");
        assertThat(server.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("Authorization"))
                .isEqualTo("Bearer t");
    }

    @Test
    void eventSourceBuilder() throws Exception {
        server.enqueue(stream("data: a\n\n"));
        URI uri = server.url("/events").uri();
        HttpClient sharedClient = client;
        AtomicInteger tokens = new AtomicInteger(41);

        EventSource.Builder builder = EventSource.builder(uri)
                .httpClient(sharedClient)
                .method("POST", HttpRequest.BodyPublishers.ofString("{\"topics\":[\"a\",\"b\"]}"))
                .header("Content-Type", "application/json")
                .headers(() -> Map.of("Authorization", "Bearer " + tokens.incrementAndGet()))
                .backoff(Backoff.defaults()
                        .withInitialDelay(Duration.ofSeconds(1))
                        .withMaxDelay(Duration.ofMinutes(1)))
                .readTimeout(Duration.ofSeconds(45));
        try (EventSource source = builder.connect(recorder)) {
            recorder.expectOpen();
            assertThat(recorder.expectData()).isEqualTo("a");
            assertThat(source.readyState()).isNotEqualTo(ReadyState.CLOSED);
            recorder.expectError(EOFException.class, true);
        }

        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getBody().utf8()).isEqualTo("{\"topics\":[\"a\",\"b\"]}");
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer 42");
    }

    @Test
    void eventSourceBuilderHttpClients() throws Exception {
        server.enqueue(stream("data: a\n\n"));
        URI uri = server.url("/events").uri();
        SSLContext sslContext = SSLContext.getDefault();

        ExecutorService httpThreads = Executors.newFixedThreadPool(4);
        EventSource.Builder builder = EventSource.builder(uri)
                .httpClients(() -> HttpClient.newBuilder()
                        .sslContext(sslContext)
                        .executor(httpThreads)
                        .build());
        try {
            try (EventSource source = builder.connect(recorder)) {
                recorder.expectOpen();
                assertThat(recorder.expectData()).isEqualTo("a");
                assertThat(source.readyState()).isNotEqualTo(ReadyState.CLOSED);
                recorder.expectError(EOFException.class, true);
            }
        } finally {
            httpThreads.shutdownNow();
        }
    }

    @Test
    void backoff() throws Exception {
        server.enqueue(stream("data: a\n\n"));
        URI uri = server.url("/events").uri();
        EventSourceRecorder listener = recorder;

        EventSource source = EventSource.builder(uri)
                .httpClient(client)
                .backoff(Backoff.defaults()
                        .withInitialDelay(Duration.ofSeconds(1))
                        .withMaxDelay(Duration.ofMinutes(1)))
                .build(listener);
        try (source) {
            source.connect();
            listener.expectOpen();
            assertThat(listener.expectData()).isEqualTo("a");
            listener.expectError(EOFException.class, true);
        }

        Backoff backoff = Backoff.defaults().withJitter(0);
        assertThat(backoff.delayAfterFailure(3, Duration.ofSeconds(2), 0.0)).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void eventSourceBuilderParserLimits() throws Exception {
        server.enqueue(stream("data: " + "x".repeat(100) + "\n\n"));
        EventSource.Builder builder = EventSource.builder(server.url("/").uri()).httpClient(client);
        builder.parserLimits(EventParser.Limits.defaults().withMaxEventSize(32 << 20));
        try (EventSource source = builder.connect(recorder)) {
            recorder.expectOpen();
            assertThat(recorder.expectData()).hasSize(100);
            assertThat(source.readyState()).isNotEqualTo(ReadyState.CLOSED);
            recorder.expectError(EOFException.class, true);
        }
    }

    @Test
    void eventSourceListener() throws Exception {
        server.enqueue(stream("data: x\n\n"));
        List<String> errors = new CopyOnWriteArrayList<>();
        EventSourceListener listener = new EventSourceListener() {
            @Override
            public void onEvent(EventSource source, Event event) {
                printed.add(event.data());
            }

            @Override
            public void onError(EventSource source, Throwable error, boolean willReconnect) {
                errors.add((willReconnect ? "reconnecting after " : "giving up after ") + error);
            }
        };

        try (EventSource source = EventSource.builder(server.url("/").uri())
                .httpClient(client)
                .maxReconnectAttempts(0)
                .connect(listener)) {
            await("the error").until(() -> errors.size() == 1);
            assertThat(source.readyState()).isEqualTo(ReadyState.CLOSED);
        }
        assertThat(printed).containsExactly("x");
        assertThat(errors.get(0)).startsWith("giving up after " + EOFException.class.getName());
    }

    @Test
    void readyState() throws Exception {
        server.enqueue(new MockResponse.Builder().code(204).build());
        server.enqueue(stream("data: again\n\n"));
        EventSource.Builder builder =
                EventSource.builder(server.url("/").uri()).httpClient(client).maxReconnectAttempts(0);
        EventSourceListener listener = recorder;
        EventSource source = builder.connect(listener);
        recorder.expectClosed();

        if (source.readyState() == ReadyState.CLOSED) {
            source = builder.build(listener).connect();
        }

        recorder.expectOpen();
        assertThat(recorder.expectData()).isEqualTo("again");
        recorder.expectError(EOFException.class, false);
        recorder.expectClosed();
        source.close();
    }

    @Test
    void reconnectPolicyAndFailure() {
        ReconnectPolicy policy =
                failure -> failure.error() instanceof UnexpectedResponseException e && e.statusCode() == 401
                        ? Optional.of(Duration.ofSeconds(1))
                        : failure.proposedDelay();
        HttpHeaders none = HttpHeaders.of(Map.of(), (n, v) -> true);

        ReconnectPolicy.Failure unauthorized = ReconnectPolicy.Failure.of(
                new UnexpectedResponseException(URI.create("http://h/"), 401, none),
                1,
                Duration.ZERO,
                Optional.empty());
        ReconnectPolicy.Failure failure =
                ReconnectPolicy.Failure.of(new EOFException(), 1, Duration.ZERO, Optional.of(Duration.ofSeconds(3)));

        assertThat(policy.decide(unauthorized)).hasValue(Duration.ofSeconds(1));
        assertThat(policy.decide(failure)).hasValue(Duration.ofSeconds(3));
        assertThat(ReconnectPolicy.defaults().decide(unauthorized)).isEmpty();
    }

    @Test
    void unexpectedResponseException() throws Exception {
        server.enqueue(new MockResponse.Builder().code(401).build());
        List<String> refreshed = new CopyOnWriteArrayList<>();
        EventSourceListener listener = new EventSourceListener() {
            @Override
            public void onError(EventSource source, Throwable error, boolean willReconnect) {
                if (error instanceof UnexpectedResponseException e && e.statusCode() == 401) {
                    refreshed.add("refreshToken");
                }
            }
        };

        try (EventSource source =
                EventSource.builder(server.url("/").uri()).httpClient(client).connect(listener)) {
            await("the token refresh").until(() -> refreshed.size() == 1);
            assertThat(source.uri()).isEqualTo(server.url("/").uri());
        }
    }

    @Test
    void eventBodyHandlersOfStream() throws Exception {
        server.enqueue(stream("data: {\"t\":\"Hi\"}\n\ndata: {\"t\":\"!\"}\n\ndata: [DONE]\n\ndata: ignored\n\n"));
        String apiKey = "k";
        HttpRequest request = HttpRequest.newBuilder(
                        server.url("/v1/chat/completions").uri())
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .header("Accept-Encoding", "identity")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"stream\":true,\"messages\":[]}"))
                .build();

        HttpResponse<Stream<Event>> response = client.send(request, EventBodyHandlers.ofStream());
        String text;
        try (Stream<Event> events = response.body()) {
            text = events.map(Event::data)
                    .takeWhile(data -> !data.equals("[DONE]"))
                    .map(chunk -> chunk.substring(6, chunk.length() - 2))
                    .collect(Collectors.joining());
        }

        assertThat(text).isEqualTo("Hi!");
    }

    @Test
    void eventBodyHandlersFromListenerAndOfPublisher() throws Exception {
        server.enqueue(stream("data: a\n\ndata: b\n\n"));
        server.enqueue(stream("data: c\n\n"));
        HttpRequest request = HttpRequest.newBuilder(server.url("/").uri()).build();

        client.sendAsync(request, EventBodyHandlers.fromListener(event -> printed.add(event.data())))
                .thenRun(() -> printed.add("done"))
                .get(5, TimeUnit.SECONDS);
        EventBodyHandlersTest.RecordingSubscriber mySubscriber = new EventBodyHandlersTest.RecordingSubscriber();
        CompletableFuture<Void> subscribed = client.sendAsync(request, EventBodyHandlers.ofPublisher())
                .thenAccept(response -> response.body().subscribe(mySubscriber));
        subscribed.get(5, TimeUnit.SECONDS);
        mySubscriber.subscription().request(10);

        assertThat(printed).containsExactly("a", "b", "done");
        assertThat(mySubscriber.take()).isEqualTo("c");
        assertThat(mySubscriber.take()).isEqualTo("complete");
    }
}
