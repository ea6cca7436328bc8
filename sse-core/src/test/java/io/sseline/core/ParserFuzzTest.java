package io.sseline.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzzing of the parser with Jazzer. {@code ./mvnw verify} fuzzes for a short while
 * (JAZZER_FUZZ is set for this module's tests); for a longer local run:
 *
 * <pre>
 * JAZZER_MAX_DURATION=30m ./mvnw -pl sse-core test -Dtest=ParserFuzzTest
 * </pre>
 *
 * <p>Seeds and findings live in {@code src/test/resources/io/sseline/core/ParserFuzzTestInputs/}; move a crash file there and
 * every file there is replayed by each later test run as a regression test.
 */
class ParserFuzzTest {
    private static final int MAX_LINE = 256;
    private static final int MAX_EVENT = 1024;

    /**
     * Any bytes in any chunking: the only exception is the documented limit exception, the events are
     * the same as when the bytes arrive whole, no event holds a value that could not have come off the
     * wire, and the parser never holds more memory than its limits allow.
     */
    @FuzzTest(maxDuration = "20s")
    void anyBytesGiveTheSameEventsInAnyChunkingWithinBoundedMemory(FuzzedDataProvider in) {
        int chunk = in.consumeInt(1, 64);
        byte[] stream = in.consumeRemainingAsBytes();
        List<Event> whole = parse(stream, Math.max(1, stream.length));
        List<Event> chunked = parse(stream, chunk);
        assertThat(chunked).isEqualTo(whole);
        for (Event event : whole) {
            assertThat(event.type()).doesNotContain("\n", "\r").isNotEmpty();
            assertThat(event.id()).doesNotContain("\n", "\r", "\0");
            assertThat(event.data()).doesNotContain("\r");
        }
    }

    private static List<Event> parse(byte[] stream, int chunk) {
        List<Event> events = new ArrayList<>();
        EventParser parser = EventParser.create(
                EventParser.Limits.defaults().withMaxLineLength(MAX_LINE).withMaxEventSize(MAX_EVENT), "", events::add);
        try {
            for (int i = 0; i < stream.length; i += chunk) {
                parser.feed(stream, i, Math.min(chunk, stream.length - i));
                // Buffers may round up to 256 bytes; beyond that they never pass the limits.
                assertThat(parser.retainedBytes()).isLessThanOrEqualTo(3 * 256 + MAX_EVENT + MAX_LINE);
            }
        } catch (EventStreamLimitException expected) {
            events.add(Event.of("limit " + expected.limit()));
        }
        parser.end();
        return events;
    }
}
