package io.sseline.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sseline.core.Event;
import io.sseline.servlet.EventStream;
import io.sseline.servlet.EventStreamConfig;
import io.sseline.servlet.hub.EventHub;
import io.sseline.servlet.hub.EventHubServlet;
import io.sseline.servlet.hub.spi.Backplane;
import io.sseline.testing.HttpEventClient;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * One server node: embedded Jetty 12 with an {@link EventHub} on a backplane. {@code GET
 * /events?channel=a&channel=b} subscribes to channels (a gap is answered with a {@code snapshot}
 * event naming the id); {@code POST /publish?channel=a&type=t} publishes the body and answers with
 * the id, or 503 and the failure; {@code GET /subscribers?channel=a} answers how many streams of this
 * node are subscribed to the channel.
 */
final class Node implements AutoCloseable {
    private final EventHub hub;
    /** The log behind the hub, or null for the hub's in-memory one. */
    private final Backplane backplane;

    private final Server server;
    private final int port;

    private Node(EventHub hub, Backplane backplane, Server server, int port) {
        this.hub = hub;
        this.backplane = backplane;
        this.server = server;
        this.port = port;
    }

    static Node start(Backplane backplane) throws Exception {
        return start(backplane, 0);
    }

    static Node start(Backplane backplane, int port) throws Exception {
        return start(EventHub.builder().backplane(backplane).build(), backplane, port);
    }

    /** A node on a hub with its in-memory log. */
    static Node start(EventHub hub) throws Exception {
        return start(hub, null, 0);
    }

    private static Node start(EventHub hub, Backplane backplane, int port) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        ServletHolder events = new ServletHolder(new EventHubServlet(hub, EventStreamConfig.defaults(), List.of()) {
            private static final long serialVersionUID = 1L;

            @Override
            protected Collection<String> channels(HttpServletRequest request) {
                return List.of(request.getParameterValues("channel"));
            }

            @Override
            protected void onHistoryGap(EventStream stream, String lastEventId) {
                stream.send(Event.of("gap after " + lastEventId).withType("snapshot"));
            }
        });
        events.setAsyncSupported(true);
        context.addServlet(events, "/events");
        context.addServlet(new ServletHolder(new PublishServlet(hub)), "/publish");
        context.addServlet(new ServletHolder(new SubscribersServlet(hub)), "/subscribers");
        server.setHandler(context);
        server.start();
        return new Node(hub, backplane, server, connector.getLocalPort());
    }

    EventHub hub() {
        return hub;
    }

    /** The node's backplane, for what only the log answers: the order of ids, the head. */
    Backplane backplane() {
        if (backplane == null) {
            throw new IllegalStateException("this node runs on the hub's in-memory log");
        }
        return backplane;
    }

    int port() {
        return port;
    }

    URI events(String... channels) {
        String query = List.of(channels).stream().map(c -> "channel=" + c).collect(Collectors.joining("&"));
        return URI.create("http://127.0.0.1:" + port + "/events?" + query);
    }

    URI publish(String channel) {
        return URI.create("http://127.0.0.1:" + port + "/publish?channel=" + channel);
    }

    /** Publishes and waits for the id. */
    String publish(String channel, String data) throws Exception {
        return hub.publish(channel, Event.of(data)).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        server.stop();
        hub.close();
    }

    private static final class PublishServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient EventHub hub;

        PublishServlet(EventHub hub) {
            this.hub = hub;
        }

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String data = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            response.setContentType("text/plain;charset=utf-8");
            try {
                String id = hub.publish(request.getParameter("channel"), Event.of(data))
                        .toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
                response.getWriter().write(id);
            } catch (ExecutionException | TimeoutException e) {
                response.setStatus(503);
                response.getWriter().write(String.valueOf(e.getCause()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                response.setStatus(503);
            }
        }
    }

    private static final class SubscribersServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient EventHub hub;

        SubscribersServlet(EventHub hub) {
            this.hub = hub;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain;charset=utf-8");
            response.getWriter().write(Integer.toString(hub.subscriberCount(request.getParameter("channel"))));
        }
    }

    /**
     * Connects {@code client} to a node's stream and returns once it is live: the response began,
     * {@code subscribers} grew past what it was, and, for a client that does not resume, the hub
     * sent the head of the log as an id of its own (a client that reconnects before any event then
     * resumes without a gap).
     */
    static HttpEventClient subscribe(
            HttpClient http, URI events, String lastEventId, IntSupplier subscribers, Duration wait) throws Exception {
        int before = subscribers.getAsInt();
        HttpEventClient client = HttpEventClient.connect(http, events, lastEventId);
        assertThat(client.awaitOpen(wait).statusCode()).isEqualTo(200);
        await("a subscriber at " + events).atMost(wait).until(() -> subscribers.getAsInt() > before);
        if (lastEventId.isEmpty()) {
            await("the head of the log")
                    .atMost(wait)
                    .until(() -> !client.lastEventId().isEmpty());
        }
        return client;
    }
}
