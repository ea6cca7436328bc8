package io.sseline.servlet;

import io.sseline.core.Event;
import io.sseline.core.EventSerializer;
import java.util.Objects;

/**
 * An event already turned into wire bytes, to send the same event to many streams while serializing
 * it once. Immutable and thread-safe: every stream that sends it shares one byte array, which no
 * caller can reach or change.
 *
 * <pre>{@code
 * SerializedEvent price = SerializedEvent.of(Event.of("{\"eur\":1.08}").withType("price"));
 * for (EventStream stream : watchers) {
 *     stream.send(price);
 * }
 * }</pre>
 *
 * <p>The bytes come from {@link EventSerializer} only, so a serialized event is always one complete,
 * well-formed block and cannot inject fields or events into a stream.
 */
public final class SerializedEvent {
    /** Never exposed, never modified after construction. */
    private final byte[] bytes;

    private SerializedEvent(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Serializes {@code event}. */
    public static SerializedEvent of(Event event) {
        return new SerializedEvent(EventSerializer.serialize(event));
    }

    /** Serializes a comment: one {@code :} line per line of {@code text}. Receivers ignore comments. */
    public static SerializedEvent comment(String text) {
        return new SerializedEvent(EventSerializer.serializeComment(Objects.requireNonNull(text, "text")));
    }

    /**
     * Serializes a block that holds an {@code id} field only: a receiver sets its last event id to
     * {@code id} and dispatches no event (WHATWG HTML, "dispatch the event", steps 1 and 2). A server
     * sends it so that a client that reconnects before any event arrived still resumes from a known
     * position. See {@link EventSerializer#serializeId}.
     *
     * @throws IllegalArgumentException if {@code id} is empty or contains CR, LF or NUL
     */
    public static SerializedEvent idOnly(String id) {
        Objects.requireNonNull(id, "id");
        if (id.isEmpty()) {
            throw new IllegalArgumentException(
                    "id must not be empty: an empty id field would reset the receiver's last event id");
        }
        return new SerializedEvent(EventSerializer.serializeId(id));
    }

    /** The size on the wire, in bytes. */
    public int size() {
        return bytes.length;
    }

    /** The wire bytes; callers in this package must not modify them. */
    byte[] bytes() {
        return bytes;
    }

    @Override
    public String toString() {
        return "SerializedEvent{" + bytes.length + " bytes}";
    }
}
