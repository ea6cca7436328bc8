package io.sseline.benchmarks;

import java.util.Objects;

/**
 * One event as the benchmarks compare it across parsers: the spec's values, with the peers' {@code
 * null} type mapped to {@code "message"} and their {@code null} id to {@code ""}.
 *
 * <pre>{@code
 * ParsedEvent event = ParsedEvent.of(null, "hello", null);   // type "message", id ""
 * }</pre>
 *
 * <p>Immutable. Components are never null.
 */
public record ParsedEvent(String type, String data, String id) {
    /** Validates the components. */
    public ParsedEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(id, "id");
    }

    /** Returns an event, mapping a {@code null} type to {@code "message"} and a {@code null} id to {@code ""}. */
    public static ParsedEvent of(String type, String data, String id) {
        return new ParsedEvent(type == null ? "message" : type, data, id == null ? "" : id);
    }
}
