package io.sseline.spring;

import io.sseline.client.Backoff;
import io.sseline.client.EventSource;
import io.sseline.client.EventSourceListener;
import io.sseline.core.Event;
import io.sseline.core.EventCodec;
import io.sseline.jackson3.JacksonCodec;
import io.sseline.spring.testapp.ChatTestApp.ChatMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real {@link EventSource} on a test server, recording chat messages (decoded with a codec of its
 * own, as a separate client would), other events and errors; and the HTTP calls that post messages.
 */
final class SseClient implements AutoCloseable {
    static final EventCodec<ChatMessage> CHAT =
            JacksonCodec.of(JsonMapper.builder().build(), ChatMessage.class);
    /** Reconnects after 100 ms: only for a server the test controls. */
    static final Backoff FAST =
            Backoff.defaults().withMinDelay(Duration.ofMillis(100)).withInitialDelay(Duration.ofMillis(100));

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final BlockingQueue<ChatMessage> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
    final EventSource source;

    private SseClient(URI uri) {
        source = EventSource.builder(uri).backoff(FAST).build(new EventSourceListener() {
            @Override
            public void onEvent(EventSource source, Event event) {
                events.add(event);
            }

            @Override
            public void onError(EventSource source, Throwable error, boolean willReconnect) {
                errors.add(error);
            }
        });
        source.addEventHandler("message", CHAT, (s, message) -> messages.add(message));
        source.connect();
    }

    static SseClient connect(int port, String path) {
        return new SseClient(URI.create("http://127.0.0.1:" + port + path));
    }

    ChatMessage nextMessage() throws InterruptedException {
        ChatMessage message = messages.poll(20, TimeUnit.SECONDS);
        if (message == null) {
            throw new AssertionError("no chat message within 20 s; errors: " + errors);
        }
        return message;
    }

    Event nextEvent() throws InterruptedException {
        Event event = events.poll(20, TimeUnit.SECONDS);
        if (event == null) {
            throw new AssertionError("no event within 20 s; errors: " + errors);
        }
        return event;
    }

    /** Posts {@code message} as JSON and returns the id the hub gave it. */
    static String post(int port, ChatMessage message) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/chat"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(CHAT.encode(message)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("POST /chat answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A request with {@code method} and no body, over HTTP/1.1. */
    static HttpResponse<String> send(int port, String path, String method) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .version(HttpClient.Version.HTTP_1_1)
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        source.close();
    }
}
