package io.sseline.benchmarks.fanout;

import io.sseline.core.Event;
import io.sseline.servlet.EventStreamConfig;
import io.sseline.servlet.hub.EventHub;
import io.sseline.servlet.hub.EventHubServlet;
import jakarta.servlet.http.HttpServlet;
import java.util.List;

/**
 * sseline's hub: an {@link EventHubServlet} with the default configuration subscribes every client to
 * one channel of an {@link EventHub} on its default in-memory log; a broadcast is one {@link
 * EventHub#publish}, which serializes the event once and queues the bytes on every subscribed stream.
 * This is how an application uses sseline for fan-out, so it is the sseline figure the targets are
 * judged on. The hub gives each event its own id (the log position), so the id passed in is unused.
 *
 * <pre>{@code
 * Broadcaster hub = new HubBroadcaster();
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class HubBroadcaster implements Broadcaster {
    private static final String CHANNEL = "chat";

    private final EventHub hub = EventHub.create();

    @Override
    public HttpServlet servlet() {
        return new EventHubServlet(hub, EventStreamConfig.defaults(), List.of(CHANNEL));
    }

    @Override
    public void broadcast(String id, String data) {
        hub.publish(CHANNEL, Event.of(data).withType("chat"));
    }

    @Override
    public int subscribers() {
        return hub.subscriberCount(CHANNEL);
    }
}
