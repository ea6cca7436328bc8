package io.sseline.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EventCodecTest {
    private static final EventCodec<ChatMessage> CHAT = ChatMessage.CODEC;

    @Test
    void aValueBecomesTheDataOfAMessageEventAndComesBack() throws EventDecodeException {
        ChatMessage message = new ChatMessage("ada", "Hello!");

        Event event = Event.of(message, CHAT);

        assertThat(event).isEqualTo(Event.of("ada\tHello!"));
        assertThat(CHAT.decode(event)).isEqualTo(message);
        assertThat(CHAT.type()).isEqualTo(ChatMessage.class);
    }

    @Test
    void eventOfEncodesOnceAndTheWithersKeepTheData() {
        AtomicInteger encoded = new AtomicInteger();
        EventCodec<UUID> counting = EventCodec.of(
                UUID.class,
                id -> {
                    encoded.incrementAndGet();
                    return id.toString();
                },
                UUID::fromString);
        UUID id = UUID.randomUUID();

        Event event = Event.of(id, counting).withType("created").withId("7");

        assertThat(encoded).hasValue(1);
        assertThat(event.data()).isEqualTo(id.toString());
        assertThat(event.type()).isEqualTo("created");
    }

    @Test
    void encodedLineBreaksTravelAsDataLinesAndComeBackAsLf() throws Exception {
        EventCodec<List<String>> lines = listOfLines();
        List<Event> received = new ArrayList<>();
        EventParser parser = EventParser.create(received::add);

        parser.feed(EventSerializer.serialize(Event.of(List.of("one", "two", "three"), lines)));

        assertThat(received).singleElement().satisfies(e -> assertThat(e.data()).isEqualTo("one\ntwo\nthree"));
        assertThat(lines.decode(received.get(0))).containsExactly("one", "two", "three");
    }

    @Test
    void aCodecThatEncodesNullIsNamed() {
        EventCodec<String> broken = EventCodec.of(String.class, s -> null, s -> s);

        assertThatThrownBy(() -> Event.of("x", broken))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("EventCodec{java.lang.String} encoded a java.lang.String as null");
    }

    @Test
    void anEncodeFailureReachesTheCallerAsTheCodecThrewIt() {
        EventCodec<Instant> refusing = EventCodec.of(
                Instant.class,
                i -> {
                    throw new IllegalArgumentException("no instants before 2000: " + i);
                },
                Instant::parse);

        assertThatThrownBy(() -> Event.of(Instant.EPOCH, refusing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no instants before 2000: 1970-01-01T00:00:00Z");
    }

    @Test
    void aDecodeFailureNamesTheEventTheTypeTheReasonAndTheStartOfTheData() {
        Event raw = Event.of("no tab here").withType("chat").withId("41");

        EventDecodeException e = catchThrowableOfType(EventDecodeException.class, () -> CHAT.decode(raw));

        assertThat(e.event()).isSameAs(raw);
        assertThat(e.targetType()).isEqualTo(ChatMessage.class);
        assertThat(e.getCause()).isInstanceOf(IllegalArgumentException.class);
        assertThat(e)
                .hasMessage("cannot decode a \"chat\" event (id \"41\") as io.sseline.core.ChatMessage:"
                        + " no tab between author and text; data \"no tab here\"");
    }

    @Test
    void theMessageShowsTheFirstLineOfTheReasonAndTwoHundredCharactersOfTheData() {
        EventCodec<Integer> numbers = EventCodec.of(Integer.class, String::valueOf, data -> {
            throw new IllegalArgumentException("not a number\n at line 1, column 1\n more context");
        });
        String data = "x".repeat(250) + "\r\nsecret";

        EventDecodeException e = catchThrowableOfType(EventDecodeException.class, () -> numbers.decode(Event.of(data)));

        assertThat(e.getMessage())
                .isEqualTo("cannot decode a \"message\" event as java.lang.Integer: not a number; data \""
                        + "x".repeat(200) + "...(258 chars)\"");
    }

    @Test
    void controlCharactersInTheDataAreEscapedInTheMessage() {
        EventDecodeException e =
                catchThrowableOfType(EventDecodeException.class, () -> CHAT.decode(Event.of("a\nb\0\"c\\")));

        assertThat(e.getMessage()).endsWith("; data \"a\\nb\\0\\\"c\\\\\"");
    }

    @Test
    void aCodecThatDecodesNullFailsTheDecode() {
        EventCodec<String> nothing = EventCodec.of(String.class, s -> s, s -> null);

        EventDecodeException e =
                catchThrowableOfType(EventDecodeException.class, () -> nothing.decode(Event.of("null")));

        assertThat(e.getCause()).isNull();
        assertThat(e)
                .hasMessage("cannot decode a \"message\" event as java.lang.String: the codec returned null;"
                        + " data \"null\"");
    }

    @Test
    void aReasonWithoutAMessageIsNamedByItsClass() {
        EventCodec<String> npe = EventCodec.of(String.class, s -> s, s -> {
            throw new IllegalStateException();
        });

        assertThatThrownBy(() -> npe.decode(Event.of("x")))
                .hasMessageContaining("as java.lang.String: java.lang.IllegalStateException; data \"x\"");
    }

    @Test
    void ofChecksItsArguments() {
        assertThatThrownBy(() -> EventCodec.of(null, String::valueOf, s -> s)).hasMessage("type");
        assertThatThrownBy(() -> Event.of(null, CHAT)).hasMessage("value");
        assertThatThrownBy(() -> Event.of(new ChatMessage("a", "b"), null)).hasMessage("codec");
        assertThatThrownBy(() -> CHAT.decode((Event) null)).hasMessage("event");
        assertThat(CHAT.toString()).isEqualTo("EventCodec{io.sseline.core.ChatMessage}");
        assertThat(new String(EventSerializer.serialize(Event.of(new ChatMessage("a", "b"), CHAT)), UTF_8))
                .isEqualTo("data: a\tb\n\n");
    }

    @SuppressWarnings("unchecked")
    private static EventCodec<List<String>> listOfLines() {
        Class<List<String>> type = (Class<List<String>>) (Class<?>) List.class;
        return EventCodec.of(type, list -> String.join("\r\n", list), data -> List.of(data.split("\n")));
    }
}
