package io.sseline.servlet;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.sseline.core.Event;
import io.sseline.core.EventReader;
import io.sseline.servlet.hub.EventHub;
import io.sseline.servlet.hub.EventHubServlet;
import io.sseline.servlet.internal.InMemoryBackplane;
import io.sseline.testing.Container;
import io.sseline.testing.Protocol;
import io.sseline.testing.RawClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code Last-Event-ID} as the client meant it: browsers send an id as its UTF-8 bytes, containers
 * turn header bytes into characters one byte each (ISO-8859-1). The header's bytes go on the wire
 * exactly as given here.
 */
class LastEventIdTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    /** Two-, three- and four-byte UTF-8 sequences. */
    static final String NON_ASCII_ID = "Zürich-€-😀-42";

    /** The id the stream reports for a {@code Last-Event-ID} header of exactly {@code bytes}. */
    static String lastEventIdFor(Container container, Protocol protocol, byte[] bytes) throws Exception {
        RecordingServlet servlet = new RecordingServlet(
                EventStreamConfig.builder().heartbeatInterval(Duration.ZERO).build(),
                (stream, request) -> stream.close());
        try (Container.Running server = container.start(servlet)) {
            Protocol.Response response = protocol.exchange(
                    server.port(),
                    server.tlsPort(),
                    "GET",
                    Container.PATH,
                    Map.of("Last-Event-ID", RawClient.latin1(bytes)));
            assertThat(response.status()).isEqualTo(200);
            return servlet.awaitOpened(WAIT).lastEventId();
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("io.sseline.testing.Container#withEveryProtocol")
    void utf8BytesAreTheIdTheClientMeant(Container container, Protocol protocol) throws Exception {
        assertThat(lastEventIdFor(container, protocol, NON_ASCII_ID.getBytes(UTF_8)))
                .isEqualTo(NON_ASCII_ID);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("io.sseline.testing.Container#withEveryProtocol")
    void bytesThatAreNotUtf8StayOneCharacterEach(Container container, Protocol protocol) throws Exception {
        byte[] latin1 = "été-7".getBytes(ISO_8859_1); // E9 is not a UTF-8 sequence on its own
        assertThat(lastEventIdFor(container, protocol, latin1)).isEqualTo("été-7");
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void applicationIdWithNonAsciiCharactersResumesExactly(Container container) throws Exception {
        RecordingServlet servlet = new RecordingServlet(
                EventStreamConfig.builder().heartbeatInterval(Duration.ZERO).build(), (stream, request) -> {
                    if (stream.lastEventId().isEmpty()) {
                        stream.send(Event.of("first").withId(NON_ASCII_ID));
                    } else {
                        stream.send("resumed after " + stream.lastEventId());
                    }
                });
        try (Container.Running server = container.start(servlet)) {
            String idOnTheWire;
            try (RawClient first = RawClient.get(server.port(), Container.PATH, Map.of());
                    EventReader reader = EventReader.create(first.body())) {
                assertThat(reader.next()).contains(Event.of("first").withId(NON_ASCII_ID));
                idOnTheWire = reader.lastEventId();
            }
            assertThat(idOnTheWire).isEqualTo(NON_ASCII_ID);

            // Reconnect as a browser does: the id's UTF-8 bytes in the header.
            try (RawClient second = RawClient.get(
                            server.port(),
                            Container.PATH,
                            Map.of("Last-Event-ID", RawClient.latin1(idOnTheWire.getBytes(UTF_8))));
                    EventReader reader = EventReader.create(second.body())) {
                assertThat(reader.next().orElseThrow().data()).isEqualTo("resumed after " + NON_ASCII_ID);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void hubIdWithNonAsciiCharactersResumesExactly(Container container) throws Exception {
        // Hub ids are EPOCH-SEQUENCE; an epoch may be any letters.
        try (EventHub hub = EventHub.builder()
                .backplane(InMemoryBackplane.builder().epoch("Zürich").build())
                .build()) {
            EventHubServlet servlet = new EventHubServlet(
                    hub,
                    EventStreamConfig.builder().heartbeatInterval(Duration.ZERO).build(),
                    List.of("news"));
            List<String> ids = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                ids.add(hub.publish("news", Event.of("n" + i))
                        .toCompletableFuture()
                        .get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            }
            assertThat(ids.get(0)).isEqualTo("Zürich-1");

            try (Container.Running server = container.start(servlet);
                    RawClient client = RawClient.get(
                            server.port(),
                            Container.PATH,
                            Map.of("Last-Event-ID", RawClient.latin1(ids.get(0).getBytes(UTF_8))));
                    EventReader reader = EventReader.create(client.body())) {
                assertThat(reader.next()).contains(Event.of("n2").withId("Zürich-2"));
                assertThat(reader.next()).contains(Event.of("n3").withId("Zürich-3"));
            }
        }
    }
}
