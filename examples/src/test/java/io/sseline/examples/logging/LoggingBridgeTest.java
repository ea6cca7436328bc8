package io.sseline.examples.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.sseline.client.EventSource;
import io.sseline.client.EventSourceListener;
import io.sseline.core.Event;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.jetty.logging.JettyLogger;
import org.eclipse.jetty.logging.StdErrAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The examples' logging set-up: sseline logs through {@link System.Logger}, and
 * slf4j-jdk-platform-logging sends its records to SLF4J, here Jetty's binding, whose output this test
 * captures while the library logs a real record.
 */
class LoggingBridgeTest {
    /** The logger the client's engine logs a failed callback with. */
    static final String ENGINE = "io.sseline.client.internal.RealEventSource";

    @Test
    void systemLoggerIsSlf4jsBridge() {
        assertThat(System.getLogger(ENGINE).getClass().getName()).startsWith("org.slf4j.jdk.platform.logging.");
        assertThat(LoggerFactory.getLogger(ENGINE)).isInstanceOf(JettyLogger.class);
    }

    @Test
    void aRecordTheLibraryLogsReachesTheSlf4jBackend() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/events", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write("data: hi\n\n".getBytes(StandardCharsets.UTF_8));
            }
        });
        server.start();
        StdErrAppender appender = (StdErrAppender) ((JettyLogger) LoggerFactory.getLogger(ENGINE)).getAppender();
        PrintStream original = appender.getStream();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        appender.setStream(new PrintStream(captured, true, StandardCharsets.UTF_8));
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/events");
        EventSourceListener throwing = new EventSourceListener() {
            @Override
            public void onEvent(EventSource source, Event event) {
                throw new IllegalStateException("listener bug: " + event.data());
            }
        };
        try (EventSource source =
                EventSource.builder(uri).maxReconnectAttempts(0).connect(throwing)) {
            await("the listener's failure logged")
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> log(captured).contains("listener bug: hi"));
            assertThat(source.uri()).isEqualTo(uri);
        } finally {
            appender.setStream(original);
            server.stop(0);
        }

        assertThat(log(captured))
                .contains("WARN")
                .contains("onEvent of the listener of " + uri + " threw; ignored")
                .contains("java.lang.IllegalStateException: listener bug: hi");
    }

    private static String log(ByteArrayOutputStream captured) {
        return captured.toString(StandardCharsets.UTF_8);
    }
}
