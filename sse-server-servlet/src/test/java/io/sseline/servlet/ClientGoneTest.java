package io.sseline.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sseline.core.Event;
import io.sseline.testing.Container;
import io.sseline.testing.H2Client;
import io.sseline.testing.RawClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A client that goes away in the middle of a write, the way the field does it: an HTTP/2 stream reset
 * (a closed tab), GOAWAY (a browser shutting a connection), a TCP reset during a large queued write.
 * Each time the stream closes once as {@link CloseReason#CLIENT_GONE}, leaves nothing registered, and
 * no thread stays busy.
 */
class ClientGoneTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final Duration CPU_WINDOW = Duration.ofSeconds(1);
    static final int MIB = 1024 * 1024;

    static Stream<Arguments> containersOverHttp2() {
        List<Arguments> cells = new ArrayList<>();
        for (Container container : Container.values()) {
            cells.add(Arguments.of(container, false));
            cells.add(Arguments.of(container, true));
        }
        return cells.stream();
    }

    static RecordingServlet servlet(Duration heartbeat) {
        return new RecordingServlet(EventStreamConfig.builder()
                .heartbeatInterval(heartbeat)
                .maxQueuedBytes(4 * MIB)
                .build());
    }

    /**
     * Sends 1 MiB events until the client's window (its receive buffer, or its HTTP/2 flow-control
     * window) is full and one stays queued.
     */
    static void stallWithQueuedBytes(EventStream stream) throws InterruptedException {
        SerializedEvent big = SerializedEvent.of(Event.of("x".repeat(MIB)));
        await("a write to stall with bytes queued").atMost(WAIT).until(() -> {
            if (stream.queuedBytes() > 0) {
                return true;
            }
            assertThat(stream.send(big)).isTrue();
            return false;
        });
    }

    static void assertClosedOnceAsClientGone(RecordingServlet servlet, EventStream stream) throws Exception {
        RecordingServlet.Closed closed = servlet.awaitClosed(WAIT);
        assertThat(closed.stream()).isSameAs(stream);
        assertThat(closed.reason()).isEqualTo(CloseReason.CLIENT_GONE);
        assertThat(stream.queuedBytes()).isZero();
        assertThat(stream.send("late")).isFalse();
        assertThat(servlet.eventStreams().openCount()).isZero();
        ThreadCpu.Usage cpu = ThreadCpu.over(CPU_WINDOW);
        assertThat(cpu.busiest()).as("%s", cpu).isLessThan(CPU_WINDOW.dividedBy(8));
        assertThat(servlet.closeCounts.get(stream)).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0} tls={1}")
    @MethodSource("containersOverHttp2")
    void resetStreamMidWrite(Container container, boolean tls) throws Exception {
        RecordingServlet servlet = servlet(Duration.ZERO);
        try (Container.Running server = container.start(servlet);
                H2Client client = H2Client.connect(tls ? server.tlsPort() : server.port(), tls)) {
            H2Client.Exchange exchange = client.request("GET", Container.PATH, Map.of(), false);
            EventStream stream = servlet.awaitOpened(WAIT);
            stallWithQueuedBytes(stream);

            exchange.reset();

            assertClosedOnceAsClientGone(servlet, stream);
            // The connection lives on: another stream on it works.
            H2Client.Exchange next = client.request("GET", Container.PATH, Map.of(), true);
            EventStream second = servlet.awaitOpened(WAIT);
            second.close(Event.of("still here"));
            next.ended().get(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            assertThat(new String(next.body(), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo("data: still here\n\n");
        }
    }

    @ParameterizedTest(name = "{0} tls={1}")
    @MethodSource("containersOverHttp2")
    void resetStreamWhileIdleIsFoundByTheHeartbeat(Container container, boolean tls) throws Exception {
        RecordingServlet servlet = servlet(Duration.ofMillis(100));
        try (Container.Running server = container.start(servlet);
                H2Client client = H2Client.connect(tls ? server.tlsPort() : server.port(), tls)) {
            H2Client.Exchange exchange = client.request("GET", Container.PATH, Map.of(), true);
            EventStream stream = servlet.awaitOpened(WAIT);

            exchange.reset();

            assertClosedOnceAsClientGone(servlet, stream);
        }
    }

    /**
     * GOAWAY, then a TCP reset, while the server is blocked on the client's flow-control window. Tomcat
     * reports the client gone at once. Jetty, having received GOAWAY, keeps the connection to finish
     * its streams and reports the stream only when its idle timeout ends the connection: no write can
     * reach the socket to fail. The stream then closes as CLIENT_GONE, once.
     */
    @ParameterizedTest(name = "{0} tls={1}")
    @MethodSource("containersOverHttp2")
    void goAwayThenConnectionResetMidWrite(Container container, boolean tls) throws Exception {
        RecordingServlet servlet = servlet(Duration.ZERO);
        try (Container.Running server = container.start(servlet, true, Duration.ofSeconds(2));
                H2Client client = H2Client.connect(tls ? server.tlsPort() : server.port(), tls)) {
            client.request("GET", Container.PATH, Map.of(), false);
            EventStream stream = servlet.awaitOpened(WAIT);
            stallWithQueuedBytes(stream);

            client.goAwayAndDisconnect(true);

            assertClosedOnceAsClientGone(servlet, stream);
        }
    }

    /**
     * GOAWAY and FIN from a client that read everything: the next heartbeat draws a reset. (A client
     * that closes gracefully while the server is blocked on its flow-control window is noticed only
     * when the container's idle timeout ends the connection: no write reaches the socket to fail.)
     */
    @ParameterizedTest(name = "{0} tls={1}")
    @MethodSource("containersOverHttp2")
    void goAwayThenCloseIsFoundByTheHeartbeat(Container container, boolean tls) throws Exception {
        RecordingServlet servlet = servlet(Duration.ofMillis(100));
        try (Container.Running server = container.start(servlet);
                H2Client client = H2Client.connect(tls ? server.tlsPort() : server.port(), tls)) {
            client.request("GET", Container.PATH, Map.of(), true);
            EventStream stream = servlet.awaitOpened(WAIT);
            assertThat(stream.send("some")).isTrue();

            client.goAwayAndDisconnect(false);

            assertClosedOnceAsClientGone(servlet, stream);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void tcpResetDuringALargeQueuedWrite(Container container) throws Exception {
        RecordingServlet servlet = servlet(Duration.ZERO);
        try (Container.Running server = container.start(servlet)) {
            RawClient client = RawClient.get(server.port(), Container.PATH, Map.of(), 4096);
            EventStream stream = servlet.awaitOpened(WAIT);
            stallWithQueuedBytes(stream);

            client.abort();

            assertClosedOnceAsClientGone(servlet, stream);
        }
    }
}
