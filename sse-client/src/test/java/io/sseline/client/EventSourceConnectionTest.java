package io.sseline.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.sseline.core.Event;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The event source against a loopback server driven byte by byte: the connect timeout, the close
 * paths as the server sees them, and back-pressure. (The read timeout is in ClientConformanceTest.)
 */
class EventSourceConnectionTest {
    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @RegisterExtension
    final EventSourceRecorder recorder = new EventSourceRecorder();

    private EventSource source;

    @AfterEach
    void stop() {
        if (source != null) {
            source.close();
        }
    }

    @Test
    void connectTimeoutGivesUpOnAServerThatNeverAnswers() throws Exception {
        try (RawServer raw = new RawServer()) {
            source = EventSource.builder(raw.uri("/events"))
                    .httpClient(client)
                    .connectTimeout(Duration.ofMillis(200))
                    .maxReconnectAttempts(0)
                    .connect(recorder);
            RawServer.Exchange exchange = raw.accept();

            HttpTimeoutException timeout = recorder.expectError(HttpTimeoutException.class, false);
            recorder.expectClosed();
            exchange.awaitClientClose();
            assertThat(timeout.getMessage()).contains("no response", "connectTimeout");
            exchange.close();
        }
    }

    @Test
    void closeDuringConnectAbortsTheRequest() throws Exception {
        try (RawServer raw = new RawServer()) {
            source = EventSource.builder(raw.uri("/events")).httpClient(client).connect(recorder);
            RawServer.Exchange exchange = raw.accept();

            long start = System.nanoTime();
            source.close();
            assertThat(System.nanoTime() - start).as("close returns promptly").isLessThan(TimeUnit.SECONDS.toNanos(1));

            recorder.expectClosed();
            exchange.awaitClientClose();
            assertThat(source.readyState()).isEqualTo(ReadyState.CLOSED);
            exchange.close();
        }
    }

    @Test
    void closeDuringStreamReleasesTheConnection() throws Exception {
        try (RawServer raw = new RawServer()) {
            source = EventSource.builder(raw.uri("/events")).httpClient(client).connect(recorder);
            RawServer.Exchange exchange = raw.accept();
            exchange.sendStreamHead().write("data: 1\n\n");
            recorder.expectOpen();
            recorder.expectData();

            source.close();

            recorder.expectClosed();
            exchange.awaitClientClose();
            raw.assertNoConnection(Duration.ofMillis(100));
            exchange.close();
        }
    }

    @Test
    void closeFromInsideACallbackStopsFurtherCallbacks() throws Exception {
        try (RawServer raw = new RawServer()) {
            AtomicReference<EventSource> self = new AtomicReference<>();
            recorder.onEach(callback -> {
                if (callback.kind().equals("event")) {
                    self.get().close();
                    self.get().close(); // idempotent
                }
            });
            source = EventSource.builder(raw.uri("/events")).httpClient(client).build(recorder);
            self.set(source);
            source.addEventHandler(
                    "message", (src, event) -> recorder.onEvent(src, Event.of("handler saw " + event.data())));
            source.connect();
            RawServer.Exchange exchange = raw.accept();
            exchange.sendStreamHead().write("data: 1\n\ndata: 2\n\ndata: 3\n\n");

            recorder.expectOpen();
            assertThat(recorder.expectData()).isEqualTo("1");
            recorder.expectClosed();
            exchange.awaitClientClose();
            exchange.close();
        }
    }

    /**
     * While the listener is busy, the client does not read: the server's writes stall once the
     * socket buffers are full, instead of the client buffering what the server sends.
     */
    @Test
    void slowListenerStallsTheServersWrites() throws Exception {
        try (RawServer raw = new RawServer()) {
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            recorder.onEach(callback -> {
                if (callback.kind().equals("event")
                        && ((Event) callback.value()).id().equals("0")) {
                    try {
                        release.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            source = EventSource.builder(raw.uri("/events")).httpClient(client).connect(recorder);
            RawServer.Exchange exchange = raw.accept();
            exchange.sendStreamHead();
            String payload = "y".repeat(16 * 1024);
            int written = 0;
            java.nio.ByteBuffer pending = null;
            while (written < 8192) { // 128 MiB at most
                pending = java.nio.ByteBuffer.wrap(("id: " + written + "\ndata: " + payload + "\n\n")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                written++;
                if (!exchange.writeUnlessStalled(pending, Duration.ofMillis(500))) {
                    break;
                }
                pending = null;
            }

            assertThat(pending)
                    .as("a write stalled while the listener was busy")
                    .isNotNull();
            assertThat((long) written * payload.length()).isLessThan(32L * 1024 * 1024);
            release.countDown();
            assertThat(exchange.writeUnlessStalled(pending, Duration.ofSeconds(10)))
                    .isTrue();
            recorder.expectOpen();
            for (int i = 0; i < written; i++) {
                assertThat(recorder.expectEvent().id()).isEqualTo(Integer.toString(i));
            }
            source.close(); // before the server goes away, which the source would report
            recorder.expectClosed();
            exchange.close();
        }
    }
}
