package io.sseline.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The examples in this module's Javadoc and in the README, compiled and run, so that they cannot
 * drift from the API. Each test names the type whose Javadoc shows the example.
 */
class DocumentationExamplesTest {

    @Test
    void eventParser() throws EventStreamLimitException {
        List<String> printed = new ArrayList<>();
        EventParser parser = EventParser.create(event -> printed.add(event.type() + ": " + event.data()));
        parser.feed("event: greeting\ndata: hel".getBytes(UTF_8));
        parser.feed("lo\n\n".getBytes(UTF_8));
        parser.end();
        assertThat(printed).containsExactly("greeting: hello");
    }

    @Test
    void eventParserListenerAndLimits() throws EventStreamLimitException {
        List<Event> handled = new ArrayList<>();
        Duration[] reconnectDelay = {Duration.ZERO};
        EventParser.Listener listener = new EventParser.Listener() {
            @Override
            public void onEvent(Event event) {
                handled.add(event);
            }

            @Override
            public void onRetry(Duration retry) {
                reconnectDelay[0] = retry;
            }
        };
        EventParser.Limits limits = EventParser.Limits.defaults().withMaxLineLength(64 * 1024);
        EventParser parser = EventParser.create(limits, "", listener);
        parser.feed(ByteBuffer.wrap("retry: 1500\ndata: x\n\n".getBytes(UTF_8)));
        assertThat(handled).hasSize(1);
        assertThat(reconnectDelay[0]).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void eventAndSerializer() throws IOException {
        Event event = Event.of("{\"content\":\"Hello!\"}").withType("message").withId("42");
        byte[] wire = EventSerializer.serialize(event);
        assertThat(new String(wire, UTF_8)).isEqualTo("id: 42\ndata: {\"content\":\"Hello!\"}\n\n");

        byte[] bytes = EventSerializer.serialize(
                Event.of("line one\nline two").withType("chat").withId("7"));
        assertThat(new String(bytes, UTF_8)).isEqualTo("id: 7\nevent: chat\ndata: line one\ndata: line two\n\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(EventSerializer.serializeComment("keep-alive"));
        assertThat(out.toString(UTF_8)).isEqualTo(": keep-alive\n\n");
    }

    @Test
    void serializeId() throws IOException, EventStreamLimitException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(EventSerializer.serializeId("42")); // the client's next Last-Event-ID is "42"
        EventParser client = EventParser.create(event -> {});
        client.feed(out.toByteArray());
        assertThat(client.lastEventId()).isEqualTo("42");
    }

    @Test
    void eventReader() throws IOException {
        List<String> printed = new ArrayList<>();
        ByteArrayInputStream input =
                new ByteArrayInputStream("event: chat\ndata: hi\n\ndata: skip\n\n".getBytes(UTF_8));
        try (EventReader reader = EventReader.create(input)) {
            reader.stream().filter(e -> e.type().equals("chat")).forEach(e -> printed.add(e.data()));
        }
        assertThat(printed).containsExactly("hi");
    }

    @Test
    void eventStreamLimitException() {
        EventParser parser = EventParser.create(EventParser.Limits.defaults().withMaxLineLength(4), "", event -> {});
        String logged;
        try {
            parser.feed("data: long\n".getBytes(UTF_8));
            logged = "nothing";
        } catch (EventStreamLimitException e) {
            logged = "dropping stream: " + e.getMessage() + " (" + e.limit() + " " + e.maxBytes() + ")";
        }
        assertThat(logged)
                .isEqualTo("dropping stream: line exceeds maxLineLength, 4 bytes; raise it with "
                        + "EventParser.Limits#withMaxLineLength (LINE_LENGTH 4)");
    }

    @Test
    void eventCheckId() {
        String lastEventId = "7";
        String resumeFrom = Event.checkId(lastEventId, "lastEventId");
        assertThat(resumeFrom).isEqualTo("7");
        assertThatThrownBy(() -> Event.checkId("7\ndata: forged", "lastEventId"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eventStreamLimitExceptionLimit() {
        EventParser parser = EventParser.create(EventParser.Limits.defaults().withMaxEventSize(4), "", event -> {});
        byte[] chunk = "data: large\n\n".getBytes(UTF_8);
        boolean eventTooLarge = false;
        try {
            parser.feed(chunk);
        } catch (EventStreamLimitException e) {
            eventTooLarge = e.limit() == EventStreamLimitException.Limit.EVENT_SIZE;
        }
        assertThat(eventTooLarge).isTrue();
    }

    @Test
    void eventCodec() throws EventDecodeException {
        EventCodec<Instant> instants = EventCodec.of(Instant.class, Instant::toString, Instant::parse);
        Event tick = Event.of(Instant.now(), instants).withType("tick");
        Instant sent = instants.decode(tick);
        assertThat(sent).isEqualTo(Instant.parse(tick.data()));

        EventCodec<UUID> ids = EventCodec.of(UUID.class, UUID::toString, UUID::fromString);
        UUID id = UUID.randomUUID();
        assertThat(ids.decode(Event.of(id, ids))).isEqualTo(id);
    }

    @Test
    void eventDecodeException() {
        EventCodec<ChatMessage> chatCodec = ChatMessage.CODEC;
        Event event = Event.of("not a chat message");
        List<Event> quarantined = new ArrayList<>();
        try {
            ChatMessage message = chatCodec.decode(event);
            assertThat(message).as("decoded").isNull();
        } catch (EventDecodeException e) {
            quarantined.add(e.event());
        }
        assertThat(quarantined).containsExactly(event);
    }
}
