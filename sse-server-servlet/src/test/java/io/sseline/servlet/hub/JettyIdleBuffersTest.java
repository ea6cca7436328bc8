package io.sseline.servlet.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sseline.core.Event;
import io.sseline.servlet.EventStreamConfig;
import io.sseline.servlet.EventStreams;
import io.sseline.testing.Container;
import io.sseline.testing.HttpEventClient;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A stream that has written holds no more of Jetty's pooled buffers between writes than one that has
 * never written. Jetty's {@code HttpOutput} copies a small {@code byte[]} write into a buffer it takes
 * from its pool at the first such write and keeps until the response completes; a hub stream's first
 * write is the history's head id, so every idle subscriber would hold one (4 KiB each, 40 MiB at
 * 10,000 subscribers). The streams write {@code ByteBuffer}s there instead, which go to the connection
 * without that buffer.
 */
class JettyIdleBuffersTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final int STREAMS = 16;
    static final String QUIET_PATH = "/quiet";

    /** Opens a stream and never writes to it. */
    static final class QuietServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        final transient EventStreams streams = EventStreams.create();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            streams.open(request, response);
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = HttpClient.Version.class,
            names = {"HTTP_1_1", "HTTP_2"})
    void subscribersThatHaveReceivedEventsHoldNoPooledBuffer(HttpClient.Version version) throws Exception {
        ArrayByteBufferPool.Tracking pool = new ArrayByteBufferPool.Tracking();
        Server server = new Server(null, null, pool);
        HttpConfiguration config = new HttpConfiguration();
        ServerConnector connector = new ServerConnector(
                server, new HttpConnectionFactory(config), new HTTP2CServerConnectionFactory(config));
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        EventHub hub = EventHub.create();
        ServletContextHandler context = new ServletContextHandler();
        ServletHolder holder =
                new ServletHolder(new EventHubServlet(hub, EventStreamConfig.defaults(), List.of("chat")));
        holder.setAsyncSupported(true);
        context.addServlet(holder, Container.PATH);
        ServletHolder quiet = new ServletHolder(new QuietServlet());
        quiet.setAsyncSupported(true);
        context.addServlet(quiet, QUIET_PATH);
        server.setHandler(context);
        server.start();
        HttpClient http = HttpClient.newBuilder().version(version).build();
        List<HttpEventClient> clients = new ArrayList<>();
        try {
            // What the container holds for streams that never wrote: over HTTP/1.1, each connection's
            // request buffer; over HTTP/2, perhaps a buffer of the one connection.
            String base = "http://127.0.0.1:" + connector.getLocalPort();
            open(http, URI.create(base + QUIET_PATH), version, clients);
            int quietStreamsHold = pool.getLeaks().size();

            String head = hub.publish("chat", Event.of("before"))
                    .toCompletableFuture()
                    .join();
            List<HttpEventClient> subscribers = open(http, URI.create(base + Container.PATH), version, clients);
            // Each stream's first write: the head id, so that a reconnect resumes after "before".
            for (HttpEventClient client : subscribers) {
                await().atMost(WAIT).until(() -> client.lastEventId().equals(head));
            }
            for (int i = 0; i < 3; i++) {
                hub.publish("chat", Event.of("event " + i));
            }
            for (HttpEventClient client : subscribers) {
                assertThat(client.next(3, WAIT))
                        .extracting(Event::data)
                        .containsExactly("event 0", "event 1", "event 2");
            }

            // Between events the subscribers hold what the quiet streams hold (a few buffers more at
            // most, for a connection busy elsewhere), never one more per stream.
            assertThat(pool.getLeaks().size() - quietStreamsHold)
                    .as(
                            "buffers held by %s subscribers that have received events, %s by as many quiet streams",
                            STREAMS, quietStreamsHold)
                    .isLessThanOrEqualTo(quietStreamsHold + STREAMS / 4);
        } finally {
            clients.forEach(HttpEventClient::close);
            server.stop();
        }
    }

    private static List<HttpEventClient> open(
            HttpClient http, URI uri, HttpClient.Version version, List<HttpEventClient> all) throws Exception {
        List<HttpEventClient> opened = new ArrayList<>();
        for (int i = 0; i < STREAMS; i++) {
            HttpEventClient client = HttpEventClient.connect(http, uri);
            all.add(client);
            opened.add(client);
            assertThat(client.awaitOpen(WAIT).version()).isEqualTo(version);
        }
        return opened;
    }
}
