package io.sseline.jackson3;

import io.sseline.core.EventCodec;
import java.lang.reflect.Type;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * An {@link EventCodec} that writes values as JSON event data and reads them back, with a Jackson 3
 * ({@code tools.jackson}) {@link ObjectMapper}: the application's own, such as the one Spring Boot 4
 * configures. The same codec as {@code sse-jackson}'s for Jackson 2, under the same name in this
 * module's package.
 *
 * <pre>{@code
 * ObjectMapper mapper = JsonMapper.builder().build();   // or the application's
 * JacksonCodec<ChatMessage> chat = JacksonCodec.of(mapper, ChatMessage.class);
 * JacksonCodec<List<ChatMessage>> page = JacksonCodec.of(mapper, new TypeReference<List<ChatMessage>>() {});
 * Event event = Event.of(new ChatMessage("ada", "Hello!"), chat).withType("chat");
 * }</pre>
 *
 * <p>The codec reads and writes the whole declared type, so generic types (given as a {@link
 * TypeReference}) and polymorphic types ({@code @JsonTypeInfo} and {@code @JsonSubTypes} on a base
 * type, also as elements of a list) keep their type information both ways. One event holds one JSON
 * value: data with anything after the value is refused, whatever the mapper's {@link
 * DeserializationFeature#FAIL_ON_TRAILING_TOKENS}, and so is the JSON {@code null}.
 *
 * <p>Failures: {@link #encode} throws {@link IllegalArgumentException} for a value the mapper cannot
 * write, with Jackson's exception as the cause; {@link #decode(String)} throws Jackson's {@link
 * JacksonException} for data that is not a {@code T}, which {@link
 * EventCodec#decode(io.sseline.core.Event)} and the event sources report as an {@link
 * io.sseline.core.EventDecodeException} that names the type and the start of the data.
 *
 * <p>Immutable and thread-safe, like the mapper and the reader and writer prepared from it once.
 *
 * @param <T> the type of the values
 */
public final class JacksonCodec<T> implements EventCodec<T> {
    private final Type type;
    private final Class<?> rawClass;
    private final ObjectReader reader;
    private final ObjectWriter writer;

    private JacksonCodec(ObjectMapper mapper, JavaType javaType, Type type) {
        this.type = type;
        this.rawClass = javaType.getRawClass();
        this.reader = mapper.readerFor(javaType).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.writer = mapper.writerFor(javaType);
    }

    /** Returns a codec of {@code type}, a class that is not generic, on {@code mapper}. */
    public static <T> JacksonCodec<T> of(ObjectMapper mapper, Class<T> type) {
        Objects.requireNonNull(mapper, "mapper");
        Objects.requireNonNull(type, "type");
        return new JacksonCodec<>(mapper, mapper.constructType(type), type);
    }

    /**
     * Returns a codec of the type that {@code type} captures, generic or not, on {@code mapper}.
     *
     * <pre>{@code
     * JacksonCodec<Map<String, List<Integer>>> scores = JacksonCodec.of(mapper, new TypeReference<>() {});
     * }</pre>
     */
    public static <T> JacksonCodec<T> of(ObjectMapper mapper, TypeReference<T> type) {
        Objects.requireNonNull(mapper, "mapper");
        Objects.requireNonNull(type, "type");
        return new JacksonCodec<>(mapper, mapper.constructType(type.getType()), type.getType());
    }

    @Override
    public Type type() {
        return type;
    }

    /**
     * Returns {@code value} as JSON text.
     *
     * @throws IllegalArgumentException if the mapper cannot write it; the cause is Jackson's exception
     */
    @Override
    public String encode(T value) {
        Objects.requireNonNull(value, "value");
        try {
            return writer.writeValueAsString(value);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(
                    "cannot encode a " + value.getClass().getName() + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Returns the value that the JSON text {@code data} stands for.
     *
     * @throws JacksonException if {@code data} is not JSON, not one JSON value, JSON {@code null}, or
     *     not a {@code T}
     */
    @Override
    public T decode(String data) {
        Objects.requireNonNull(data, "data");
        T value = reader.readValue(data);
        if (value == null) {
            throw MismatchedInputException.from(null, rawClass, "the data is JSON null, not a " + type.getTypeName());
        }
        return value;
    }

    @Override
    public String toString() {
        return "JacksonCodec{" + type.getTypeName() + "}";
    }
}
