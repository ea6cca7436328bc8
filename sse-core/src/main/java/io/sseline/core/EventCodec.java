package io.sseline.core;

import java.lang.reflect.Type;
import java.util.Objects;
import java.util.function.Function;

/**
 * Turns values of one Java type into event data and back, so that applications publish and receive
 * objects rather than strings. The modules take one wherever events are handled: a hub publishes a
 * value to a channel, a stream sends one, an event source hands each event of a type to its handler
 * as a value, and a body handler reads a response as a stream of values. {@code sse-jackson} and
 * {@code sse-jackson3} make codecs on a Jackson 2 or 3 {@code ObjectMapper}; {@link #of} makes one
 * from two functions.
 *
 * <pre>{@code
 * EventCodec<Instant> instants = EventCodec.of(Instant.class, Instant::toString, Instant::parse);
 * Event tick = Event.of(Instant.now(), instants).withType("tick");   // encoded once, here
 * Instant sent = instants.decode(tick);                                // EventDecodeException if it is none
 * }</pre>
 *
 * <p><b>What a codec promises.</b> {@link #encode} returns the data for a value, or throws an
 * unchecked exception (an {@link IllegalArgumentException} by preference) for a value it cannot
 * encode: the caller's mistake. Line breaks are allowed; the data then travels as several {@code
 * data:} lines and comes back with each line break as LF, so a codec whose output holds CR gets LF
 * back. {@link #decode(String)} returns the value, never {@code null}, or throws an unchecked
 * exception for data that is not a {@code T}: the sender's mistake, which {@link #decode(Event)}
 * reports as an {@link EventDecodeException} naming the event and {@link #type()}. A codec is
 * immutable and thread-safe: one serves every stream at once.
 *
 * @param <T> the type of the values
 */
public interface EventCodec<T> {
    /**
     * The Java type of the values, as exact as the codec knows it ({@code List<ChatMessage>} rather
     * than {@code List}); {@link EventDecodeException} names it.
     */
    Type type();

    /**
     * Returns the event data that stands for {@code value}.
     *
     * @throws RuntimeException if {@code value} cannot be encoded
     */
    String encode(T value);

    /**
     * Returns the value that {@code data} stands for; never {@code null}.
     *
     * @throws RuntimeException if {@code data} does not stand for a {@code T}
     */
    T decode(String data);

    /**
     * Returns the value that {@code event}'s data stands for, reporting data that does not stand for
     * a {@code T} with the event it came in.
     *
     * @throws EventDecodeException if {@link #decode(String)} threw or returned {@code null}; it
     *     carries {@code event}, and its cause is what the codec threw
     */
    default T decode(Event event) throws EventDecodeException {
        Objects.requireNonNull(event, "event");
        T value;
        try {
            value = decode(event.data());
        } catch (RuntimeException e) {
            throw new EventDecodeException(event, type(), e);
        }
        if (value == null) {
            throw new EventDecodeException(event, type(), null);
        }
        return value;
    }

    /**
     * Returns a codec of {@code type} made of two functions.
     *
     * <pre>{@code
     * EventCodec<UUID> ids = EventCodec.of(UUID.class, UUID::toString, UUID::fromString);
     * }</pre>
     *
     * @param encoder returns the data for a value; see {@link #encode}
     * @param decoder returns the value for data, never {@code null}; see {@link #decode(String)}
     */
    static <T> EventCodec<T> of(
            Class<T> type, Function<? super T, String> encoder, Function<String, ? extends T> decoder) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(encoder, "encoder");
        Objects.requireNonNull(decoder, "decoder");
        return new EventCodec<>() {
            @Override
            public Type type() {
                return type;
            }

            @Override
            public String encode(T value) {
                return encoder.apply(Objects.requireNonNull(value, "value"));
            }

            @Override
            public T decode(String data) {
                return decoder.apply(Objects.requireNonNull(data, "data"));
            }

            @Override
            public String toString() {
                return "EventCodec{" + type.getTypeName() + "}";
            }
        };
    }
}
