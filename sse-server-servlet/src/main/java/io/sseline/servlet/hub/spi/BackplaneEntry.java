package io.sseline.servlet.hub.spi;

import io.sseline.core.Event;
import java.util.Objects;

/**
 * One event in a {@link Backplane}'s log: the id the backplane assigned, the channel, and the event
 * as published (without an id). Immutable and thread-safe.
 *
 * <pre>{@code
 * BackplaneEntry entry = BackplaneEntry.of("1732521600000-0", "chat", Event.of("hi").withType("message"));
 * }</pre>
 */
public final class BackplaneEntry {
    private final String id;
    private final String channel;
    private final Event event;

    private BackplaneEntry(String id, String channel, Event event) {
        this.id = id;
        this.channel = channel;
        this.event = event;
    }

    /**
     * Returns an entry.
     *
     * @throws IllegalArgumentException if {@code id} is empty or contains CR, LF or NUL (it becomes the
     *     SSE event id), or if {@code event} already carries an id
     */
    public static BackplaneEntry of(String id, String channel, Event event) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(event, "event");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("id must not be empty: it is the position clients resume from");
        }
        Event.checkId(id, "id"); // it becomes the SSE event id
        if (!event.id().isEmpty()) {
            throw new IllegalArgumentException("event must not carry an id, the entry id is its id: " + event);
        }
        return new BackplaneEntry(id, channel, event);
    }

    /** The id the backplane assigned; sent to clients as the event id. */
    public String id() {
        return id;
    }

    /** The channel the event was published to. */
    public String channel() {
        return channel;
    }

    /** The event, without an id. */
    public Event event() {
        return event;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BackplaneEntry other
                && other.id.equals(id)
                && other.channel.equals(channel)
                && other.event.equals(event);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, channel, event);
    }

    @Override
    public String toString() {
        return "BackplaneEntry{id=" + id + ", channel=" + channel + ", " + event + "}";
    }
}
