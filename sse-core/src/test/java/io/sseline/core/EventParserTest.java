package io.sseline.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sseline.core.EventStreamLimitException.Limit;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parser behaviour beyond the spec's table: limits, reuse across streams, buffers and listeners. */
class EventParserTest {
    private final Recorder recorder = new Recorder();

    @Test
    void lineLongerThanTheLimitInOneChunkFailsNamingTheLimitAndTheFix() {
        EventParser parser = EventParser.create(EventParser.Limits.defaults().withMaxLineLength(8), "", recorder);
        assertThatThrownBy(() -> parser.feed(utf8("data: 1234\n\n")))
                .isInstanceOfSatisfying(EventStreamLimitException.class, e -> {
                    assertThat(e.limit()).isEqualTo(Limit.LINE_LENGTH);
                    assertThat(e.maxBytes()).isEqualTo(8);
                })
                .hasMessage("line exceeds maxLineLength, 8 bytes; raise it with EventParser.Limits#withMaxLineLength");
        assertThat(recorder.log).isEmpty();
    }

    @Test
    void lineLongerThanTheLimitAcrossChunksFailsBeforeItIsBuffered() throws EventStreamLimitException {
        EventParser parser = EventParser.create(EventParser.Limits.defaults().withMaxLineLength(8), "", recorder);
        parser.feed(utf8("data: 12"));
        assertThatThrownBy(() -> parser.feed(utf8("3")))
                .isInstanceOf(EventStreamLimitException.class)
                .extracting(e -> ((EventStreamLimitException) e).limit())
                .isEqualTo(Limit.LINE_LENGTH);
        assertThat(parser.retainedBytes()).isLessThanOrEqualTo(256);
    }

    @Test
    void lineOfExactlyTheLimitIsAccepted() throws EventStreamLimitException {
        EventParser parser = EventParser.create(EventParser.Limits.defaults().withMaxLineLength(8), "", recorder);
        parser.feed(utf8("data: 12\n"));
        parser.feed(utf8("data"));
        parser.feed(utf8(": 34\n\n"));
        assertThat(recorder.log).containsExactly("event type=message data=12\\n34 id=");
    }

    @Test
    void eventDataLargerThanTheLimitFailsNamingTheLimitAndTheFix() throws EventStreamLimitException {
        EventParser parser = EventParser.create(EventParser.Limits.defaults().withMaxEventSize(10), "", recorder);
        parser.feed(utf8("data: 12345\n")); // 6 bytes with its LF
        assertThatThrownBy(() -> parser.feed(utf8("data: 6789\n")))
                .isInstanceOfSatisfying(EventStreamLimitException.class, e -> {
                    assertThat(e.limit()).isEqualTo(Limit.EVENT_SIZE);
                    assertThat(e.maxBytes()).isEqualTo(10);
                })
                .hasMessage(
                        "event data exceeds maxEventSize, 10 bytes; raise it with EventParser.Limits#withMaxEventSize");
    }

    @Test
    void eventDataOfExactlyTheLimitIsAccepted() throws EventStreamLimitException {
        EventParser parser = EventParser.create(EventParser.Limits.defaults().withMaxEventSize(10), "", recorder);
        parser.feed(utf8("data: 1234\ndata: 5678\n\n"));
        assertThat(recorder.log).containsExactly("event type=message data=1234\\n5678 id=");
    }

    @Test
    void afterALimitTheParserRefusesInputUntilEnd() throws EventStreamLimitException {
        EventParser parser = EventParser.create(EventParser.Limits.defaults().withMaxLineLength(4), "", recorder);
        assertThatThrownBy(() -> parser.feed(utf8("data: too long\n\n"))).isInstanceOf(EventStreamLimitException.class);
        assertThatThrownBy(() -> parser.feed(utf8("data\n\n")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("call end()");
        parser.end();
        parser.feed(utf8("data\n\n"));
        assertThat(recorder.log).containsExactly("event type=message data= id=");
    }

    @Test
    void endDiscardsThePartialEventAndKeepsTheLastEventIdForTheNextStream() throws EventStreamLimitException {
        EventParser parser = EventParser.create(recorder);
        parser.feed(utf8("id: 1\ndata: a\n\nid: 2\nevent: half\ndata: lost"));
        parser.end();
        assertThat(parser.lastEventId()).isEqualTo("1");
        parser.feed(utf8("data: b\n\n"));
        assertThat(recorder.log).containsExactly("event type=message data=a id=1", "event type=message data=b id=1");
    }

    @Test
    void endMakesTheNextStreamStripItsOwnBomAndForgetAPendingCr() throws EventStreamLimitException {
        EventParser parser = EventParser.create(recorder);
        parser.feed(utf8("data: a\n\r"));
        parser.end();
        parser.feed(utf8("\uFEFFdata: b\n\n"));
        parser.end();
        parser.feed(utf8("\ndata: c\n\n"));
        assertThat(recorder.log)
                .containsExactly(
                        "event type=message data=a id=",
                        "event type=message data=b id=",
                        "event type=message data=c id=");
    }

    @Test
    void initialLastEventIdIsReportedUntilTheServerSendsAnother() throws EventStreamLimitException {
        EventParser parser = EventParser.create(EventParser.Limits.defaults(), "41", recorder);
        parser.feed(utf8("data: a\n\nid: 42\ndata: b\n\n"));
        assertThat(recorder.log).containsExactly("event type=message data=a id=41", "event type=message data=b id=42");
        assertThat(parser.lastEventId()).isEqualTo("42");
    }

    @Test
    void heapBufferIsReadFromItsPositionToItsLimitAndConsumed() throws EventStreamLimitException {
        EventParser parser = EventParser.create(recorder);
        ByteBuffer buffer = ByteBuffer.wrap(utf8("xxdata: in\n\nyy"), 2, 10).slice();
        parser.feed(buffer);
        assertThat(buffer.remaining()).isZero();
        assertThat(recorder.log).containsExactly("event type=message data=in id=");
    }

    @Test
    void largeDirectBufferIsCopiedInPieces() throws EventStreamLimitException {
        StringBuilder stream = new StringBuilder();
        for (int i = 0; i < 2_000; i++) {
            stream.append("id: ")
                    .append(i)
                    .append("\ndata: ")
                    .append("x".repeat(i % 50))
                    .append("\n\n");
        }
        byte[] bytes = utf8(stream.toString());
        List<Event> events = new ArrayList<>();
        EventParser parser = EventParser.create(events::add);
        parser.feed(ByteBuffer.allocateDirect(bytes.length).put(bytes).flip());
        assertThat(events).hasSize(2_000);
        assertThat(events.get(1_999).id()).isEqualTo("1999");
        assertThat(events.get(1_999).data()).hasSize(1_999 % 50);
    }

    @Test
    void repeatedEventTypesShareOneStringInstance() throws EventStreamLimitException {
        List<Event> events = new ArrayList<>();
        EventParser parser = EventParser.create(events::add);
        parser.feed(utf8("event: chat\ndata: 1\n\nevent: chat\ndata: 2\n\nevent: other\ndata: 3\n\n"));
        assertThat(events.get(1).type()).isSameAs(events.get(0).type()).isEqualTo("chat");
        assertThat(events.get(2).type()).isEqualTo("other");
    }

    @Test
    void aBufferGrownForLargeEventsIsReusedByTheNextLargeEventAndReleasedAfterASmallOne()
            throws EventStreamLimitException {
        EventParser parser = EventParser.create(recorder);
        String big = "x".repeat(200_000);
        parser.feed(utf8("data: " + big.substring(0, 100_000)));
        parser.feed(utf8(big.substring(100_000) + "\n\n"));
        int grown = parser.retainedBytes();
        assertThat(grown).isGreaterThan(200_000);

        parser.feed(utf8("data: " + big + "\n\n"));
        assertThat(parser.retainedBytes()).isEqualTo(grown);

        parser.feed(utf8("data: small\n\n"));
        assertThat(parser.retainedBytes()).isLessThanOrEqualTo(64 * 1024);
        assertThat(recorder.log).hasSize(3);
    }

    @Test
    void anExceptionFromTheListenerPropagatesAndLeavesTheParserUsable() throws EventStreamLimitException {
        List<String> seen = new ArrayList<>();
        EventParser parser = EventParser.create(event -> {
            seen.add(event.data());
            if (event.data().equals("boom")) {
                throw new IllegalStateException("listener failed");
            }
        });
        assertThatThrownBy(() -> parser.feed(utf8("event: t\ndata: boom\n\n"))).hasMessage("listener failed");
        parser.feed(utf8("data: next\n\n"));
        assertThat(seen).containsExactly("boom", "next");
    }

    @Test
    void feedChecksTheSliceBounds() {
        EventParser parser = EventParser.create(recorder);
        assertThatThrownBy(() -> parser.feed(new byte[4], 3, 2)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void limitsAreAnImmutableValueWithTheDocumentedDefaults() {
        EventParser.Limits defaults = EventParser.Limits.defaults();
        EventParser.Limits small = defaults.withMaxLineLength(64).withMaxEventSize(128);

        assertThat(defaults.maxLineLength()).isEqualTo(1 << 20);
        assertThat(defaults.maxEventSize()).isEqualTo(8 << 20);
        assertThat(small.maxLineLength()).isEqualTo(64);
        assertThat(small.maxEventSize()).isEqualTo(128);
        assertThat(EventParser.Limits.defaults())
                .isEqualTo(defaults)
                .hasToString("Limits{maxLineLength=1048576, maxEventSize=8388608}");
        assertThat(small)
                .isEqualTo(defaults.withMaxEventSize(128).withMaxLineLength(64))
                .hasSameHashCodeAs(defaults.withMaxEventSize(128).withMaxLineLength(64))
                .isNotEqualTo(small.withMaxLineLength(65));
    }

    @Test
    void initialLastEventIdThatNoStreamCouldSetIsRefused() {
        assertThatThrownBy(() -> EventParser.create(EventParser.Limits.defaults(), "1\n2", recorder))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("lastEventId must not contain CR or LF");
        assertThatThrownBy(() -> EventParser.create(EventParser.Limits.defaults(), "1\0", recorder))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("lastEventId must not contain NUL");
    }

    @Test
    void limitsRefuseNonPositiveValuesNamingTheParameter() {
        assertThatThrownBy(() -> EventParser.Limits.defaults().withMaxLineLength(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxLineLength must be positive: 0");
        assertThatThrownBy(() -> EventParser.Limits.defaults().withMaxEventSize(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxEventSize must be positive: -1");
    }

    @Test
    void retryBeyondLongRangeSaturates() throws EventStreamLimitException {
        EventParser parser = EventParser.create(recorder);
        parser.feed(utf8("retry: 99999999999999999999999\n\n"));
        assertThat(recorder.log).containsExactly("retry " + Long.MAX_VALUE);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(UTF_8);
    }
}
