package io.sseline.examples.chat;

import io.sseline.client.Backoff;
import io.sseline.client.EventSource;
import io.sseline.client.EventSourceListener;
import io.sseline.core.Event;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Records what an {@link EventSource} reports, for tests that wait with deadlines. */
final class Recorder implements EventSourceListener {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    final BlockingQueue<HttpResponse.ResponseInfo> opens = new LinkedBlockingQueue<>();
    final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();

    /**
     * Connects an {@link EventSource} to {@code uri} that reconnects after 50 ms, adds it to {@code
     * sources} (for the test to close), and returns what it records.
     */
    static Recorder connect(URI uri, List<EventSource> sources) {
        Recorder recorder = new Recorder();
        EventSource source = EventSource.builder(uri)
                .backoff(Backoff.defaults().withInitialDelay(Duration.ofMillis(50)))
                .build(recorder);
        sources.add(source);
        source.connect();
        return recorder;
    }

    @Override
    public void onOpen(EventSource source, HttpResponse.ResponseInfo response) {
        opens.add(response);
    }

    @Override
    public void onEvent(EventSource source, Event event) {
        events.add(event);
    }

    @Override
    public void onError(EventSource source, Throwable error, boolean willReconnect) {
        errors.add(error);
    }

    /** The next event, failing the test if none arrives in time. */
    Event next() throws InterruptedException {
        Event event = events.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
            throw new AssertionError("no event within " + TIMEOUT);
        }
        return event;
    }

    /** The next event of {@code type}, skipping others. */
    Event next(String type) throws InterruptedException {
        return next(event -> event.type().equals(type), "an event of type " + type);
    }

    /** The next event that matches, skipping others. */
    Event next(Predicate<Event> matches, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Event event = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
            if (event == null) {
                throw new AssertionError("no " + what + " within " + TIMEOUT);
            }
            if (matches.test(event)) {
                return event;
            }
        }
    }

    /** Waits for the next (re)connection. */
    HttpResponse.ResponseInfo opened() throws InterruptedException {
        HttpResponse.ResponseInfo info = opens.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (info == null) {
            throw new AssertionError("not connected within " + TIMEOUT);
        }
        return info;
    }
}
