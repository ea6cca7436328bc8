package io.sseline.spring.internal;

import java.lang.reflect.Type;
import tools.jackson.core.type.TypeReference;

/** Jackson 3's type token for a type known at run time, rather than captured by a subclass. */
public final class Jackson3Types<T> extends TypeReference<T> {
    private final Type type;

    private Jackson3Types(Type type) {
        this.type = type;
    }

    /** Returns the token of {@code type}. */
    public static <T> TypeReference<T> of(Type type) {
        return new Jackson3Types<>(type);
    }

    @Override
    public Type getType() {
        return type;
    }
}
