package io.sseline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sseline.core.Event;
import io.sseline.core.EventParser;
import io.sseline.core.EventStreamLimitException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventBodyHandlersTest {
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

    private static MockResponse.Builder eventStream() {
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "text/event-stream; charset=utf-8");
    }

    private HttpRequest get() {
        return HttpRequest.newBuilder(server.url("/events").uri()).build();
    }

    @Test
    void handlerReceivesEventsCommentsAndRetryInOrder() throws Exception {
        server.enqueue(eventStream()
                .body(": hello\nretry: 1500\nevent: chat\nid: 1\ndata: a\ndata: b\n\ndata: c\n\n")
                .build());
        List<String> seen = new CopyOnWriteArrayList<>();
        EventParser.Listener listener = new EventParser.Listener() {
            @Override
            public void onEvent(Event event) {
                seen.add("event " + event);
            }

            @Override
            public void onComment(String comment) {
                seen.add("comment " + comment);
            }

            @Override
            public void onRetry(Duration retry) {
                seen.add("retry " + retry.toMillis());
            }
        };

        HttpResponse<Void> response = client.send(get(), EventBodyHandlers.fromListener(listener));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(seen)
                .containsExactly(
                        "comment hello",
                        "retry 1500",
                        "event " + Event.of("a\nb").withType("chat").withId("1").withRetry(Duration.ofMillis(1500)),
                        "event " + Event.of("c").withId("1"));
    }

    @Test
    void eventsSplitIntoOneByteChunksAreReassembled() throws Exception {
        String body = "data: ünïcödé €\r\nid: 7\r\n\r\nevent: x\rdata: 2\r\r";
        server.enqueue(eventStream().chunkedBody(body, 1).build());

        try (Stream<Event> events =
                client.send(get(), EventBodyHandlers.ofStream()).body()) {
            assertThat(events)
                    .containsExactly(
                            Event.of("ünïcödé €").withId("7"),
                            Event.of("2").withType("x").withId("7"));
        }
    }

    @Test
    void invalidUtf8BecomesReplacementCharacter() throws Exception {
        Buffer body = new Buffer().writeUtf8("data: a").writeByte(0xFF).writeUtf8("b\n\n");
        server.enqueue(eventStream().body(body).build());

        try (Stream<Event> events =
                client.send(get(), EventBodyHandlers.ofStream()).body()) {
            assertThat(events.map(Event::data)).containsExactly("a\uFFFDb");
        }
    }

    @Test
    void eventCutOffByEndOfStreamIsDiscarded() throws Exception {
        server.enqueue(eventStream().body("data: whole\n\ndata: half").build());

        try (Stream<Event> events =
                client.send(get(), EventBodyHandlers.ofStream()).body()) {
            assertThat(events.map(Event::data)).containsExactly("whole");
        }
    }

    @Test
    void postedCompletionStreamIsReadUntilDone() throws Exception {
        server.enqueue(eventStream()
                .body("data: {\"t\":\"Hel\"}\n\ndata: {\"t\":\"lo\"}\n\ndata: [DONE]\n\n")
                .build());
        HttpRequest request = HttpRequest.newBuilder(
                        server.url("/v1/chat/completions").uri())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"stream\":true}"))
                .build();

        try (Stream<Event> events =
                client.send(request, EventBodyHandlers.ofStream()).body()) {
            String text = events.map(Event::data)
                    .takeWhile(data -> !data.equals("[DONE]"))
                    .map(data -> data.substring(6, data.length() - 2))
                    .collect(Collectors.joining());
            assertThat(text).isEqualTo("Hello");
        }
        RecordedRequest recorded = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(recorded.getMethod()).isEqualTo("POST");
        assertThat(recorded.getBody().utf8()).isEqualTo("{\"stream\":true}");
    }

    @Test
    void errorStatusFailsWithUnexpectedResponseException() {
        server.enqueue(new MockResponse.Builder()
                .code(404)
                .setHeader("Content-Type", "application/json")
                .body("{\"error\":\"no such model\"}")
                .build());

        assertThatThrownBy(() -> client.send(get(), EventBodyHandlers.fromListener(event -> {})))
                .isInstanceOf(IOException.class)
                .cause()
                .isInstanceOfSatisfying(UnexpectedResponseException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.contentType()).isEqualTo("application/json");
                    assertThat(e.body()).isEqualTo("{\"error\":\"no such model\"}");
                    assertThat(e.getMessage())
                            .contains(
                                    "404", "application/json", "check the URL", "body: {\"error\":\"no such model\"}");
                });
    }

    /**
     * The JDK's client does not follow redirects by default, and when told to, it sends every header
     * to any origin. So a redirect fails the body, naming where it leads, and the advice keeps
     * credentials where they were sent.
     */
    @Test
    void redirectFailsNamingItsLocationWithoutAdvisingTheClientToFollowIt() {
        server.enqueue(new MockResponse.Builder()
                .code(302)
                .setHeader("Location", "https://elsewhere.example/events")
                .build());

        assertThatThrownBy(() -> client.send(get(), EventBodyHandlers.ofStream()))
                .isInstanceOf(IOException.class)
                .cause()
                .isInstanceOfSatisfying(UnexpectedResponseException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(302);
                    assertThat(e.headers().firstValue("Location")).hasValue("https://elsewhere.example/events");
                    assertThat(e.getMessage())
                            .contains("the redirect to https://elsewhere.example/events was not followed")
                            .contains("EventSource")
                            .doesNotContain("Redirect.NORMAL");
                });
    }

    @Test
    void wrongContentTypeFailsWithUnexpectedResponseException() {
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", "text/html")
                .body("<html>login</html>")
                .build());

        assertThatThrownBy(() -> client.send(get(), EventBodyHandlers.ofStream()))
                .cause()
                .isInstanceOfSatisfying(UnexpectedResponseException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(200);
                    assertThat(e.contentType()).isEqualTo("text/html");
                    assertThat(e.body()).isEqualTo("<html>login</html>");
                });
    }

    /**
     * A compressed stream used to complete as an empty, successful body: the parser found no line in
     * the gzip bytes. Each of the three handlers now refuses it with an exception that names the
     * coding and the header that avoids it.
     */
    @Test
    void gzipEncodedStreamFailsInsteadOfEndingEmpty() throws Exception {
        List<HttpResponse.BodyHandler<?>> handlers = List.of(
                EventBodyHandlers.fromListener(event -> {}),
                EventBodyHandlers.ofStream(),
                EventBodyHandlers.ofPublisher());
        for (HttpResponse.BodyHandler<?> handler : handlers) {
            server.enqueue(eventStream()
                    .setHeader("Content-Encoding", "gzip")
                    .body(new Buffer().write(gzip("data: hello\n\n")))
                    .build());

            assertThatThrownBy(() -> client.send(get(), handler))
                    .as("handler %s", handler)
                    .cause()
                    .isInstanceOfSatisfying(UnexpectedResponseException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(200);
                        assertThat(e.contentEncoding()).isEqualTo("gzip");
                        assertThat(e.getMessage()).contains("Content-Encoding gzip", "Accept-Encoding: identity");
                    });
        }
    }

    static byte[] gzip(String text) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(bytes)) {
            out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    @Test
    void oversizedEventFailsTheStreamWithLimitException() throws Exception {
        server.enqueue(eventStream()
                .body("data: ok\n\ndata: " + "x".repeat(200) + "\n\n")
                .build());
        EventParser.Limits limits = EventParser.Limits.defaults().withMaxEventSize(100);

        try (Stream<Event> events =
                client.send(get(), EventBodyHandlers.ofStream(limits, "")).body()) {
            List<String> seen = new ArrayList<>();
            assertThatThrownBy(() -> events.forEach(e -> seen.add(e.data())))
                    .isInstanceOf(UncheckedIOException.class)
                    .cause()
                    .isInstanceOfSatisfying(
                            EventStreamLimitException.class,
                            e -> assertThat(e.maxBytes()).isEqualTo(100));
            assertThat(seen).containsExactly("ok");
        }
    }

    @Test
    void handlerThatThrowsFailsTheBody() {
        server.enqueue(eventStream().body("data: 1\n\ndata: 2\n\n").build());
        IllegalStateException boom = new IllegalStateException("boom");

        assertThatThrownBy(() -> client.send(get(), EventBodyHandlers.fromListener(event -> {
                    throw boom;
                })))
                .hasRootCause(boom);
    }

    @Test
    void publisherDeliversOnlyWhatWasRequested() throws Exception {
        server.enqueue(eventStream().body("data: 1\n\ndata: 2\n\ndata: 3\n\n").build());
        Flow.Publisher<Event> publisher =
                client.send(get(), EventBodyHandlers.ofPublisher()).body();
        RecordingSubscriber subscriber = new RecordingSubscriber();

        publisher.subscribe(subscriber);
        Flow.Subscription subscription = subscriber.subscription();
        subscription.request(1);
        assertThat(subscriber.take()).isEqualTo("1");
        assertThat(subscriber.poll(Duration.ofMillis(100)))
                .as("no demand, no event")
                .isNull();
        subscription.request(5);

        assertThat(subscriber.take()).isEqualTo("2");
        assertThat(subscriber.take()).isEqualTo("3");
        assertThat(subscriber.take()).isEqualTo("complete");
        assertThat(subscriber.poll(Duration.ofMillis(50))).isNull();
    }

    @Test
    void publisherRefusesASecondSubscriber() throws Exception {
        server.enqueue(eventStream().body("data: 1\n\n").build());
        Flow.Publisher<Event> publisher =
                client.send(get(), EventBodyHandlers.ofPublisher()).body();
        RecordingSubscriber first = new RecordingSubscriber();
        RecordingSubscriber second = new RecordingSubscriber();

        publisher.subscribe(first);
        publisher.subscribe(second);

        assertThat(second.take()).startsWith("error java.lang.IllegalStateException: a response body can be read once");
        first.subscription().request(Long.MAX_VALUE);
        assertThat(first.take()).isEqualTo("1");
        assertThat(first.take()).isEqualTo("complete");
    }

    @Test
    void publisherReportsNonPositiveRequestAsError() throws Exception {
        server.enqueue(eventStream().body("data: 1\n\n").build());
        RecordingSubscriber subscriber = new RecordingSubscriber();
        client.send(get(), EventBodyHandlers.ofPublisher()).body().subscribe(subscriber);

        subscriber.subscription().request(0);

        assertThat(subscriber.take())
                .startsWith("error java.lang.IllegalArgumentException")
                .contains("positive");
    }

    @Test
    void closingTheStreamEarlyReleasesTheConnection() throws Exception {
        try (RawServer raw = new RawServer()) {
            HttpRequest request = HttpRequest.newBuilder(raw.uri("/stream")).build();
            java.util.concurrent.CompletableFuture<HttpResponse<Stream<Event>>> sent =
                    client.sendAsync(request, EventBodyHandlers.ofStream());
            RawServer.Exchange exchange = raw.accept();
            exchange.sendStreamHead().write("data: first\n\n");

            try (Stream<Event> events = sent.get(10, TimeUnit.SECONDS).body()) {
                assertThat(events.findFirst()).hasValue(Event.of("first"));
            }

            exchange.awaitClientClose();
            exchange.close();
        }
    }

    @Test
    void cancellingThePublisherReleasesTheConnection() throws Exception {
        try (RawServer raw = new RawServer()) {
            HttpRequest request = HttpRequest.newBuilder(raw.uri("/stream")).build();
            java.util.concurrent.CompletableFuture<HttpResponse<Flow.Publisher<Event>>> sent =
                    client.sendAsync(request, EventBodyHandlers.ofPublisher());
            RawServer.Exchange exchange = raw.accept();
            exchange.sendStreamHead().write("data: first\n\n");
            RecordingSubscriber subscriber = new RecordingSubscriber();
            sent.get(10, TimeUnit.SECONDS).body().subscribe(subscriber);
            Flow.Subscription subscription = subscriber.subscription();
            subscription.request(1);
            assertThat(subscriber.take()).isEqualTo("first");

            subscription.cancel();

            exchange.awaitClientClose();
            assertThat(subscriber.poll(Duration.ofMillis(100)))
                    .as("no signal after cancel")
                    .isNull();
            exchange.close();
        }
    }

    @Test
    void closingTheStreamWakesAThreadWaitingForAnEvent() throws Exception {
        try (RawServer raw = new RawServer()) {
            HttpRequest request = HttpRequest.newBuilder(raw.uri("/stream")).build();
            java.util.concurrent.CompletableFuture<HttpResponse<Stream<Event>>> sent =
                    client.sendAsync(request, EventBodyHandlers.ofStream());
            RawServer.Exchange exchange = raw.accept();
            exchange.sendStreamHead();
            Stream<Event> events = sent.get(10, TimeUnit.SECONDS).body();
            java.util.Iterator<Event> iterator = events.iterator();
            java.util.concurrent.CompletableFuture<Boolean> hasNext = new java.util.concurrent.CompletableFuture<>();
            Thread reader = new Thread(() -> hasNext.complete(iterator.hasNext()), "reader");
            reader.start();
            await("the reader waits for an event").until(() -> reader.getState() == Thread.State.WAITING);

            events.close();

            assertThat(hasNext.get(10, TimeUnit.SECONDS)).isFalse();
            exchange.awaitClientClose();
            exchange.close();
        }
    }

    @Test
    void endlessErrorBodyIsReadOnlyInPart() throws Exception {
        try (RawServer raw = new RawServer()) {
            HttpRequest request = HttpRequest.newBuilder(raw.uri("/stream")).build();
            java.util.concurrent.CompletableFuture<HttpResponse<Void>> sent =
                    client.sendAsync(request, EventBodyHandlers.fromListener(event -> {}));
            RawServer.Exchange exchange = raw.accept();
            exchange.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n");
            java.nio.ByteBuffer endless =
                    java.nio.ByteBuffer.wrap("z".repeat(1 << 20).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            try {
                exchange.writeUnlessStalled(endless, Duration.ofSeconds(2));
            } catch (IOException closedByTheClient) {
                // expected once the client has read its 8 KiB
            }

            assertThatThrownBy(() -> sent.get(10, TimeUnit.SECONDS))
                    .cause()
                    .isInstanceOfSatisfying(UnexpectedResponseException.class, e -> {
                        assertThat(e.body()).hasSize(8 * 1024).matches("z+");
                        assertThat(e.getMessage())
                                .contains("text/plain", "body: zzz")
                                .hasSizeLessThan(600);
                    });
            exchange.awaitClientClose();
            exchange.close();
        }
    }

    @Test
    void handlersRejectNullArguments() {
        assertThatThrownBy(() -> EventBodyHandlers.fromListener(null)).hasMessage("listener");
        assertThatThrownBy(() -> EventBodyHandlers.ofStream((EventParser.Limits) null, ""))
                .hasMessage("limits");
        assertThatThrownBy(() -> EventBodyHandlers.ofPublisher(null, "")).hasMessage("limits");
    }

    @Test
    void exceptionWithoutUriNamesTheServer() {
        UnexpectedResponseException e = new UnexpectedResponseException(
                URI.create(""), 503, java.net.http.HttpHeaders.of(java.util.Map.of(), (a, b) -> true));
        assertThat(e.getMessage())
                .startsWith(
                        "expected 200 with Content-Type text/event-stream from the server but got status 503 without Content-Type");
    }

    /** Records the signals a subscriber receives, as strings, for assertions with deadlines. */
    static final class RecordingSubscriber implements Flow.Subscriber<Event> {
        private final BlockingQueue<String> signals = new LinkedBlockingQueue<>();
        private final BlockingQueue<Flow.Subscription> subscriptions = new LinkedBlockingQueue<>();

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscriptions.add(subscription);
        }

        @Override
        public void onNext(Event item) {
            signals.add(item.data());
        }

        @Override
        public void onError(Throwable throwable) {
            signals.add("error " + throwable);
        }

        @Override
        public void onComplete() {
            signals.add("complete");
        }

        Flow.Subscription subscription() throws InterruptedException {
            Flow.Subscription s = subscriptions.poll(5, TimeUnit.SECONDS);
            assertThat(s).as("onSubscribe").isNotNull();
            return s;
        }

        String take() throws InterruptedException {
            String signal = signals.poll(5, TimeUnit.SECONDS);
            assertThat(signal).as("a signal within 5 s").isNotNull();
            return signal;
        }

        String poll(Duration wait) throws InterruptedException {
            return signals.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
