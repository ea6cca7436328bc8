package io.sseline.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The WHATWG HTML standard, section "Server-sent events", subsections "Parsing an event stream" and
 * "Interpreting an event stream", as a table. Each case names the rule it checks, and every case is
 * fed whole, split in two at every byte position, one byte at a time, and through direct buffers.
 */
class SpecConformanceTest {

    /**
     * @param rule the spec text the case checks
     * @param input the stream's bytes
     * @param lastEventId the parser's last event id after the stream ends
     * @param expected what the listener records, in order (see {@link Recorder})
     */
    record Case(String rule, byte[] input, String lastEventId, List<String> expected) {
        @Override
        public String toString() {
            return rule;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                // Interpreting: "data" field, dispatch.
                c(
                        "data: appends the value and dispatch sends a message event",
                        "data: hello\n\n",
                        "",
                        "event type=message data=hello id="),
                c(
                        "data: several data lines are joined with LF; the last LF is removed",
                        "data: a\ndata: b\ndata: c\n\n",
                        "",
                        "event type=message data=a\\nb\\nc id="),
                c(
                        "data: empty value appends a lone LF, so the event has empty data",
                        "data:\n\n",
                        "",
                        "event type=message data= id="),
                c(
                        "data: a line with no colon is a field name with the empty string as value",
                        "data\n\n",
                        "",
                        "event type=message data= id="),
                c("data: two empty data lines give one LF", "data\ndata\n\n", "", "event type=message data=\\n id="),
                c(
                        "parsing: only one leading space is removed from the value",
                        "data:  two spaces\n\n",
                        "",
                        "event type=message data= two spaces id="),
                c("parsing: no space after the colon is fine", "data:x\n\n", "", "event type=message data=x id="),
                c(
                        "parsing: the value runs to the line end and may hold colons",
                        "data: a:b: c\n\n",
                        "",
                        "event type=message data=a:b: c id="),
                c("parsing: trailing spaces are kept", "data: x  \n\n", "", "event type=message data=x   id="),
                c("parsing: NUL in data is kept", "data: a\0b\n\n", "", "event type=message data=a\\0b id="),

                // "event" field.
                c("event: sets the event type buffer", "event: add\ndata: 1\n\n", "", "event type=add data=1 id="),
                c(
                        "event: the type buffer resets after dispatch",
                        "event: add\ndata: 1\n\ndata: 2\n\n",
                        "",
                        "event type=add data=1 id=",
                        "event type=message data=2 id="),
                c(
                        "event: an empty type buffer means message",
                        "event\ndata: 1\n\n",
                        "",
                        "event type=message data=1 id="),
                c(
                        "event: the last event field in a block wins",
                        "event: a\nevent: b\ndata: 1\n\n",
                        "",
                        "event type=b data=1 id="),
                c("event: a type may follow the data", "data: 1\nevent: late\n\n", "", "event type=late data=1 id="),
                c(
                        "dispatch step 2: empty data buffer resets the type buffer too",
                        "event: a\n\ndata: 1\n\n",
                        "",
                        "event type=message data=1 id="),

                // "id" field and the last event ID.
                c(
                        "id: sets the last event ID buffer, dispatched with the event",
                        "id: 1\ndata: a\n\n",
                        "1",
                        "event type=message data=a id=1"),
                c(
                        "id: the last event ID persists across events",
                        "id: 1\ndata: a\n\ndata: b\n\n",
                        "1",
                        "event type=message data=a id=1",
                        "event type=message data=b id=1"),
                c(
                        "id: an empty value resets the last event ID",
                        "id: 1\ndata: a\n\nid\ndata: b\n\n",
                        "",
                        "event type=message data=a id=1",
                        "event type=message data=b id="),
                c(
                        "id: a value with U+0000 NULL is ignored",
                        "id: 1\ndata: a\n\nid: 2\0x\ndata: b\n\n",
                        "1",
                        "event type=message data=a id=1",
                        "event type=message data=b id=1"),
                c(
                        "id: a value may come after the data it applies to",
                        "data: a\nid: 3\n\n",
                        "3",
                        "event type=message data=a id=3"),
                c(
                        "dispatch step 1: a blank line sets the last event ID even when nothing is dispatched",
                        "id: 5\n\n",
                        "5"),
                c("end of stream: an id without its blank line does not set the last event ID", "id: 5\n", ""),
                c("id: the value keeps its characters after one space", "id:  x y \n\n", " x y "),

                // "retry" field.
                c(
                        "retry: ASCII digits set the reconnection time; no event without data",
                        "retry: 1000\n\n",
                        "",
                        "retry 1000"),
                c(
                        "retry: reported with the event of the same block",
                        "retry: 250\ndata: x\n\n",
                        "",
                        "retry 250",
                        "event type=message data=x id= retry=250"),
                c(
                        "retry: a value with a non-digit is ignored",
                        "retry: 10a\ndata: x\n\n",
                        "",
                        "event type=message data=x id="),
                c("retry: a negative value is ignored", "retry: -1\ndata: x\n\n", "", "event type=message data=x id="),
                c(
                        "retry: a second leading space is not a digit",
                        "retry:  5\ndata: x\n\n",
                        "",
                        "event type=message data=x id="),
                c("retry: an empty value is not an integer and is ignored", "retry\nretry:\n\n", ""),
                c("retry: zero is valid", "retry: 0\n\n", "", "retry 0"),
                c(
                        "retry: the retry belongs to one block only",
                        "retry: 7\n\ndata: x\n\n",
                        "",
                        "retry 7",
                        "event type=message data=x id="),

                // Other lines.
                c(
                        "comment: a line starting with a colon is ignored (reported to onComment)",
                        ": keep-alive\ndata: x\n\n",
                        "",
                        "comment keep-alive",
                        "event type=message data=x id="),
                c("comment: a bare colon", ":\n\n", "", "comment "),
                c("comment: a comment alone does not dispatch", ": hi\n\n", "", "comment hi"),
                c(
                        "field: unknown field names are ignored",
                        "foo: bar\ndata: x\n\n",
                        "",
                        "event type=message data=x id="),
                c("field: names are case-sensitive", "Data: x\nEVENT: y\n\n", ""),
                c("field: a space before the colon is part of the name", "data : x\n\n", ""),
                c("field: a name is matched whole", "datas: x\nidx: 1\nevent2: a\n\n", ""),

                // Line ends.
                c("line ends: CRLF", "event: a\r\ndata: 1\r\n\r\n", "", "event type=a data=1 id="),
                c("line ends: a lone CR", "event: a\rdata: 1\r\r", "", "event type=a data=1 id="),
                c(
                        "line ends: mixed CR, LF and CRLF",
                        "data: 1\rdata: 2\ndata: 3\r\n\r\n",
                        "",
                        "event type=message data=1\\n2\\n3 id="),
                c(
                        "line ends: LF CR is two line ends, so a blank line",
                        "data: 1\n\rdata: 2\n\n",
                        "",
                        "event type=message data=1 id=",
                        "event type=message data=2 id="),
                c(
                        "line ends: CR CR LF is a line end and a blank line",
                        "data: 1\r\r\n",
                        "",
                        "event type=message data=1 id="),
                c("line ends: blank lines without data dispatch nothing", "\n\n\r\n\r\r", ""),

                // End of stream.
                c("end of stream: an unterminated event is not dispatched", "data: x\n", ""),
                c("end of stream: an unterminated line is discarded", "data: x", ""),
                c(
                        "end of stream: a CR at the very end still ends the line",
                        "data: x\n\r",
                        "",
                        "event type=message data=x id="),
                c("empty stream", "", ""),

                // Decoding.
                c("decoding: one leading BOM is stripped", "\uFEFFdata: x\n\n", "", "event type=message data=x id="),
                c(
                        "decoding: only one BOM is stripped; the second is part of the field name",
                        "\uFEFF\uFEFFdata: x\n\n",
                        ""),
                c(
                        "decoding: a BOM that is not at the start is kept",
                        "data: a\n\ndata: \uFEFFb\n\n",
                        "",
                        "event type=message data=a id=",
                        "event type=message data=\\uFEFFb id="),
                c(
                        "decoding: a BOM after the first line is part of the field name",
                        "data: a\n\n\uFEFFdata: b\n\n",
                        "",
                        "event type=message data=a id="),
                c(
                        "decoding: multi-byte UTF-8 in every field",
                        "id: ключ\nevent: 事件\ndata: 😀€\n\n",
                        "ключ",
                        "event type=事件 data=😀€ id=ключ"),
                b(
                        "decoding: a partial BOM is data, decoded as U+FFFD",
                        bytes(0xEF, 0xBB, 'd', 'a', 't', 'a', '\n', '\n'),
                        "",
                        List.of()),
                b(
                        "decoding: a partial BOM at the start of a data line value is U+FFFD",
                        concat(utf8("data: "), bytes(0xEF, 0xBB), utf8("x\n\n")),
                        "",
                        List.of("event type=message data=\\uFFFDx id=")),
                b(
                        "decoding: an invalid byte becomes U+FFFD",
                        concat(utf8("data: a"), bytes(0xFF), utf8("b\n\n")),
                        "",
                        List.of("event type=message data=a\\uFFFDb id=")),
                b(
                        "decoding: a truncated sequence before a line end becomes one U+FFFD",
                        concat(utf8("data: "), bytes(0xE2, 0x82), utf8("\n\n")),
                        "",
                        List.of("event type=message data=\\uFFFD id=")),
                b(
                        "decoding: an encoded surrogate is invalid",
                        concat(utf8("data: "), bytes(0xED, 0xA0, 0x80), utf8("\n\n")),
                        "",
                        List.of("event type=message data=\\uFFFD\\uFFFD\\uFFFD id=")),
                b(
                        "decoding: invalid bytes in an id are replaced, not treated as NUL",
                        concat(utf8("id: "), bytes(0xC0, 0x80), utf8("\ndata: x\n\n")),
                        "\uFFFD\uFFFD",
                        List.of("event type=message data=x id=\\uFFFD\\uFFFD")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void wholeInput(Case c) {
        assertParses(c, c.input.length);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void splitInTwoAtEveryBytePosition(Case c) throws EventStreamLimitException {
        for (int at = 0; at <= c.input.length; at++) {
            Recorder recorder = new Recorder();
            EventParser parser = EventParser.create(recorder);
            parser.feed(c.input, 0, at);
            parser.feed(c.input, at, c.input.length - at);
            parser.end();
            assertThat(recorder.log).as("split at %d", at).containsExactlyElementsOf(c.expected);
            assertThat(parser.lastEventId()).as("split at %d", at).isEqualTo(c.lastEventId);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void oneByteAtATime(Case c) {
        assertParses(c, 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void directBuffersOfThreeBytes(Case c) throws EventStreamLimitException {
        Recorder recorder = new Recorder();
        EventParser parser = EventParser.create(recorder);
        for (int i = 0; i < c.input.length; i += 3) {
            int n = Math.min(3, c.input.length - i);
            ByteBuffer direct = ByteBuffer.allocateDirect(n).put(c.input, i, n).flip();
            parser.feed(direct);
            assertThat(direct.hasRemaining()).isFalse();
        }
        parser.end();
        assertThat(recorder.log).containsExactlyElementsOf(c.expected);
        assertThat(parser.lastEventId()).isEqualTo(c.lastEventId);
    }

    private static void assertParses(Case c, int chunk) {
        Recorder recorder = new Recorder();
        EventParser parser = EventParser.create(recorder);
        try {
            for (int i = 0; i < c.input.length; i += chunk) {
                parser.feed(c.input, i, Math.min(chunk, c.input.length - i));
            }
        } catch (EventStreamLimitException e) {
            throw new AssertionError(e);
        }
        parser.end();
        assertThat(recorder.log).as("chunks of %d", chunk).containsExactlyElementsOf(c.expected);
        assertThat(parser.lastEventId()).as("chunks of %d", chunk).isEqualTo(c.lastEventId);
    }

    private static Case c(String rule, String input, String lastEventId, String... expected) {
        return new Case(rule, utf8(input), lastEventId, List.of(expected));
    }

    private static Case b(String rule, byte[] input, String lastEventId, List<String> expected) {
        return new Case(rule, input, lastEventId, expected);
    }

    static byte[] utf8(String s) {
        return s.getBytes(UTF_8);
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
