package io.sseline.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the event source does with each kind of response, rule by rule from the HTML standard's
 * "Server-sent events" processing model (quoted as "Spec"), beside the parser's SpecConformanceTest.
 * Where this client deliberately differs from a browser's {@code EventSource}, the test says so
 * ("Differs") and why; the same list is in the {@link EventSource} Javadoc and the README's table.
 */
class ClientConformanceTest extends MockServerFixture {
    ClientConformanceTest() {
        super(Duration.ofSeconds(1));
    }

    private static MockResponse typed(String contentType, String body) {
        MockResponse.Builder response = new MockResponse.Builder().body(body);
        if (!contentType.isEmpty()) {
            response.setHeader("Content-Type", contentType);
        }
        return response.build();
    }

    /** Fails the connection: one error without reconnection, then closed, one request in all. */
    private UnexpectedResponseException expectFailedConnection() throws InterruptedException {
        UnexpectedResponseException error = recorder.expectError(UnexpectedResponseException.class, false);
        recorder.expectClosed();
        assertThat(source.readyState()).isEqualTo(ReadyState.CLOSED);
        assertThat(server.getRequestCount()).isEqualTo(1);
        return error;
    }

    // Status and content type.

    @ParameterizedTest(name = "Content-Type: {0}")
    @ValueSource(strings = {"text/event-stream", "text/event-stream;charset=utf-8", "TEXT/Event-Stream ; x=y"})
    @DisplayName(
            "Spec: 200 with the text/event-stream MIME type (its essence; parameters aside) announces the connection")
    void status200WithEventStreamTypeOpens(String contentType) throws Exception {
        server.enqueue(typed(contentType, "data: a\n\n"));
        source = builder().maxReconnectAttempts(0).connect(recorder);

        recorder.expectOpen();
        assertThat(recorder.expectData()).isEqualTo("a");
        recorder.expectError(EOFException.class, false);
        recorder.expectClosed();
    }

    @ParameterizedTest(name = "Content-Type: \"{0}\"")
    @ValueSource(strings = {"text/html", "application/json", "text/plain", "text/event-streams", ""})
    @DisplayName("Spec: \"if res's Content-Type is not text/event-stream, then fail the connection\" (no reconnection)")
    void status200WithWrongOrMissingTypeFailsTheConnection(String contentType) throws Exception {
        server.enqueue(typed(contentType, "data: not read\n\n"));
        source = builder().connect(recorder);

        UnexpectedResponseException error = expectFailedConnection();
        assertThat(error.statusCode()).isEqualTo(200);
        assertThat(error.contentType()).isEqualTo(contentType);
    }

    /**
     * Spec: "a client can be told to stop reconnecting using the HTTP 204 No Content response code";
     * as a status other than 200 it fails the connection, which fires an error event. Differs: the
     * source closes without an error, since 204 is how a server ends a stream on purpose.
     */
    @Test
    void status204StopsReconnectingWithoutAnError() throws Exception {
        server.enqueue(status(204));
        source = builder().connect(recorder);

        recorder.expectClosed();
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    /**
     * Spec: the request is fetched, and fetch follows 301, 302, 303, 307 and 308 ("HTTP-redirect
     * fetch"); the event source sees the final response. RedirectTest covers methods, headers and
     * origins.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {301, 302, 303, 307, 308})
    void redirectsAreFollowed(int status) throws Exception {
        server.enqueue(new MockResponse.Builder()
                .code(status)
                .setHeader("Location", "/moved")
                .build());
        server.enqueue(typed("text/event-stream", "data: moved\n\n"));
        source = builder().maxReconnectAttempts(0).connect(recorder);

        recorder.expectOpen();
        assertThat(recorder.expectData()).isEqualTo("moved");
        recorder.expectError(EOFException.class, false);
        recorder.expectClosed();
        takeRequest();
        assertThat(takeRequest().getTarget()).isEqualTo("/moved");
    }

    /** Spec: fetch treats 300, 304, 305 and 306 as no redirect; "if res's status is not 200 … fail the connection". */
    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {300, 304, 305, 306})
    void otherRedirectionStatusesFailTheConnection(int status) throws Exception {
        server.enqueue(new MockResponse.Builder()
                .code(status)
                .setHeader("Location", "/moved")
                .build());
        source = builder().connect(recorder);

        UnexpectedResponseException error = expectFailedConnection();
        assertThat(error.statusCode()).isEqualTo(status);
        assertThat(error.getMessage()).contains("not a redirect");
    }

    /** Spec: "if res's status is not 200 … fail the connection". The same here for client errors. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {400, 401, 403, 404, 405, 410})
    void clientErrorsFailTheConnection(int status) throws Exception {
        server.enqueue(status(status));
        source = builder().connect(recorder);

        assertThat(expectFailedConnection().statusCode()).isEqualTo(status);
    }

    /**
     * Spec: any status but 200 fails the connection. Differs: 429 is retried after the delay its
     * Retry-After asks for (at least the backoff), since the server says when to come back.
     */
    @Test
    void status429IsRetriedAfterRetryAfter() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .code(429)
                .setHeader("Retry-After", "1")
                .build());
        server.enqueue(typed("text/event-stream", "data: back\n\n"));
        source = builder().maxReconnectAttempts(1).connect(recorder);

        assertThat(recorder.expectError(UnexpectedResponseException.class, true).statusCode())
                .isEqualTo(429);
        long errorAt = recorder.lastCallbackNanoTime();
        recorder.expectOpen();
        assertThat(recorder.lastCallbackNanoTime() - errorAt).isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(1));
        assertThat(failures.get(0).proposedDelay()).hasValue(Duration.ofSeconds(1));
        assertThat(recorder.expectData()).isEqualTo("back");
        recorder.expectError(EOFException.class, false);
        recorder.expectClosed();
    }

    /**
     * Spec: any status but 200 fails the connection. Differs: 500 to 504 are retried with backoff,
     * since a server that fails or is overloaded is usually back soon; a browser gives up.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {500, 501, 502, 503, 504})
    void serverErrorsAreRetriedWithBackoff(int status) throws Exception {
        server.enqueue(status(status));
        server.enqueue(status(status));
        server.enqueue(status(204));
        source = builder().connect(recorder);

        assertThat(recorder.expectError(UnexpectedResponseException.class, true).statusCode())
                .isEqualTo(status);
        assertThat(recorder.expectError(UnexpectedResponseException.class, true).statusCode())
                .isEqualTo(status);
        recorder.expectClosed();
        assertThat(failures)
                .extracting(f -> f.proposedDelay().orElseThrow())
                .containsExactly(Duration.ofMillis(10), Duration.ofMillis(20));
    }

    // The stream ends.

    /**
     * Spec: when the body ends, "reestablish the connection": error event, wait the reconnection
     * time, "optionally, wait some more … user agents might introduce an exponential backoff delay".
     * This client does: responses that end at once without an event back off from the reconnection
     * time, doubling each time.
     */
    @Test
    void bodyThatEndsAtOnceOverAndOverIsReestablishedWithGrowingDelays() throws Exception {
        for (int i = 0; i < 5; i++) {
            server.enqueue(typed("text/event-stream", ""));
        }
        server.enqueue(status(204));
        source = builder().connect(recorder);

        for (int i = 0; i < 5; i++) {
            recorder.expectOpen();
            recorder.expectError(EOFException.class, true);
            assertThat(source.readyState()).isIn(ReadyState.CONNECTING, ReadyState.OPEN);
        }
        recorder.expectClosed();
        assertThat(failures)
                .extracting(f -> f.proposedDelay().orElseThrow())
                .containsExactly(
                        Duration.ofMillis(10),
                        Duration.ofMillis(20),
                        Duration.ofMillis(40),
                        Duration.ofMillis(80),
                        Duration.ofMillis(160));
    }

    /**
     * Spec, reestablish the connection, step 5.3: "If the EventSource object's last event ID string is
     * not the empty string, … set (`Last-Event-ID`, lastEventIDValue) in request's header list." Each
     * reconnection carries the id of the last event block, none before the first id or after an empty
     * id.
     */
    @Test
    void lastEventIdGoesWithEachReconnection() throws Exception {
        server.enqueue(typed("text/event-stream", "data: no id yet\n\n"));
        server.enqueue(typed("text/event-stream", "id: 1\ndata: a\n\n"));
        server.enqueue(typed("text/event-stream", "data: b\n\n"));
        server.enqueue(typed("text/event-stream", "id: 3\ndata: c\n\nid\ndata: d\n\n"));
        server.enqueue(status(204));
        source = builder().connect(recorder);

        for (int i = 0; i < 4; i++) {
            recorder.expectEventSkippingReconnects();
        }
        recorder.expectEventSkippingReconnects();
        while (!recorder.next().kind().equals("closed")) {
            // errors and opens of the reconnections
        }

        assertThat(takeRequest().getHeaders().get("Last-Event-ID")).isNull();
        assertThat(takeRequest().getHeaders().get("Last-Event-ID")).isNull();
        assertThat(takeRequest().getHeaders().get("Last-Event-ID")).isEqualTo("1");
        assertThat(takeRequest().getHeaders().get("Last-Event-ID")).isEqualTo("1");
        assertThat(takeRequest().getHeaders().get("Last-Event-ID"))
                .as("an empty id field resets the last event id")
                .isNull();
    }

    /**
     * Spec, "retry" field: "If the field value consists of only ASCII digits, then interpret the field
     * value as an integer in base ten, and set the event stream's reconnection time to that integer.
     * Otherwise, ignore the field." (One leading space after the colon is not part of the value.)
     */
    @ParameterizedTest(name = "retry:{0} -> {1} ms")
    @CsvSource(
            delimiter = '|',
            ignoreLeadingAndTrailingWhitespace = false,
            value = {
                " 50|50",
                "50|50",
                " 1a|10",
                " -50|10",
                " 50.0|10",
                " +50|10",
                "  50|10",
                " 5e1|10",
                " ５０|10",
                "|10"
            })
    void retryCountsOnlyWhenAllDigits(String value, long expectedMillis) throws Exception {
        server.enqueue(typed("text/event-stream", "retry:" + (value == null ? "" : value) + "\ndata: a\n\n"));
        server.enqueue(status(204));
        source = builder().connect(recorder);

        recorder.expectOpen();
        recorder.expectData();
        recorder.expectError(EOFException.class, true);
        recorder.expectClosed();
        assertThat(failures.get(0).proposedDelay())
                .as("the reconnection time; 10 ms as configured unless the field counts")
                .hasValue(Duration.ofMillis(expectedMillis));
    }

    /**
     * Not in the spec, which has no read timeout. Differs: a stream that sends nothing for the read
     * timeout counts as dropped (a connection that died without a FIN looks just like a quiet one):
     * the source closes it and reestablishes the connection with Last-Event-ID.
     */
    @Test
    void readTimeoutDropsASilentStreamAndReconnects() throws Exception {
        try (RawServer raw = new RawServer()) {
            source = EventSource.builder(raw.uri("/events"))
                    .httpClient(client)
                    .backoff(Backoff.defaults()
                            .withInitialDelay(Duration.ofMillis(10))
                            .withMinDelay(Duration.ofMillis(10)))
                    .readTimeout(Duration.ofMillis(200))
                    .connect(recorder);
            RawServer.Exchange first = raw.accept();
            first.sendStreamHead().write("id: 5\ndata: a\n\n");

            recorder.expectOpen();
            recorder.expectData();
            long lastEventAt = recorder.lastCallbackNanoTime();
            HttpTimeoutException timeout = recorder.expectError(HttpTimeoutException.class, true);
            long silentMillis = TimeUnit.NANOSECONDS.toMillis(recorder.lastCallbackNanoTime() - lastEventAt);
            first.awaitClientClose();
            RawServer.Exchange second = raw.accept();

            assertThat(silentMillis).isGreaterThanOrEqualTo(200);
            assertThat(timeout.getMessage()).contains("no bytes", "readTimeout");
            assertThat(second.header("Last-Event-ID")).isEqualTo("5");
            source.close(); // before the server goes away, which the source would report
            recorder.expectClosed();
            second.close();
            first.close();
        }
    }
}
