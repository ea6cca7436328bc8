package io.sseline.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code Last-Event-ID} header byte for byte over HTTP/1.1, as a raw socket receives it. Spec
 * (processing model, "reestablish the connection"): "If the EventSource object's last event ID
 * string is not the empty string, set (`Last-Event-ID`, last event ID string, encoded as UTF-8) in
 * request's header list." The server must get back exactly the bytes it sent, or nothing: {@code
 * HttpClient} writes an HTTP/1.1 header block as US-ASCII, with {@code ?} for every other character,
 * so an id outside ASCII goes without the header here (never as {@code caf??}); over HTTP/2 with TLS
 * it goes as its exact UTF-8 bytes ({@code StreamLimitsIT}... see {@code LastEventIdHttp2IT}).
 */
class LastEventIdOnTheWireTest {
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

    static Stream<Arguments> ids() {
        return Stream.of(
                Arguments.of("ASCII", "42".getBytes(UTF_8), "42"),
                Arguments.of("Latin-1", "café".getBytes(UTF_8), "café"),
                Arguments.of("BMP", "✓-1".getBytes(UTF_8), "✓-1"),
                Arguments.of("astral", "\uD83D\uDE00-1".getBytes(UTF_8), "\uD83D\uDE00-1"),
                // An invalid byte decodes to U+FFFD, which a browser sends back as its UTF-8 bytes.
                Arguments.of("invalid UTF-8", new byte[] {'a', (byte) 0xFF, 'b'}, "a\uFFFDb"));
    }

    /** The bytes an HTTP/1.1 request may carry for {@code id}: all of them, or no header. */
    private static byte[] expectedOverHttp1(String id) {
        byte[] utf8 = id.getBytes(UTF_8);
        for (byte b : utf8) {
            if (b < 0) {
                return null;
            }
        }
        return utf8;
    }

    private EventSource.Builder builder(RawServer raw) throws Exception {
        return EventSource.builder(raw.uri("/events"))
                .httpClient(client)
                .backoff(Backoff.defaults()
                        .withInitialDelay(Duration.ofMillis(10))
                        .withMinDelay(Duration.ofMillis(10)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ids")
    void resumesWithTheExactBytesOfTheIdOrWithout(String kind, byte[] idBytes, String id) throws Exception {
        try (RawServer raw = new RawServer()) {
            source = builder(raw).connect(recorder);
            RawServer.Exchange first = raw.accept();
            assertThat(first.header("Last-Event-ID")).isNull();
            first.sendStreamHead().write(idThenEvent(idBytes));
            first.close();

            recorder.expectOpen();
            assertThat(recorder.expectEvent().id()).isEqualTo(id);
            recorder.expectError(EOFException.class, true);
            RawServer.Exchange second = raw.accept();

            assertThat(second.headerBytes("Last-Event-ID")).isEqualTo(expectedOverHttp1(id));
            assertThat(source.lastEventId()).as("kept for later requests").isEqualTo(id);
            second.write("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
            recorder.expectClosed();
            second.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ids")
    void sendsTheExactBytesOfTheInitialIdOrNone(String kind, byte[] idBytes, String id) throws Exception {
        try (RawServer raw = new RawServer()) {
            source = builder(raw).lastEventId(id).connect(recorder);
            RawServer.Exchange first = raw.accept();

            assertThat(first.headerBytes("Last-Event-ID")).isEqualTo(expectedOverHttp1(id));
            source.close(); // before the server goes away, which the source would report
            recorder.expectClosed();
            first.close();
        }
    }

    /**
     * An id may hold control characters (only NUL, CR and LF cannot be in one), which {@code
     * HttpClient} refuses in a header value. The source must not close over it: it connects again
     * without the header, as it would with an empty id.
     */
    @Test
    void idThatCannotBeSentDoesNotCloseTheSource() throws Exception {
        try (RawServer raw = new RawServer()) {
            source = builder(raw).connect(recorder);
            RawServer.Exchange first = raw.accept();
            first.sendStreamHead().write("id: a\u0001b\ndata: x\n\n");
            first.close();

            recorder.expectOpen();
            assertThat(recorder.expectEvent().id()).isEqualTo("a\u0001b");
            recorder.expectError(EOFException.class, true);
            RawServer.Exchange second = raw.accept();

            assertThat(second.header("Last-Event-ID")).isNull();
            second.sendStreamHead().write("id: 2\ndata: y\n\n");
            recorder.expectOpen();
            assertThat(recorder.expectEvent().id()).isEqualTo("2");
            assertThat(source.readyState()).isEqualTo(ReadyState.OPEN);
            source.close(); // before the server goes away, which the source would report
            recorder.expectClosed();
            second.close();
        }
    }

    /** {@code id: } with the id's bytes, then an event: what the servers send in these tests. */
    static byte[] idThenEvent(byte[] idBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("id: ".getBytes(UTF_8));
        out.writeBytes(idBytes);
        out.writeBytes("\ndata: x\n\n".getBytes(UTF_8));
        return out.toByteArray();
    }
}
