package io.sseline.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code parse(serialize(e))} gives {@code e} back, for generated events with CR, LF, NUL, BOMs,
 * colons, leading spaces and astral characters. The only change the format makes is that every line
 * break in the data comes back as LF.
 */
class RoundTripTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void eachEventComesBackFromAFreshParser(long seed) throws EventStreamLimitException {
        Random random = new Random(seed);
        for (int i = 0; i < 2_000; i++) {
            Event event = RandomEvents.event(random);
            List<Event> parsed = new ArrayList<>();
            EventParser.create(parsed::add).feed(EventSerializer.serialize(event));
            assertThat(parsed).as("seed %d, event %d", seed, i).containsExactly(expected(event, ""));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13, 14})
    void aStreamOfEventsComesBackInRandomChunks(long seed) throws EventStreamLimitException {
        Random random = new Random(seed);
        List<Event> sent = new ArrayList<>();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        for (int i = 0; i < 2_000; i++) {
            Event event = RandomEvents.event(random);
            sent.add(event);
            stream.writeBytes(EventSerializer.serialize(event));
            if (random.nextInt(5) == 0) {
                stream.writeBytes(EventSerializer.serializeComment(RandomEvents.text(random, 4)));
            }
        }
        List<Event> parsed = new ArrayList<>();
        EventParser parser = parseInRandomChunks(stream.toByteArray(), random, parsed);

        // An event without an id keeps the stream's last event id, as the specification says.
        List<Event> expected = new ArrayList<>();
        String lastId = "";
        for (Event event : sent) {
            lastId = event.id().isEmpty() ? lastId : event.id();
            expected.add(expected(event, lastId));
        }
        assertThat(parsed).containsExactlyElementsOf(expected);
        assertThat(parser.lastEventId()).isEqualTo(lastId);
    }

    /**
     * An id-only block moves the parser's last event id and dispatches nothing ("dispatch the event"
     * steps 1 and 2); the events after it carry that id until another id arrives.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {21, 22, 23, 24})
    void idOnlyBlocksSetTheLastEventIdOfTheEventsAfterThemAndDispatchNothing(long seed)
            throws EventStreamLimitException {
        Random random = new Random(seed);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        List<Event> expected = new ArrayList<>();
        String lastId = "";
        for (int i = 0; i < 2_000; i++) {
            if (random.nextInt(3) == 0) {
                lastId = RandomEvents.id(random);
                stream.writeBytes(EventSerializer.serializeId(lastId));
            } else {
                Event event = RandomEvents.event(random);
                stream.writeBytes(EventSerializer.serialize(event));
                lastId = event.id().isEmpty() ? lastId : event.id();
                expected.add(expected(event, lastId));
            }
        }
        List<Event> parsed = new ArrayList<>();
        EventParser parser = parseInRandomChunks(stream.toByteArray(), random, parsed);

        assertThat(parsed).containsExactlyElementsOf(expected);
        assertThat(parser.lastEventId()).isEqualTo(lastId);
    }

    /** Feeds {@code bytes} to a new parser in chunks of 1 to 64 bytes, then ends the stream. */
    private static EventParser parseInRandomChunks(byte[] bytes, Random random, List<Event> parsed)
            throws EventStreamLimitException {
        EventParser parser = EventParser.create(parsed::add);
        for (int at = 0; at < bytes.length; ) {
            int n = Math.min(bytes.length - at, 1 + random.nextInt(64));
            parser.feed(bytes, at, n);
            at += n;
        }
        parser.end();
        return parser;
    }

    private static Event expected(Event sent, String lastId) {
        String data = sent.data().replace("\r\n", "\n").replace('\r', '\n');
        Event expected = Event.of(data).withType(sent.type()).withId(sent.id().isEmpty() ? lastId : sent.id());
        return sent.retry().map(expected::withRetry).orElse(expected);
    }
}
