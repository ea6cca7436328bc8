package io.sseline.redis;

import io.sseline.core.Event;
import io.sseline.core.EventParser;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An event-stream client on {@link HttpClient} and {@link EventParser}: events land in a queue that
 * tests poll with deadlines; {@link #lastEventId()} follows id fields as they arrive, even those of
 * events without data (the hub sends one when a subscription goes live). {@link #ended()} completes
 * when the server ends the stream or the connection breaks.
 */
final class SseClient implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private volatile InputStream body;
    private volatile String lastEventId = "";

    private SseClient() {}

    /** Opens a stream, sending {@code lastEventId} unless empty; returns once the response began. */
    static SseClient connect(URI uri, String lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
        if (!lastEventId.isEmpty()) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> response = HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream())
                .get(30, TimeUnit.SECONDS);
        if (response.statusCode() != 200) {
            throw new AssertionError("status " + response.statusCode() + " from " + uri);
        }
        SseClient client = new SseClient();
        client.body = response.body();
        Thread reader = new Thread(client::read, "sse-client " + uri);
        reader.setDaemon(true);
        reader.start();
        return client;
    }

    private void read() {
        EventParser parser = EventParser.create(events::add);
        byte[] buffer = new byte[8192];
        try (InputStream in = body) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                parser.feed(buffer, 0, n);
                lastEventId = parser.lastEventId();
            }
        } catch (IOException e) {
            // connection broken or closed
        }
        ended.complete(null);
    }

    /** The last id field received so far, or "". */
    String lastEventId() {
        return lastEventId;
    }

    /** The next event, waiting up to {@code timeout}; fails if none comes. */
    Event next(Duration timeout) throws InterruptedException {
        Event event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
            throw new AssertionError("no event within " + timeout);
        }
        return event;
    }

    /** The next {@code n} events. */
    List<Event> next(int n, Duration timeout) throws InterruptedException {
        List<Event> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(next(timeout));
        }
        return list;
    }

    /** An event that arrives within {@code wait}, or null. */
    Event poll(Duration wait) throws InterruptedException {
        return events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    CompletableFuture<Void> ended() {
        return ended;
    }

    @Override
    public void close() throws IOException {
        body.close();
    }
}
