package io.sseline.client;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.sseline.testing.TestCertificate;
import java.io.EOFException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code Last-Event-ID} of a resumed stream over HTTP/2 with TLS, against Jetty 12 and Tomcat
 * 11: the exact UTF-8 bytes of the id the server sent, whatever its characters (spec, processing
 * model: "set (`Last-Event-ID`, last event ID string, encoded as UTF-8)"). HPACK carries header bytes
 * as they are, and both servers hand them over one character per byte; {@link
 * LastEventIdOnTheWireTest} covers HTTP/1.1, where only ASCII ids can go.
 */
class LastEventIdHttp2IT {
    @RegisterExtension
    final EventSourceRecorder recorder = new EventSourceRecorder();

    static Stream<Arguments> serversAndIds() {
        return Stream.of(StreamServer.Kind.JETTY_H2, StreamServer.Kind.TOMCAT_H2)
                .flatMap(kind -> LastEventIdOnTheWireTest.ids().map(id -> {
                    Object[] args = id.get();
                    return Arguments.of(kind, args[0], args[1], args[2]);
                }));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("serversAndIds")
    void resumesWithTheExactUtf8BytesOfTheId(StreamServer.Kind kind, String name, byte[] idBytes, String id)
            throws Exception {
        try (StreamServer server = kind.start()) {
            server.replyWith(headers -> headers.containsKey("last-event-id")
                    ? new StreamServer.Reply(204, new byte[0], true)
                    : new StreamServer.Reply(200, LastEventIdOnTheWireTest.idThenEvent(idBytes), true));
            SSLContext tls = TestCertificate.clientContext();
            EventSource source = EventSource.builder(server.uri("/events"))
                    .httpClient(HttpClient.newBuilder().sslContext(tls).build())
                    .backoff(Backoff.defaults()
                            .withMinDelay(Duration.ofMillis(10))
                            .withInitialDelay(Duration.ofMillis(10)))
                    .connect(recorder);
            try {
                recorder.expectOpen();
                assertThat(recorder.expectEvent().id()).isEqualTo(id);
                recorder.expectError(EOFException.class, true);
                recorder.expectClosed();

                List<Map<String, List<String>>> requests = List.copyOf(server.requests());
                assertThat(requests).hasSize(2);
                assertThat(requests.get(1).get("last-event-id"))
                        .singleElement()
                        .satisfies(
                                value -> assertThat(value.getBytes(ISO_8859_1)).isEqualTo(id.getBytes(UTF_8)));
            } finally {
                source.close();
            }
        }
    }
}
