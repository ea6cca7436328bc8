package io.sseline.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sseline.core.Event;
import io.sseline.core.EventParser;
import java.io.EOFException;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.util.FutureCallback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The event source against a real Jetty 12 server, over HTTP/1.1 and cleartext HTTP/2. */
class EventSourceJettyIT {
    /** Small delays and no jitter, so that tests are fast and delays exact. */
    private static final Backoff BACKOFF = Backoff.defaults()
            .withInitialDelay(Duration.ofMillis(10))
            .withMinDelay(Duration.ofMillis(10))
            .withMaxDelay(Duration.ofMillis(100))
            .withJitter(0);

    private JettyServer jetty;

    @RegisterExtension
    final EventSourceRecorder recorder = new EventSourceRecorder();

    private final List<EventSource> sources = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        jetty = new JettyServer(16);
    }

    @AfterEach
    void stop() throws Exception {
        sources.forEach(EventSource::close);
        jetty.close();
    }

    private EventSource.Builder builder(HttpClient.Version version) {
        return EventSource.builder(jetty.uri("/events"))
                .httpClient(HttpClient.newBuilder().version(version).build())
                .backoff(BACKOFF);
    }

    private EventSource connect(EventSource.Builder builder) {
        EventSource source = builder.connect(recorder);
        sources.add(source);
        return source;
    }

    private JettyServer.Exchange accept(HttpClient.Version version) throws InterruptedException {
        JettyServer.Exchange exchange = jetty.accept();
        assertThat(exchange.httpVersion()).isEqualTo(version == HttpClient.Version.HTTP_2 ? "HTTP/2.0" : "HTTP/1.1");
        return exchange;
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void reconnectSendsLastEventId(HttpClient.Version version) throws Exception {
        connect(builder(version));
        JettyServer.Exchange first = accept(version);
        assertThat(first.header("Accept")).isEqualTo("text/event-stream");
        assertThat(first.header("Last-Event-ID")).isNull();
        first.streamHead().write("id: 7\ndata: a\n\n");
        recorder.expectOpen();
        assertThat(recorder.expectEvent()).isEqualTo(Event.of("a").withId("7"));
        first.end();
        recorder.expectError(EOFException.class, true);

        JettyServer.Exchange second = accept(version);
        assertThat(second.header("Last-Event-ID")).isEqualTo("7");
        second.respond(204);
        recorder.expectClosed();
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void retryFieldChangesTheDelay(HttpClient.Version version) throws Exception {
        connect(builder(version));
        JettyServer.Exchange first = accept(version);
        first.streamHead().write("retry: 300\n\n");
        recorder.expectOpen();
        first.end();
        recorder.expectError(EOFException.class, true);
        long endedAt = recorder.lastCallbackNanoTime(); // before the reconnection was scheduled

        JettyServer.Exchange second = accept(version);
        assertThat(System.nanoTime() - endedAt).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
        second.respond(204);
        recorder.expectClosed();
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void failingStatusesAreRetriedAndClientErrorsAreNot(HttpClient.Version version) throws Exception {
        connect(builder(version));
        accept(version).respond(500);
        assertThat(recorder.expectError(UnexpectedResponseException.class, true).statusCode())
                .isEqualTo(500);
        accept(version).respond(503);
        assertThat(recorder.expectError(UnexpectedResponseException.class, true).statusCode())
                .isEqualTo(503);
        JettyServer.Exchange tooMany = accept(version);
        tooMany.response.getHeaders().put("Retry-After", "0");
        tooMany.respond(429);
        assertThat(recorder.expectError(UnexpectedResponseException.class, true).statusCode())
                .isEqualTo(429);
        accept(version).respond(404);
        assertThat(recorder.expectError(UnexpectedResponseException.class, false)
                        .statusCode())
                .isEqualTo(404);
        recorder.expectClosed();
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void wrongContentTypeFailsWithoutRetry(HttpClient.Version version) throws Exception {
        connect(builder(version));
        JettyServer.Exchange exchange = accept(version);
        exchange.response.setStatus(200);
        exchange.response.getHeaders().put("Content-Type", "text/html");
        // The client cancels the body at the headers, so this write may fail: do not wait for it.
        exchange.writeAsync("<html>");

        UnexpectedResponseException error = recorder.expectError(UnexpectedResponseException.class, false);
        recorder.expectClosed();
        assertThat(error.contentType()).isEqualTo("text/html");
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void readTimeoutReconnects(HttpClient.Version version) throws Exception {
        connect(builder(version).readTimeout(Duration.ofMillis(300)));
        JettyServer.Exchange first = accept(version);
        first.streamHead().write("id: 1\ndata: a\n\n");
        recorder.expectOpen();
        recorder.expectData();

        recorder.expectError(HttpTimeoutException.class, true);
        first.awaitClientClose();
        JettyServer.Exchange second = accept(version);
        assertThat(second.header("Last-Event-ID")).isEqualTo("1");
        second.respond(204);
        recorder.expectClosed();
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void serverClosingMidEventDiscardsThePartAndReconnects(HttpClient.Version version) throws Exception {
        connect(builder(version));
        JettyServer.Exchange first = accept(version);
        first.streamHead().write("data: whole\n\ndata: par");
        recorder.expectOpen();
        assertThat(recorder.expectData()).isEqualTo("whole");
        first.end();
        recorder.expectError(EOFException.class, true);

        JettyServer.Exchange second = accept(version);
        second.streamHead().write("data: next\n\n");
        recorder.expectOpen();
        assertThat(recorder.expectData()).isEqualTo("next");
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void eventsSplitIntoSingleBytesAreReassembled(HttpClient.Version version) throws Exception {
        connect(builder(version));
        JettyServer.Exchange exchange = accept(version);
        exchange.streamHead().write(": open\n");
        recorder.expectOpen();
        recorder.expectComment();
        for (byte b : "data: ü€\r\n\r\nevent: x\rdata: 2\r\r".getBytes(UTF_8)) {
            FutureCallback written = new FutureCallback();
            exchange.response.write(false, ByteBuffer.wrap(new byte[] {b}), written);
            written.get(10, TimeUnit.SECONDS);
        }

        assertThat(recorder.expectEvent()).isEqualTo(Event.of("ü€"));
        assertThat(recorder.expectEvent()).isEqualTo(Event.of("2").withType("x"));
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void invalidUtf8BecomesReplacementCharacter(HttpClient.Version version) throws Exception {
        connect(builder(version));
        JettyServer.Exchange exchange = accept(version);
        exchange.streamHead();
        FutureCallback written = new FutureCallback();
        byte[] bytes = {'d', 'a', 't', 'a', ':', ' ', 'a', (byte) 0xFF, 'b', (byte) 0xE2, (byte) 0x82, '\n', '\n'};
        exchange.response.write(false, ByteBuffer.wrap(bytes), written);
        written.get(10, TimeUnit.SECONDS);

        recorder.expectOpen();
        assertThat(recorder.expectData()).isEqualTo("a\uFFFDb\uFFFD");
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void oversizedEventIsReportedAndTheSourceCloses(HttpClient.Version version) throws Exception {
        connect(builder(version).parserLimits(EventParser.Limits.defaults().withMaxLineLength(1024)));
        JettyServer.Exchange exchange = accept(version);
        exchange.streamHead().write("data: ok\n\n");
        recorder.expectOpen();
        recorder.expectData();

        exchange.writeAsync("data: " + "x".repeat(4096) + "\n\n");

        io.sseline.core.EventStreamLimitException error =
                recorder.expectError(io.sseline.core.EventStreamLimitException.class, false);
        recorder.expectClosed();
        exchange.awaitClientClose();
        assertThat(error.limit()).isEqualTo(io.sseline.core.EventStreamLimitException.Limit.LINE_LENGTH);
        assertThat(error.getMessage()).contains("1024", "maxLineLength");
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void closeDuringConnectAbortsTheExchange(HttpClient.Version version) throws Exception {
        EventSource source = connect(builder(version));
        JettyServer.Exchange exchange = accept(version);

        source.close();

        recorder.expectClosed();
        exchange.streamHead();
        exchange.awaitClientClose();
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void closeDuringStreamAbortsTheExchange(HttpClient.Version version) throws Exception {
        EventSource source = connect(builder(version));
        JettyServer.Exchange exchange = accept(version);
        exchange.streamHead().write("data: 1\n\n");
        recorder.expectOpen();
        recorder.expectData();

        source.close();

        recorder.expectClosed();
        exchange.awaitClientClose();
        assertThat(source.readyState()).isEqualTo(ReadyState.CLOSED);
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void closeDuringBackoffCancelsTheReconnection(HttpClient.Version version) throws Exception {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
        scheduler.setRemoveOnCancelPolicy(true);
        try {
            EventSource source = connect(builder(version)
                    .backoff(BACKOFF.withInitialDelay(Duration.ofSeconds(30)))
                    .connectTimeout(Duration.ZERO)
                    .scheduler(scheduler));
            accept(version).respond(503);
            recorder.expectError(UnexpectedResponseException.class, true);
            await("the reconnection is scheduled")
                    .until(() -> scheduler.getQueue().size() == 1);

            source.close();

            recorder.expectClosed();
            assertThat(scheduler.getQueue()).isEmpty();
        } finally {
            scheduler.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void closeFromInsideACallback(HttpClient.Version version) throws Exception {
        AtomicReference<EventSource> self = new AtomicReference<>();
        recorder.onEach(callback -> {
            if (callback.kind().equals("event")) {
                self.get().close();
            }
        });
        EventSource source = builder(version).build(recorder);
        sources.add(source);
        self.set(source);
        source.connect();
        JettyServer.Exchange exchange = accept(version);

        // Not awaited: the client may reset the stream (HTTP/2) before Jetty reports the write done,
        // which fails the write on the server side; that race is not what this test is about.
        exchange.streamHead().writeAsync("data: 1\n\ndata: 2\n\n");

        recorder.expectOpen();
        assertThat(recorder.expectData()).isEqualTo("1");
        recorder.expectClosed();
        exchange.awaitClientClose();
    }

    /**
     * A listener that does not return stops the client from reading: the server's writes stop
     * completing, so neither side buffers without bound; once the listener returns, every event
     * arrives in order.
     */
    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void slowListenerAppliesBackPressureToTheServer(HttpClient.Version version) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
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
        connect(builder(version));
        JettyServer.Exchange exchange = accept(version);
        exchange.streamHead();
        String payload = "x".repeat(64 * 1024);
        int maxEvents = 2048; // 128 MiB, far beyond any socket or HTTP/2 window
        int written = 0;
        boolean stalled = false;
        FutureCallback pending = null;
        while (written < maxEvents) {
            pending = exchange.writeAsync("id: " + written + "\ndata: " + payload + "\n\n");
            written++;
            if (!JettyServer.Exchange.completesWithin(pending, Duration.ofMillis(500))) {
                stalled = true;
                break;
            }
        }

        assertThat(stalled)
                .as("the server's write blocked while the listener was busy")
                .isTrue();
        assertThat((long) written * payload.length())
                .as("bytes the server could write ahead of the listener")
                .isLessThan(64L * 1024 * 1024);
        release.countDown();
        pending.get(10, TimeUnit.SECONDS);
        recorder.expectOpen();
        for (int i = 0; i < written; i++) {
            assertThat(recorder.expectEvent().id()).isEqualTo(Integer.toString(i));
        }
    }
}
