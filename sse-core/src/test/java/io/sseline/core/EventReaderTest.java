package io.sseline.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class EventReaderTest {

    @Test
    void nextReturnsEachEventThenEmptyAtEndDiscardingAnUnterminatedOne() throws IOException {
        try (EventReader reader = EventReader.create(input("id: 1\ndata: a\n\nevent: t\ndata: b\n\ndata: cut"))) {
            assertThat(reader.next()).contains(Event.of("a").withId("1"));
            assertThat(reader.next()).contains(Event.of("b").withType("t").withId("1"));
            assertThat(reader.next()).isEmpty();
            assertThat(reader.next()).isEmpty();
            assertThat(reader.lastEventId()).isEqualTo("1");
        }
    }

    @Test
    void streamIsLazyAndReadsOnlyWhatItNeeds() {
        CountingInput in = new CountingInput("data: 1\n\ndata: 2\n\ndata: 3\n\n".getBytes(UTF_8));
        try (Stream<Event> events = EventReader.create(in).stream()) {
            assertThat(events.limit(1).map(Event::data).collect(Collectors.toList()))
                    .containsExactly("1");
        }
        assertThat(in.reads).isEqualTo(1);
        assertThat(in.closed).isTrue();
    }

    @Test
    void streamGivesAllEventsInOrder() {
        try (Stream<Event> events = EventReader.create(input("data: 1\n\ndata: 2\n\n")).stream()) {
            assertThat(events.map(Event::data)).containsExactly("1", "2");
        }
    }

    @Test
    void limitsApplyAndSurfaceAsUncheckedInAStream() {
        EventParser.Limits limits = EventParser.Limits.defaults().withMaxLineLength(4);
        try (Stream<Event> events = EventReader.create(input("data: long\n\n"), limits, "").stream()) {
            assertThatThrownBy(events::count)
                    .isInstanceOf(UncheckedIOException.class)
                    .hasCauseInstanceOf(EventStreamLimitException.class);
        }
    }

    @Test
    void initialLastEventIdIsTheIdOfEventsUntilTheStreamSetsAnother() throws IOException {
        try (EventReader reader =
                EventReader.create(input("data: a\n\nid: 8\ndata: b\n\n"), EventParser.Limits.defaults(), "7")) {
            assertThat(reader.lastEventId()).isEqualTo("7");
            assertThat(reader.next()).contains(Event.of("a").withId("7"));
            assertThat(reader.next()).contains(Event.of("b").withId("8"));
        }
    }

    @Test
    void readErrorsPropagate() {
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        };
        assertThatThrownBy(() -> EventReader.create(failing).next()).hasMessage("connection reset");
    }

    @Test
    void closeClosesTheInput() throws IOException {
        AtomicBoolean closed = new AtomicBoolean();
        InputStream in = new ByteArrayInputStream(new byte[0]) {
            @Override
            public void close() {
                closed.set(true);
            }
        };
        EventReader.create(in).close();
        assertThat(closed).isTrue();
    }

    private static InputStream input(String s) {
        return new ByteArrayInputStream(s.getBytes(UTF_8));
    }

    /** Hands out at most one event's worth of bytes per read, and counts reads. */
    private static final class CountingInput extends InputStream {
        private final byte[] bytes;
        private int position;
        int reads;
        boolean closed;

        CountingInput(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            reads++;
            if (position == bytes.length) {
                return -1;
            }
            int n = Math.min(9, Math.min(len, bytes.length - position));
            System.arraycopy(bytes, position, b, off, n);
            position += n;
            return n;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
