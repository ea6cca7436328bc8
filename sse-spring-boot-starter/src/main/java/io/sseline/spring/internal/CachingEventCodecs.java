package io.sseline.spring.internal;

import io.sseline.core.EventCodec;
import io.sseline.spring.EventCodecs;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.springframework.core.ParameterizedTypeReference;

/**
 * {@link EventCodecs} that make each type's codec once, with a function of the type (a Jackson
 * codec on the application's mapper), and keep it.
 */
public final class CachingEventCodecs implements EventCodecs {
    private final String name;
    private final Function<Type, EventCodec<?>> maker;
    private final Map<Type, EventCodec<?>> codecs = new ConcurrentHashMap<>();

    /** {@code maker} returns a codec of exactly the type it is given; {@code name} says what makes it. */
    public CachingEventCodecs(String name, Function<Type, EventCodec<?>> maker) {
        this.name = Objects.requireNonNull(name, "name");
        this.maker = Objects.requireNonNull(maker, "maker");
    }

    @Override
    public <T> EventCodec<T> of(Class<T> type) {
        return codec(Objects.requireNonNull(type, "type"));
    }

    @Override
    public <T> EventCodec<T> of(ParameterizedTypeReference<T> type) {
        return codec(Objects.requireNonNull(type, "type").getType());
    }

    private <T> EventCodec<T> codec(Type type) {
        @SuppressWarnings("unchecked") // the maker returns a codec of exactly this type
        EventCodec<T> codec = (EventCodec<T>) codecs.computeIfAbsent(type, maker);
        return codec;
    }

    @Override
    public String toString() {
        return "EventCodecs{" + name + ", " + codecs.size() + " types}";
    }
}
