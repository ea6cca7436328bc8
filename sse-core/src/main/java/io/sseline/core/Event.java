package io.sseline.core;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One server-sent event: a type, data, an id and an optional reconnection time. Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * Event event = Event.of("{\"content\":\"Hello!\"}").withType("message").withId("42");
 * byte[] wire = EventSerializer.serialize(event);
 * }</pre>
 *
 * <p>The values follow the WHATWG specification rather than {@code null}: an event without a type
 * has the type {@code "message"}, and an event without an id has the id {@code ""}.
 *
 * <p>An event can only hold values that serialize safely: a type or id with CR or LF, or an id with
 * NUL, is refused with {@link IllegalArgumentException} when the event is built. No event can
 * therefore inject fields or further events into a stream.
 *
 * <p>On a parsed event, {@link #id()} is the stream's last event id at the time of dispatch (which
 * persists from earlier events until the server changes it), and {@link #retry()} is the reconnection
 * time sent in the same block as the event, if any.
 */
public final class Event {
    /** The type of an event that names none, as the specification defines it. */
    public static final String DEFAULT_TYPE = "message";

    private final String type;
    private final String data;
    private final String id;
    /** Milliseconds, or -1 when the event carries no reconnection time. */
    private final long retryMillis;

    Event(String type, String data, String id, long retryMillis) {
        this.type = type;
        this.data = data;
        this.id = id;
        this.retryMillis = retryMillis;
    }

    /**
     * Returns an event of type {@code "message"} with the given data, no id and no retry.
     *
     * @param data the data; may contain any characters, line breaks are sent as several {@code data}
     *     lines
     */
    public static Event of(String data) {
        return new Event(DEFAULT_TYPE, Objects.requireNonNull(data, "data"), "", -1);
    }

    /**
     * Returns an event of type {@code "message"} whose data is {@code value} as {@code codec} encodes
     * it, with no id and no retry: the one place where a value becomes data, so that an event
     * published to many streams is encoded once.
     *
     * <pre>{@code
     * Event event = Event.of(new ChatMessage("ada", "Hello!"), chatCodec).withType("chat");
     * }</pre>
     *
     * @throws RuntimeException whatever {@code codec} throws for a value it cannot encode
     * @throws NullPointerException if {@code codec} returns {@code null}
     */
    public static <T> Event of(T value, EventCodec<? super T> codec) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(codec, "codec");
        String data = codec.encode(value);
        if (data == null) {
            throw new NullPointerException(
                    codec + " encoded a " + value.getClass().getName() + " as null");
        }
        return of(data);
    }

    /**
     * Returns a copy with the given type. An empty type means {@code "message"}.
     *
     * @throws IllegalArgumentException if {@code type} contains CR or LF
     */
    public Event withType(String type) {
        Objects.requireNonNull(type, "type");
        requireNoLineBreak("type", type);
        return new Event(type.isEmpty() ? DEFAULT_TYPE : type, data, id, retryMillis);
    }

    /** Returns a copy with the given data. */
    public Event withData(String data) {
        return new Event(type, Objects.requireNonNull(data, "data"), id, retryMillis);
    }

    /**
     * Returns a copy with the given id. An empty id means the event carries none, and is serialized
     * without an {@code id} field.
     *
     * @throws IllegalArgumentException if {@code id} contains CR, LF or NUL
     */
    public Event withId(String id) {
        return new Event(type, data, checkId(id, "id"), retryMillis);
    }

    /**
     * Returns {@code id} if an event may carry it as its id, for code that holds an id before it
     * makes an event of it (a resume position, an id kept in a log): no CR or LF, which would end
     * the {@code id} field early, and no NUL, for which a receiver ignores the field. An empty id is
     * valid; it means none.
     *
     * <pre>{@code
     * String resumeFrom = Event.checkId(lastEventId, "lastEventId");   // refuses "7\ndata: forged"
     * }</pre>
     *
     * @param name the parameter's name, for the message
     * @throws IllegalArgumentException if {@code id} contains CR, LF or NUL
     */
    public static String checkId(String id, String name) {
        Objects.requireNonNull(id, name);
        requireNoLineBreak(name, id);
        if (id.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(
                    name + " must not contain NUL, a receiver would ignore it: " + quote(id));
        }
        return id;
    }

    /**
     * Returns a copy that tells the receiver to wait {@code retry} before it reconnects.
     *
     * @throws IllegalArgumentException if {@code retry} is negative
     */
    public Event withRetry(Duration retry) {
        Objects.requireNonNull(retry, "retry");
        if (retry.isNegative()) {
            throw new IllegalArgumentException("retry must not be negative: " + retry);
        }
        return new Event(type, data, id, saturatedMillis(retry));
    }

    /** The event type; {@code "message"} unless the event names another. */
    public String type() {
        return type;
    }

    /** The data; lines are joined with LF. */
    public String data() {
        return data;
    }

    /** The id, or {@code ""} when there is none. */
    public String id() {
        return id;
    }

    /** The reconnection time this event carries, if any. */
    public Optional<Duration> retry() {
        return retryMillis < 0 ? Optional.empty() : Optional.of(Duration.ofMillis(retryMillis));
    }

    /** The reconnection time in milliseconds, or -1 when there is none. */
    long retryMillis() {
        return retryMillis;
    }

    @Override
    @SuppressWarnings("exports") // JSpecify is compile-time only; readers of the API need not have it
    public boolean equals(@Nullable Object o) {
        return o instanceof Event other
                && other.retryMillis == retryMillis
                && other.type.equals(type)
                && other.id.equals(id)
                && other.data.equals(data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, data, id, retryMillis);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Event{type=").append(quote(type));
        if (!id.isEmpty()) {
            s.append(", id=").append(quote(id));
        }
        if (retryMillis >= 0) {
            s.append(", retry=").append(retryMillis).append("ms");
        }
        return s.append(", data=").append(quote(data)).append('}').toString();
    }

    private static void requireNoLineBreak(String name, String value) {
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException(
                    name + " must not contain CR or LF, it would end the field early: " + quote(value));
        }
    }

    private static long saturatedMillis(Duration d) {
        try {
            return d.toMillis();
        } catch (ArithmeticException tooLarge) {
            return Long.MAX_VALUE;
        }
    }

    private static String quote(String s) {
        return quote(s, 200);
    }

    /** {@code s} in quotes, escaped, and cut after {@code max} characters; for messages. */
    static String quote(String s, int max) {
        StringBuilder q = new StringBuilder(Math.min(s.length(), max) + 2).append('"');
        int shown = Math.min(s.length(), max);
        for (int i = 0; i < shown; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> q.append("\\n");
                case '\r' -> q.append("\\r");
                case '\0' -> q.append("\\0");
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                default -> q.append(c);
            }
        }
        if (shown < s.length()) {
            q.append("...(").append(s.length()).append(" chars)");
        }
        return q.append('"').toString();
    }
}
