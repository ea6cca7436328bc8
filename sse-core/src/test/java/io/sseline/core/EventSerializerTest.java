package io.sseline.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventSerializerTest {

    @Test
    void dataOnlyEventIsOneDataLineAndABlankLine() {
        assertThat(text(Event.of("hello"))).isEqualTo("data: hello\n\n");
    }

    @Test
    void allFieldsAreWrittenIdFirstAndTheDefaultTypeIsOmitted() {
        Event event = Event.of("x").withType("chat").withId("7").withRetry(Duration.ofSeconds(3));
        assertThat(text(event)).isEqualTo("id: 7\nevent: chat\nretry: 3000\ndata: x\n\n");
        assertThat(text(event.withType("message"))).isEqualTo("id: 7\nretry: 3000\ndata: x\n\n");
    }

    @Test
    void multiLineDataIsSplitOnCrlfLfAndCrIntoSeveralDataLines() {
        assertThat(text(Event.of("a\r\nb\nc\rd"))).isEqualTo("data: a\ndata: b\ndata: c\ndata: d\n\n");
        assertThat(text(Event.of("a\n\nb"))).isEqualTo("data: a\ndata:\ndata: b\n\n");
        assertThat(text(Event.of("trailing\n"))).isEqualTo("data: trailing\ndata:\n\n");
        assertThat(text(Event.of("\r\r\n"))).isEqualTo("data:\ndata:\ndata:\n\n");
    }

    @Test
    void emptyDataIsABareDataLineSoTheEventIsStillDispatched() {
        assertThat(text(Event.of(""))).isEqualTo("data:\n\n");
    }

    @Test
    void aValueStartingWithASpaceKeepsItBehindTheSeparatorSpace() {
        assertThat(text(Event.of(" indented").withId(" x"))).isEqualTo("id:  x\ndata:  indented\n\n");
    }

    @Test
    void nonAsciiIsWrittenAsUtf8() {
        assertThat(EventSerializer.serialize(Event.of("€😀"))).isEqualTo("data: €😀\n\n".getBytes(UTF_8));
    }

    @Test
    void typeWithALineBreakIsRefusedSoNoFieldCanBeInjected() {
        assertThatThrownBy(() -> Event.of("x").withType("chat\ndata: injected"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("type must not contain CR or LF");
        assertThatThrownBy(() -> Event.of("x").withType("chat\r")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void idWithALineBreakOrNulIsRefused() {
        assertThatThrownBy(() -> Event.of("x").withId("1\n\ndata: injected"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("id must not contain CR or LF");
        assertThatThrownBy(() -> Event.of("x").withId("1\r")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Event.of("x").withId("1\0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("id must not contain NUL");
    }

    @Test
    void dataCannotInjectAnEventBecauseEveryLineIsPrefixed() throws EventStreamLimitException {
        Event hostile = Event.of("ok\n\nevent: admin\ndata: pwned\r\rid: 666");
        java.util.List<Event> parsed = new java.util.ArrayList<>();
        EventParser.create(parsed::add).feed(EventSerializer.serialize(hostile));
        assertThat(parsed).hasSize(1);
        assertThat(parsed.get(0).type()).isEqualTo("message");
        assertThat(parsed.get(0).id()).isEmpty();
    }

    @Test
    void commentIsOneColonLinePerLineThenABlankLine() {
        assertThat(new String(EventSerializer.serializeComment("keep-alive"), UTF_8))
                .isEqualTo(": keep-alive\n\n");
        assertThat(new String(EventSerializer.serializeComment("a\r\nb"), UTF_8))
                .isEqualTo(": a\n: b\n\n");
        assertThat(new String(EventSerializer.serializeComment(""), UTF_8)).isEqualTo(":\n\n");
    }

    @Test
    void idOnlyBlockIsOneIdLineThenABlankLine() {
        assertThat(new String(EventSerializer.serializeId("e-7"), UTF_8)).isEqualTo("id: e-7\n\n");
        assertThat(new String(EventSerializer.serializeId(" x"), UTF_8)).isEqualTo("id:  x\n\n");
        assertThat(EventSerializer.serializeId("€")).isEqualTo("id: €\n\n".getBytes(UTF_8));
        assertThat(new String(EventSerializer.serializeId(""), UTF_8)).isEqualTo("id:\n\n");
    }

    /**
     * Spec, "dispatch the event": step 1 sets the last event ID string to the buffer's value; step 2
     * then returns, because the data buffer is empty. So an id-only block dispatches nothing and
     * moves the id that later events carry, and an empty one resets it.
     */
    @Test
    void idOnlyBlockSetsTheLastEventIdAndDispatchesNothing() throws EventStreamLimitException {
        List<Event> parsed = new ArrayList<>();
        EventParser parser = EventParser.create(parsed::add);

        parser.feed(EventSerializer.serializeId("e-7"));
        assertThat(parsed).isEmpty();
        assertThat(parser.lastEventId()).isEqualTo("e-7");

        parser.feed(EventSerializer.serialize(Event.of("after")));
        parser.feed(EventSerializer.serializeId(""));
        assertThat(parser.lastEventId()).isEmpty();
        parser.feed(EventSerializer.serialize(Event.of("after reset")));

        assertThat(parsed).containsExactly(Event.of("after").withId("e-7"), Event.of("after reset"));
    }

    @Test
    void idOnlyBlockRefusesTheIdsThatAnEventRefuses() {
        assertThatThrownBy(() -> EventSerializer.serializeId("1\n\ndata: injected"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("id must not contain CR or LF");
        assertThatThrownBy(() -> EventSerializer.serializeId("1\r")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventSerializer.serializeId("1\0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("id must not contain NUL");
    }

    @Test
    void writesToAnOutputStreamAndAByteBuffer() throws IOException {
        Event event = Event.of("x").withId("1");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EventSerializer.write(event, out);
        assertThat(out.toString(UTF_8)).isEqualTo("id: 1\ndata: x\n\n");

        ByteBuffer buffer = ByteBuffer.allocate(64).put((byte) '#');
        EventSerializer.write(event, buffer);
        assertThat(new String(buffer.array(), 0, buffer.position(), UTF_8)).isEqualTo("#id: 1\ndata: x\n\n");
    }

    @Test
    void byteBufferTooSmallGetsNothing() {
        ByteBuffer small = ByteBuffer.allocate(4);
        assertThatThrownBy(() -> EventSerializer.write(Event.of("too long"), small))
                .isInstanceOf(BufferOverflowException.class);
        assertThat(small.position()).isZero();
    }

    @Test
    void negativeRetryIsRefused() {
        assertThatThrownBy(() -> Event.of("x").withRetry(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("retry must not be negative: PT-0.001S");
    }

    private static String text(Event event) {
        return new String(EventSerializer.serialize(event), UTF_8);
    }
}
