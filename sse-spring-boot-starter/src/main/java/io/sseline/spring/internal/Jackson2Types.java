package io.sseline.spring.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import java.lang.reflect.Type;

/** Jackson 2's type token for a type known at run time, rather than captured by a subclass. */
public final class Jackson2Types<T> extends TypeReference<T> {
    private final Type type;

    private Jackson2Types(Type type) {
        this.type = type;
    }

    /** Returns the token of {@code type}. */
    public static <T> TypeReference<T> of(Type type) {
        return new Jackson2Types<>(type);
    }

    @Override
    public Type getType() {
        return type;
    }
}
