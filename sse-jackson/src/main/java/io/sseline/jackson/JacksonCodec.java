package io.sseline.jackson;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.sseline.core.EventCodec;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.util.Objects;

/**
 * An {@link EventCodec} that writes values as JSON event data and reads them back, with a Jackson 2
 * {@link ObjectMapper}: the application's own, with its modules, naming strategy and features.
 *
 * <pre>{@code
 * ObjectMapper mapper = JsonMapper.builder().build();   // or the application's, e.g. Spring Boot's
 * JacksonCodec<ChatMessage> chat = JacksonCodec.of(mapper, ChatMessage.class);
 * JacksonCodec<List<ChatMessage>> page = JacksonCodec.of(mapper, new TypeReference<List<ChatMessage>>() {});
 *
 * hub.publish("room:lobby", Event.of(new ChatMessage("ada", "Hello!"), chat).withType("chat"));
 * source.addEventHandler("chat", chat, (src, message) -> show(message.text()));
 * }</pre>
 *
 * <p>The codec reads and writes the whole declared type, so generic types ({@code
 * List<ChatMessage>}, given as a {@link TypeReference}) and polymorphic types ({@code
 * @JsonTypeInfo} and {@code @JsonSubTypes} on a base type, also as elements of a list) keep their
 * type information both ways. One event holds one JSON value: data with anything after the value
 * ({@code {"a":1}{"a":2}}) is refused, whatever the mapper's {@link
 * DeserializationFeature#FAIL_ON_TRAILING_TOKENS}, and so is the JSON {@code null}.
 *
 * <p>Failures: {@link #encode} throws {@link IllegalArgumentException} for a value the mapper cannot
 * write; {@link #decode(String)} throws {@link UncheckedIOException} whose cause is Jackson's
 * exception for data that is not a {@code T}, which {@link EventCodec#decode(io.sseline.core.Event)}
 * and the event sources report as an {@link io.sseline.core.EventDecodeException} that names the
 * type and the start of the data.
 *
 * <p>Immutable and thread-safe, like the reader and writer it prepares once from the mapper; the
 * mapper must not be reconfigured afterwards, which Jackson forbids anyway once it is in use.
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
        return new JacksonCodec<>(mapper, mapper.constructType(type), type.getType());
    }

    @Override
    public Type type() {
        return type;
    }

    /**
     * Returns {@code value} as JSON text.
     *
     * @throws IllegalArgumentException if the mapper cannot write it (no serializer, a cycle, a
     *     getter that throws); the cause is Jackson's exception
     */
    @Override
    public String encode(T value) {
        Objects.requireNonNull(value, "value");
        try {
            return writer.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "cannot encode a " + value.getClass().getName() + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Returns the value that the JSON text {@code data} stands for.
     *
     * @throws UncheckedIOException if {@code data} is not JSON, not one JSON value, JSON {@code null},
     *     or not a {@code T}; the cause is Jackson's exception
     */
    @Override
    public T decode(String data) {
        Objects.requireNonNull(data, "data");
        T value;
        try {
            value = reader.readValue(data);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e.getOriginalMessage(), e);
        }
        if (value == null) {
            MismatchedInputException isNull =
                    MismatchedInputException.from(null, rawClass, "the data is JSON null, not a " + type.getTypeName());
            throw new UncheckedIOException(isNull.getOriginalMessage(), isNull);
        }
        return value;
    }

    @Override
    public String toString() {
        return "JacksonCodec{" + type.getTypeName() + "}";
    }
}
