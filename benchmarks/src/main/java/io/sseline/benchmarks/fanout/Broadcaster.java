package io.sseline.benchmarks.fanout;

import jakarta.servlet.http.HttpServlet;

/**
 * One library's side of the fan-out benchmark: the servlet that subscribes a client to the channel,
 * and a broadcast to every subscriber.
 *
 * <pre>{@code
 * Broadcaster broadcaster = new SselineBroadcaster();
 * context.addServlet(new ServletHolder(broadcaster.servlet()), "/events");
 * broadcaster.broadcast("42", "{\"text\":\"hi\"}");
 * }</pre>
 *
 * <p>{@link #broadcast} is called from one publisher thread at a time; the servlet from the
 * container's threads.
 */
public interface Broadcaster {
    /** The servlet that subscribes a client at {@code GET /events}; it must support asynchronous mode. */
    HttpServlet servlet();

    /** Where to map {@link #servlet()} so that it answers {@code /events}. */
    default String mapping() {
        return "/events";
    }

    /** Sends an event of type {@code chat} with this id and data to every subscriber. */
    void broadcast(String id, String data);

    /** The number of open subscriptions. */
    int subscribers();
}
