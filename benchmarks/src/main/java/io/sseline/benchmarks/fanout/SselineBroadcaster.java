package io.sseline.benchmarks.fanout;

import io.sseline.core.Event;
import io.sseline.servlet.EventStream;
import io.sseline.servlet.EventStreams;
import io.sseline.servlet.SerializedEvent;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Serial;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * sseline's side: {@link EventStreams} with its default configuration; a broadcast serializes the
 * event once and queues the same bytes on every stream, which never blocks the publisher.
 *
 * <pre>{@code
 * Broadcaster sseline = new SselineBroadcaster();
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class SselineBroadcaster implements Broadcaster {
    private final EventStreams streams = EventStreams.create();
    private final Set<EventStream> subscribers = ConcurrentHashMap.newKeySet();

    @Override
    public HttpServlet servlet() {
        return new HttpServlet() {
            @Serial
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                EventStream stream = streams.open(request, response);
                stream.onClose((closed, reason) -> subscribers.remove(closed));
                subscribers.add(stream);
                if (!stream.isOpen()) {
                    subscribers.remove(stream);
                }
            }
        };
    }

    @Override
    public void broadcast(String id, String data) {
        SerializedEvent event =
                SerializedEvent.of(Event.of(data).withType("chat").withId(id));
        for (EventStream stream : subscribers) {
            stream.send(event);
        }
    }

    @Override
    public int subscribers() {
        return subscribers.size();
    }
}
