package io.sseline.benchmarks.fanout;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.Serial;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.ee10.servlets.EventSource;
import org.eclipse.jetty.ee10.servlets.EventSourceServlet;

/**
 * Jetty's side: {@link EventSourceServlet} from {@code jetty-ee10-servlets}, its default heartbeat;
 * a broadcast calls {@link EventSource.Emitter#event(String, String)} on every subscriber, which
 * writes and flushes under the emitter's lock, blocking the publisher while a socket is full. The
 * emitter has no way to send an id, so Jetty's events carry none.
 *
 * <pre>{@code
 * Broadcaster jetty = new JettyBroadcaster();
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class JettyBroadcaster implements Broadcaster {
    private final Set<EventSource.Emitter> emitters = ConcurrentHashMap.newKeySet();

    @Override
    public HttpServlet servlet() {
        return new EventSourceServlet() {
            @Serial
            private static final long serialVersionUID = 1L;

            @Override
            protected EventSource newEventSource(HttpServletRequest request) {
                return new EventSource() {
                    private EventSource.Emitter emitter;

                    @Override
                    public void onOpen(Emitter emitter) {
                        this.emitter = emitter;
                        emitters.add(emitter);
                    }

                    @Override
                    public void onClose() {
                        emitters.remove(emitter);
                    }
                };
            }
        };
    }

    @Override
    public void broadcast(String id, String data) {
        for (EventSource.Emitter emitter : emitters) {
            try {
                emitter.event("chat", data);
            } catch (IOException gone) {
                emitters.remove(emitter);
                emitter.close();
            }
        }
    }

    @Override
    public int subscribers() {
        return emitters.size();
    }
}
