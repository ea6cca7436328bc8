package io.sseline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sseline.core.Event;
import io.sseline.core.EventParser;
import io.sseline.core.EventStreamLimitException;
import java.io.EOFException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.Test;

/** The event source against MockWebServer: protocol rules, reconnection and bad input. */
class EventSourceTest extends MockServerFixture {
    EventSourceTest() {
        super(Duration.ofMillis(200));
    }

    @Test
    void opensAndDeliversEventsWithProtocolHeaders() throws Exception {
        server.enqueue(stream(": hi\nevent: chat\nid: 1\ndata: hello\n\n"));
        AtomicInteger tokens = new AtomicInteger();
        source = builder()
                .header("X-Fixed", "f")
                .headers(() -> Map.of("Authorization", "Bearer t" + tokens.incrementAndGet()))
                .connect(recorder);

        assertThat(recorder.expectOpen()).isEqualTo(200);
        assertThat(recorder.expectComment()).isEqualTo("hi");
        assertThat(recorder.expectEvent())
                .isEqualTo(Event.of("hello").withType("chat").withId("1"));
        recorder.expectError(EOFException.class, true);
        RecordedRequest request = takeRequest();
        assertThat(request.getMethod()).isEqualTo("GET");
        assertThat(request.getHeaders().get("Accept")).isEqualTo("text/event-stream");
        assertThat(request.getHeaders().get("Cache-Control")).isEqualTo("no-cache");
        assertThat(request.getHeaders().get("Accept-Encoding")).isEqualTo("identity");
        assertThat(request.getHeaders().get("Last-Event-ID")).isNull();
        assertThat(request.getHeaders().get("X-Fixed")).isEqualTo("f");
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer t1");
        RecordedRequest second = takeRequest();
        assertThat(second.getHeaders().get("Authorization"))
                .as("headers computed per connection")
                .isEqualTo("Bearer t2");
    }

    @Test
    void reconnectSendsLastEventIdOfLastBlock() throws Exception {
        server.enqueue(stream("id: 1\ndata: a\n\nid: 2\ndata: b\n\nid: 3\n\n"));
        server.enqueue(stream("data: c\n\n"));
        server.enqueue(stream("id:\ndata: d\n\n"));
        server.enqueue(status(204));
        source = builder().lastEventId("0").connect(recorder);

        recorder.expectOpen();
        assertThat(recorder.expectData()).isEqualTo("a");
        assertThat(recorder.expectData()).isEqualTo("b");
        recorder.expectError(EOFException.class, true);
        recorder.expectOpen();
        assertThat(recorder.expectEvent()).isEqualTo(Event.of("c").withId("3"));
        recorder.expectError(EOFException.class, true);
        recorder.expectOpen();
        assertThat(recorder.expectEvent()).isEqualTo(Event.of("d"));
        recorder.expectError(EOFException.class, true);
        recorder.expectClosed();

        assertThat(takeRequest().getHeaders().get("Last-Event-ID")).isEqualTo("0");
        assertThat(takeRequest().getHeaders().get("Last-Event-ID"))
                .as("id of the id-only block")
                .isEqualTo("3");
        assertThat(takeRequest().getHeaders().get("Last-Event-ID")).isEqualTo("3");
        assertThat(takeRequest().getHeaders().get("Last-Event-ID"))
                .as("reset by an empty id")
                .isNull();
        assertThat(source.lastEventId()).isEmpty();
        assertThat(source.readyState()).isEqualTo(ReadyState.CLOSED);
    }

    @Test
    void retryFieldChangesTheReconnectionDelay() throws Exception {
        server.enqueue(stream("retry: 300\ndata: a\n\n"));
        server.enqueue(stream("retry: 20\n\n"));
        server.enqueue(status(204));
        source =
                builder().backoff(backoff().withMaxDelay(Duration.ofSeconds(1))).connect(recorder);

        recorder.expectOpen();
        recorder.expectData();
        recorder.expectError(EOFException.class, true);
        long errorAt = recorder.lastCallbackNanoTime(); // before the reconnection was scheduled
        recorder.expectOpen();
        long reconnectMillis = TimeUnit.NANOSECONDS.toMillis(recorder.lastCallbackNanoTime() - errorAt);
        recorder.expectError(EOFException.class, true);
        recorder.expectClosed();

        assertThat(reconnectMillis).as("waited for retry: 300").isGreaterThanOrEqualTo(300);
        assertThat(failures)
                .extracting(f -> f.proposedDelay().orElseThrow())
                .containsExactly(Duration.ofMillis(300), Duration.ofMillis(40));
    }

    @Test
    void hugeRetryValueWaitsAndStaysClosable() throws Exception {
        server.enqueue(stream("retry: 99999999999999999999999\ndata: a\n\n"));
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
        scheduler.setRemoveOnCancelPolicy(true);
        try {
            source = builder().scheduler(scheduler).connect(recorder);

            recorder.expectOpen();
            recorder.expectData();
            recorder.expectError(EOFException.class, true);
            assertThat(failures.get(0).proposedDelay()).hasValue(Duration.ofMillis(Long.MAX_VALUE));
            await("the reconnection is scheduled")
                    .until(() -> scheduler.getQueue().size() == 1);
            assertThat(source.readyState()).isEqualTo(ReadyState.CONNECTING);
            source.close();
            recorder.expectClosed();
            assertThat(scheduler.getQueue()).isEmpty();
            assertThat(server.getRequestCount()).isEqualTo(1);
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void noContentClosesWithoutError() throws Exception {
        server.enqueue(status(204));
        source = builder().connect(recorder);

        recorder.expectClosed();
        assertThat(source.readyState()).isEqualTo(ReadyState.CLOSED);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void serverErrorsAreRetriedWithGrowingDelays() throws Exception {
        server.enqueue(status(500));
        server.enqueue(status(503));
        server.enqueue(status(502));
        server.enqueue(stream("data: back\n\n"));
        source = builder()
                .backoff(backoff().withInitialDelay(Duration.ofMillis(20)))
                .connect(recorder);

        assertThat(recorder.expectError(UnexpectedResponseException.class, true).statusCode())
                .isEqualTo(500);
        assertThat(recorder.expectError(UnexpectedResponseException.class, true).statusCode())
                .isEqualTo(503);
        assertThat(recorder.expectError(UnexpectedResponseException.class, true).statusCode())
                .isEqualTo(502);
        recorder.expectOpen();
        assertThat(recorder.expectData()).isEqualTo("back");
        recorder.expectError(EOFException.class, true);

        // A fourth failure, the end of the last stream, follows; the first three are the errors.
        List<ReconnectPolicy.Failure> errors = List.copyOf(failures).subList(0, 3);
        assertThat(errors).extracting(ReconnectPolicy.Failure::attempt).containsExactly(1, 2, 3);
        assertThat(errors)
                .extracting(f -> f.proposedDelay().orElseThrow())
                .containsExactly(Duration.ofMillis(20), Duration.ofMillis(40), Duration.ofMillis(80));
    }

    @Test
    void backoffIsCappedAndJitterStaysWithinItsShare() throws Exception {
        for (int i = 0; i < 6; i++) {
            server.enqueue(status(503));
        }
        server.enqueue(status(204));
        source = builder()
                .backoff(backoff().withMaxDelay(Duration.ofMillis(50)).withJitter(0.5))
                .connect(recorder);

        for (int i = 0; i < 6; i++) {
            recorder.expectError(UnexpectedResponseException.class, true);
        }
        recorder.expectClosed();

        assertThat(failures).hasSize(6);
        for (ReconnectPolicy.Failure failure : failures) {
            assertThat(failure.proposedDelay().orElseThrow()).isBetween(Duration.ofMillis(10), Duration.ofMillis(50));
        }
    }

    @Test
    void tooManyRequestsWaitsForRetryAfter() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .code(429)
                .setHeader("Retry-After", "1")
                .build());
        server.enqueue(stream("data: ok\n\n"));
        source = builder().connect(recorder);

        UnexpectedResponseException error = recorder.expectError(UnexpectedResponseException.class, true);
        long errorAt = recorder.lastCallbackNanoTime();
        recorder.expectOpen();
        long openAt = recorder.lastCallbackNanoTime();
        assertThat(recorder.expectData()).isEqualTo("ok");
        recorder.expectError(EOFException.class, true);

        assertThat(error.statusCode()).isEqualTo(429);
        assertThat(error.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(failures.get(0).proposedDelay()).hasValue(Duration.ofSeconds(1));
        assertThat(openAt - errorAt).isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(1));
    }

    @Test
    void notFoundFailsWithoutRetry() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .code(404)
                .setHeader("Content-Type", "text/plain")
                .body("nope")
                .build());
        source = builder().connect(recorder);

        UnexpectedResponseException error = recorder.expectError(UnexpectedResponseException.class, false);
        recorder.expectClosed();

        assertThat(error.statusCode()).isEqualTo(404);
        assertThat(error.contentType()).isEqualTo("text/plain");
        assertThat(error.uri()).isEqualTo(server.url("/events").uri());
        assertThat(failures.get(0).proposedDelay()).isEmpty();
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void wrongContentTypeFailsWithoutRetry() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .setHeader("Content-Type", "application/json")
                .body("{}")
                .build());
        source = builder().connect(recorder);

        UnexpectedResponseException error = recorder.expectError(UnexpectedResponseException.class, false);
        recorder.expectClosed();

        assertThat(error.statusCode()).isEqualTo(200);
        assertThat(error.contentType()).isEqualTo("application/json");
        assertThat(error.getMessage()).contains("text/event-stream", "application/json");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void gzipEncodedStreamIsRefusedWithoutRetry() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .setHeader("Content-Type", "text/event-stream")
                .setHeader("Content-Encoding", "gzip")
                .body(new Buffer().write(EventBodyHandlersTest.gzip("data: hello\n\n")))
                .build());
        source = builder().connect(recorder);

        UnexpectedResponseException error = recorder.expectError(UnexpectedResponseException.class, false);
        recorder.expectClosed();

        assertThat(takeRequest().getHeaders().get("Accept-Encoding")).isEqualTo("identity");
        assertThat(error.statusCode()).isEqualTo(200);
        assertThat(error.contentEncoding()).isEqualTo("gzip");
        assertThat(error.getMessage()).contains("Content-Encoding gzip", "without gzip");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void policyMayRetryWhatTheProtocolWouldNot() throws Exception {
        server.enqueue(status(401));
        server.enqueue(stream("data: authorized\n\n"));
        AtomicInteger tokens = new AtomicInteger();
        source = builder()
                .headers(() -> Map.of("Authorization", "t" + tokens.incrementAndGet()))
                .reconnectPolicy(
                        failure -> failure.error() instanceof UnexpectedResponseException e && e.statusCode() == 401
                                ? Optional.of(Duration.ofMillis(5))
                                : Optional.empty())
                .connect(recorder);

        recorder.expectError(UnexpectedResponseException.class, true);
        recorder.expectOpen();
        assertThat(recorder.expectData()).isEqualTo("authorized");
        recorder.expectError(EOFException.class, false);
        recorder.expectClosed();
        assertThat(takeRequest().getHeaders().get("Authorization")).isEqualTo("t1");
        assertThat(takeRequest().getHeaders().get("Authorization")).isEqualTo("t2");
    }

    @Test
    void reconnectAttemptsAreLimited() throws Exception {
        for (int i = 0; i < 4; i++) {
            server.enqueue(status(503));
        }
        source = builder().maxReconnectAttempts(2).connect(recorder);

        recorder.expectError(UnexpectedResponseException.class, true);
        recorder.expectError(UnexpectedResponseException.class, true);
        recorder.expectError(UnexpectedResponseException.class, false);
        recorder.expectClosed();
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void throwingPolicyClosesTheSourceAndIsReported() throws Exception {
        server.enqueue(status(503));
        IllegalStateException bug = new IllegalStateException("policy bug");
        source = builder()
                .reconnectPolicy(failure -> {
                    throw bug;
                })
                .connect(recorder);

        UnexpectedResponseException error = recorder.expectError(UnexpectedResponseException.class, false);
        recorder.expectClosed();
        assertThat(error.getSuppressed()).containsExactly(bug);
    }

    @Test
    void postSendsMethodAndBodyOnEveryConnection() throws Exception {
        server.enqueue(stream("data: 1\n\n"));
        server.enqueue(status(204));
        source = builder()
                .method("POST", HttpRequest.BodyPublishers.ofString("{\"q\":1}"))
                .header("Content-Type", "application/json")
                .connect(recorder);

        recorder.expectOpen();
        recorder.expectData();
        recorder.expectError(EOFException.class, true);
        recorder.expectClosed();
        for (int i = 0; i < 2; i++) {
            RecordedRequest request = takeRequest();
            assertThat(request.getMethod()).isEqualTo("POST");
            assertThat(request.getBody().utf8()).isEqualTo("{\"q\":1}");
        }
    }

    @Test
    void eventsSplitAcrossChunksAreReassembled() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .setHeader("Content-Type", "text/event-stream")
                .chunkedBody("\uFEFFdata: ü€\r\n\r\nevent: x\r\ndata: 2\r\n\r\n", 1)
                .build());
        source = builder().connect(recorder);

        recorder.expectOpen();
        assertThat(recorder.expectEvent()).isEqualTo(Event.of("ü€"));
        assertThat(recorder.expectEvent()).isEqualTo(Event.of("2").withType("x"));
        recorder.expectError(EOFException.class, true);
    }

    @Test
    void invalidUtf8IsReplaced() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .setHeader("Content-Type", "text/event-stream")
                .body(new Buffer().writeUtf8("data: a").writeByte(0xC3).writeUtf8("\n\n"))
                .build());
        source = builder().connect(recorder);

        recorder.expectOpen();
        assertThat(recorder.expectData()).isEqualTo("a\uFFFD");
        recorder.expectError(EOFException.class, true);
    }

    @Test
    void eventCutOffByTheServerIsDiscardedAndTheSourceReconnects() throws Exception {
        server.enqueue(stream("id: 1\ndata: whole\n\nid: 2\ndata: part"));
        server.enqueue(stream("data: next\n\n"));
        source = builder().connect(recorder);

        recorder.expectOpen();
        assertThat(recorder.expectData()).isEqualTo("whole");
        recorder.expectError(EOFException.class, true);
        recorder.expectOpen();
        assertThat(recorder.expectEvent()).isEqualTo(Event.of("next").withId("1"));
        recorder.expectError(EOFException.class, true);
        takeRequest();
        assertThat(takeRequest().getHeaders().get("Last-Event-ID")).isEqualTo("1");
    }

    @Test
    void oversizedEventIsReportedAsLimitErrorWithoutRetry() throws Exception {
        server.enqueue(stream("data: small\n\ndata: " + "x".repeat(2000) + "\n\n"));
        source = builder()
                .parserLimits(EventParser.Limits.defaults().withMaxEventSize(1000))
                .connect(recorder);

        recorder.expectOpen();
        assertThat(recorder.expectData()).isEqualTo("small");
        EventStreamLimitException error = recorder.expectError(EventStreamLimitException.class, false);
        recorder.expectClosed();
        assertThat(error.limit()).isEqualTo(EventStreamLimitException.Limit.EVENT_SIZE);
        assertThat(error.maxBytes()).isEqualTo(1000);
    }

    @Test
    void handlersReceiveTheirTypeOnly() throws Exception {
        server.enqueue(stream("event: a\ndata: 1\n\ndata: 2\n\nevent: b\ndata: 3\n\nevent: a\ndata: 4\n\n"));
        List<String> typeA = new CopyOnWriteArrayList<>();
        List<String> messages = new CopyOnWriteArrayList<>();
        EventHandler removed = (src, event) -> typeA.add("removed " + event.data());
        source = builder().build(recorder);
        source.addEventHandler("a", (src, event) -> typeA.add(event.data()));
        source.addEventHandler("a", removed);
        source.addEventHandler("message", (src, event) -> messages.add(event.data()));
        source.removeEventHandler("a", removed);
        source.connect();

        recorder.expectOpen();
        for (int i = 0; i < 4; i++) {
            recorder.expectEvent();
        }
        // The end of the stream is reported after the handlers of the last event ran.
        recorder.expectError(EOFException.class, true);
        assertThat(typeA).containsExactly("1", "4");
        assertThat(messages).containsExactly("2");
    }

    @Test
    void redirectsAreFollowedByTheDefaultClient() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .code(302)
                .setHeader("Location", server.url("/moved").toString())
                .build());
        server.enqueue(stream("data: moved\n\n"));
        source = EventSource.builder(server.url("/events").uri())
                .reconnectPolicy(failure -> Optional.empty())
                .connect(recorder);

        recorder.expectOpen();
        assertThat(recorder.expectData()).isEqualTo("moved");
        recorder.expectError(EOFException.class, false); // the policy refuses every reconnection
        recorder.expectClosed();
        assertThat(takeRequest().getTarget()).isEqualTo("/events");
        assertThat(takeRequest().getTarget()).isEqualTo("/moved");
    }

    @Test
    void closeDuringBackoffCancelsTheReconnection() throws Exception {
        server.enqueue(status(503));
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
        scheduler.setRemoveOnCancelPolicy(true);
        try {
            source = builder()
                    .backoff(backoff().withInitialDelay(Duration.ofSeconds(30)).withMaxDelay(Duration.ofSeconds(30)))
                    .scheduler(scheduler)
                    .connect(recorder);
            recorder.expectError(UnexpectedResponseException.class, true);
            await("the reconnection is scheduled")
                    .until(() -> scheduler.getQueue().size() == 1);
            assertThat(source.readyState()).isEqualTo(ReadyState.CONNECTING);

            source.close();

            recorder.expectClosed();
            assertThat(scheduler.getQueue()).as("cancelled and removed").isEmpty();
            assertThat(server.getRequestCount()).isEqualTo(1);
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void malformedLinesAreIgnored() throws Exception {
        server.enqueue(stream("garbage\ndata\nretry: soon\nid: 1\0\n: c\nunknown: x\ndata:x\n\n"));
        source = builder().connect(recorder);

        recorder.expectOpen();
        assertThat(recorder.expectComment()).isEqualTo("c");
        assertThat(recorder.expectEvent()).as("an empty data line, then x").isEqualTo(Event.of("\nx"));
        recorder.expectError(EOFException.class, true);
        assertThat(failures.get(0).proposedDelay()).as("retry: soon is ignored").hasValue(Duration.ofMillis(10));
    }

    @Test
    void connectAfterCloseDoesNothing() throws Exception {
        source = builder().build(recorder);
        source.close();
        source.connect();

        recorder.expectClosed();
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void builderRejectsBadSettingsNamingThem() {
        assertThatThrownBy(() -> EventSource.builder(URI.create("ftp://x/")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ftp://x/");
        assertThatThrownBy(() -> EventSource.builder(URI.create("/relative")))
                .isInstanceOf(IllegalArgumentException.class);
        EventSource.Builder builder = builder();
        Backoff backoff = Backoff.defaults();
        assertThatThrownBy(() -> backoff.withInitialDelay(Duration.ofMillis(-1)))
                .hasMessage("initialDelay must not be negative: PT-0.001S");
        assertThatThrownBy(() -> backoff.withJitter(1.5)).hasMessageContaining("jitter");
        assertThatThrownBy(() -> backoff.withMultiplier(0.5)).hasMessageContaining("multiplier");
        assertThatThrownBy(() -> builder.backoff(null)).hasMessage("backoff");
        assertThatThrownBy(() -> builder.maxReconnectAttempts(-1)).hasMessageContaining("maxReconnectAttempts");
        assertThatThrownBy(() -> builder.lastEventId("a\nb")).hasMessageContaining("lastEventId");
        assertThatThrownBy(() -> builder.header("Host", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.header("Bad Name", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.parserLimits(null)).hasMessage("parserLimits");
        assertThatThrownBy(() -> builder.build(null)).hasMessage("listener");
    }
}
