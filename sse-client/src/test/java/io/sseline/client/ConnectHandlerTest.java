package io.sseline.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.sseline.core.Event;
import java.io.EOFException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/** {@link ConnectHandler}: each attempt's request as the handler shapes it, and its failures. */
class ConnectHandlerTest extends MockServerFixture {
    ConnectHandlerTest() {
        super(Duration.ofMillis(50));
    }

    /** What the handler was told at each attempt. */
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @Test
    void eachAttemptMayChangeUriHeadersAndBodyKnowingItsNumberAndTheLastEventId() throws Exception {
        server.enqueue(stream("id: 5\ndata: a\n\n")); // ends: the second attempt resumes after 5
        server.enqueue(status(503));
        server.enqueue(stream("data: b\n\n")); // ends: the fourth attempt still resumes after 5
        server.enqueue(status(204)); // the server ends it, so every attempt is accounted for
        URI base = server.url("/events").uri();
        source = builder()
                .header("X-Fixed", "kept")
                .headers(() -> Map.of("Authorization", "Bearer computed"))
                .connectHandler((request, attempt, lastEventId) -> {
                    seen.add(attempt + ":" + lastEventId);
                    request.uri(URI.create(
                            base + "?attempt=" + attempt + "&lastEventId=" + URLEncoder.encode(lastEventId, UTF_8)));
                    request.setHeader("X-Attempt", Integer.toString(attempt));
                    request.method("POST", HttpRequest.BodyPublishers.ofString("n=" + attempt));
                })
                .connect(recorder);

        recorder.expectOpen();
        assertThat(recorder.expectData()).isEqualTo("a");
        recorder.expectError(EOFException.class, true);
        assertThat(recorder.expectError(UnexpectedResponseException.class, true).statusCode())
                .isEqualTo(503);
        recorder.expectOpen();
        assertThat(recorder.expectData()).isEqualTo("b");
        recorder.expectError(EOFException.class, true);
        recorder.expectClosed();

        RecordedRequest first = takeRequest();
        assertThat(first.getUrl().encodedPath() + "?" + first.getUrl().encodedQuery())
                .isEqualTo("/events?attempt=1&lastEventId=");
        assertThat(first.getMethod()).isEqualTo("POST");
        assertThat(first.getBody().utf8()).isEqualTo("n=1");
        assertThat(first.getHeaders().get("X-Attempt")).isEqualTo("1");
        assertThat(first.getHeaders().get("X-Fixed")).isEqualTo("kept");
        assertThat(first.getHeaders().get("Authorization")).isEqualTo("Bearer computed");
        assertThat(first.getHeaders().get("Accept")).isEqualTo("text/event-stream");
        assertThat(first.getHeaders().get("Last-Event-ID")).isNull();

        RecordedRequest second = takeRequest();
        assertThat(second.getUrl().encodedQuery()).isEqualTo("attempt=2&lastEventId=5");
        assertThat(second.getHeaders().get("Last-Event-ID")).isEqualTo("5");
        assertThat(second.getBody().utf8()).isEqualTo("n=2");

        RecordedRequest third = takeRequest();
        assertThat(third.getUrl().encodedQuery()).isEqualTo("attempt=3&lastEventId=5");
        RecordedRequest fourth = takeRequest();
        assertThat(fourth.getUrl().encodedQuery()).isEqualTo("attempt=4&lastEventId=5");
        assertThat(fourth.getHeaders().get("X-Attempt")).isEqualTo("4");
        assertThat(seen).containsExactly("1:", "2:5", "3:5", "4:5");
        assertThat(failures).extracting(ReconnectPolicy.Failure::attempt).containsExactly(1, 2, 3);
    }

    @Test
    void aLastEventIdSetByTheHandlerIsReplacedByTheSourcesOwn() throws Exception {
        server.enqueue(stream("id: 9\ndata: a\n\n"));
        server.enqueue(stream("data: b\n\n"));
        server.enqueue(status(204));
        source = builder()
                .connectHandler((request, attempt, lastEventId) -> request.setHeader("Last-Event-ID", "forged"))
                .connect(recorder);

        recorder.expectOpen();
        assertThat(recorder.expectEvent().id()).isEqualTo("9");
        recorder.expectError(EOFException.class, true);
        recorder.expectOpen();
        Event resumed = recorder.expectEvent();
        assertThat(resumed.data()).isEqualTo("b");
        assertThat(resumed.id()).as("the id carries over to later events").isEqualTo("9");
        recorder.expectError(EOFException.class, true);
        recorder.expectClosed();

        assertThat(takeRequest().getHeaders().get("Last-Event-ID")).isNull();
        assertThat(takeRequest().getHeaders().get("Last-Event-ID")).isEqualTo("9");
        assertThat(takeRequest().getHeaders().get("Last-Event-ID")).isEqualTo("9");
    }

    @Test
    void aHandlerThatThrowsClosesTheSourceWithWhatItThrew() throws Exception {
        source = builder()
                .connectHandler((request, attempt, lastEventId) -> {
                    throw new IllegalStateException("no token yet");
                })
                .connect(recorder);

        assertThat(recorder.expectError(IllegalStateException.class, false)).hasMessage("no token yet");
        recorder.expectClosed();
        recorder.assertNoMoreCallbacks();
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void aUriThatIsNotHttpClosesTheSourceWithTheJdksMessage() throws Exception {
        source = builder()
                .connectHandler((request, attempt, lastEventId) -> request.uri(URI.create("ftp://example.com/x")))
                .connect(recorder);

        assertThat(recorder.expectError(IllegalArgumentException.class, false)).hasMessageContaining("ftp");
        recorder.expectClosed();
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void aRestrictedHeaderClosesTheSourceWithTheJdksMessage() throws Exception {
        source = builder()
                .connectHandler((request, attempt, lastEventId) -> request.setHeader("Host", "elsewhere"))
                .connect(recorder);

        assertThat(recorder.expectError(IllegalArgumentException.class, false)).hasMessageContaining("Host");
        recorder.expectClosed();
        assertThat(server.getRequestCount()).isZero();
    }
}
