package io.sseline.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.sseline.testing.Container;
import io.sseline.testing.Protocol;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What each HTTP method gets from an {@link EventStreamServlet}, over every HTTP version, in both
 * containers: a defined answer, and never a stream left behind or a busy thread.
 */
class MethodsTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    /** HEAD requests per cell: enough that a stream or a spinning thread per request would show. */
    static final int HEADS = 20;
    /** A spinning thread uses the whole window; an idle server a few milliseconds. */
    static final Duration CPU_WINDOW = Duration.ofSeconds(2);

    static RecordingServlet servlet() {
        // Would send at once and every 50 ms, if a stream opened.
        return new RecordingServlet(
                EventStreamConfig.builder()
                        .heartbeatInterval(Duration.ofMillis(50))
                        .build(),
                (stream, request) -> stream.send("hello"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("io.sseline.testing.Container#withEveryProtocol")
    void headGetsTheHeadersOfGetNoBodyNoStreamAndNoBusyThread(Container container, Protocol protocol) throws Exception {
        RecordingServlet servlet = servlet();
        Container.Running server = container.start(servlet);
        try {
            for (int i = 0; i < HEADS; i++) {
                Protocol.Response head =
                        protocol.exchange(server.port(), server.tlsPort(), "HEAD", Container.PATH, Map.of());
                assertThat(head.status()).isEqualTo(200);
                assertThat(head.headers().get("content-type")).matches("(?i)text/event-stream;\\s*charset=utf-8");
                assertThat(head.headers()).containsEntry("cache-control", "no-cache");
                assertThat(head.headers()).containsEntry("x-accel-buffering", "no");
                assertThat(head.headers()).doesNotContainKey("content-length");
                assertThat(head.body()).isEmpty();
            }
            assertThat(servlet.eventStreams().openCount()).isZero();
            assertThat(servlet.eventStreams().openedCount()).isZero();
            assertThat(servlet.opened).as("onOpen never ran").isEmpty();

            ThreadCpu.Usage cpu = ThreadCpu.over(CPU_WINDOW);
            System.out.println(container + " " + protocol + ": after " + HEADS + " HEAD requests, the busiest thread"
                    + " used " + cpu.busiest().toMillis() + " ms CPU in " + CPU_WINDOW.toMillis() + " ms, all threads "
                    + cpu.total().toMillis() + " ms");
            assertThat(cpu.busiest()).as("%s", cpu).isLessThan(CPU_WINDOW.dividedBy(8));
        } finally {
            long start = System.nanoTime();
            server.close();
            Duration stop = Duration.ofNanos(System.nanoTime() - start);
            System.out.println(container + " " + protocol + ": stopped in " + stop.toMillis() + " ms");
            assertThat(stop).as("the container stops promptly").isLessThan(Duration.ofSeconds(3));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("io.sseline.testing.Container#withEveryProtocol")
    void optionsNamesTheServedMethods(Container container, Protocol protocol) throws Exception {
        RecordingServlet servlet = servlet();
        try (Container.Running server = container.start(servlet)) {
            Protocol.Response options =
                    protocol.exchange(server.port(), server.tlsPort(), "OPTIONS", Container.PATH, Map.of());
            assertThat(options.status()).isEqualTo(204);
            assertThat(options.headers()).containsEntry("allow", "GET, HEAD, OPTIONS");
            assertThat(options.body()).isEmpty();
            assertThat(servlet.eventStreams().openedCount()).isZero();
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("io.sseline.testing.Container#withEveryProtocol")
    void otherMethodsGet405WithAllowAndOpenNoStream(Container container, Protocol protocol) throws Exception {
        RecordingServlet servlet = servlet();
        try (Container.Running server = container.start(servlet)) {
            for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "BREW")) {
                Protocol.Response response =
                        protocol.exchange(server.port(), server.tlsPort(), method, Container.PATH, Map.of());
                assertThat(response.status()).as(method).isEqualTo(405);
                assertThat(response.headers()).as(method).containsEntry("allow", "GET, HEAD, OPTIONS");
            }
            assertThat(servlet.eventStreams().openedCount()).isZero();
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("io.sseline.testing.Container#withEveryProtocol")
    void getStillOpensAStreamOnEveryVersion(Container container, Protocol protocol) throws Exception {
        RecordingServlet servlet = new RecordingServlet(
                EventStreamConfig.builder().heartbeatInterval(Duration.ZERO).build(),
                (stream, request) -> stream.close(io.sseline.core.Event.of("hello")));
        try (Container.Running server = container.start(servlet)) {
            Protocol.Response get = protocol.exchange(server.port(), server.tlsPort(), "GET", Container.PATH, Map.of());
            assertThat(get.status()).isEqualTo(200);
            assertThat(new String(get.body(), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo("data: hello\n\n");
            assertThat(servlet.awaitClosed(WAIT).reason()).isEqualTo(CloseReason.CLOSED);
            assertThat(servlet.eventStreams().openCount()).isZero();
        }
    }
}
