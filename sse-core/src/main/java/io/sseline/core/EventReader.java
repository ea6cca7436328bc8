package io.sseline.core;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/**
 * Reads events from an {@link InputStream}, blocking: a thin convenience over {@link EventParser}
 * for scripts, tests and streams that are already blocking.
 *
 * <pre>{@code
 * try (EventReader reader = EventReader.create(connection.getInputStream())) {
 *     reader.stream().filter(e -> e.type().equals("chat")).forEach(e -> System.out.println(e.data()));
 * }
 * }</pre>
 *
 * <p>Not thread-safe. Closing the reader closes the input stream.
 */
public final class EventReader implements Closeable {
    private final InputStream in;
    private final EventParser parser;
    private final ArrayDeque<Event> ready = new ArrayDeque<>();
    private final byte[] buffer = new byte[8192];
    private boolean ended;

    private EventReader(InputStream in, EventParser.Limits limits, String lastEventId) {
        this.in = Objects.requireNonNull(in, "in");
        this.parser = EventParser.create(limits, lastEventId, ready::add);
    }

    /** Returns a reader with the parser's {@link EventParser.Limits#defaults() default limits}. */
    public static EventReader create(InputStream in) {
        return new EventReader(in, EventParser.Limits.defaults(), "");
    }

    /**
     * Returns a reader whose parser has the given limits and initial last event id; see {@link
     * EventParser#create(EventParser.Limits, String, EventParser.Listener)}.
     */
    public static EventReader create(InputStream in, EventParser.Limits limits, String lastEventId) {
        return new EventReader(in, limits, lastEventId);
    }

    /**
     * Blocks until the next event is complete, and returns it; returns empty when the stream ends
     * first (an unterminated last event is discarded).
     *
     * @throws EventStreamLimitException if the stream exceeds a limit of the parser
     * @throws IOException if reading fails
     */
    public Optional<Event> next() throws IOException {
        while (ready.isEmpty() && !ended) {
            int n = in.read(buffer);
            if (n < 0) {
                ended = true;
                parser.end();
            } else {
                parser.feed(buffer, 0, n);
            }
        }
        return Optional.ofNullable(ready.poll());
    }

    /** The last event id of the stream so far; see {@link EventParser#lastEventId()}. */
    public String lastEventId() {
        return parser.lastEventId();
    }

    /**
     * Returns the remaining events as a lazy, sequential stream. An {@link IOException} while reading
     * surfaces as {@link UncheckedIOException}. Closing the stream closes this reader.
     */
    public Stream<Event> stream() {
        Iterator<Event> events = new Iterator<>() {
            private @Nullable Event next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    try {
                        next = EventReader.this.next().orElse(null);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return next != null;
            }

            @Override
            public Event next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Event event = Objects.requireNonNull(next);
                next = null;
                return event;
            }
        };
        return StreamSupport.stream(
                        Spliterators.spliteratorUnknownSize(events, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(() -> {
                    try {
                        close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    /** Closes the underlying input stream. */
    @Override
    public void close() throws IOException {
        ended = true;
        in.close();
    }
}
