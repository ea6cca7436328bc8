package io.sseline.examples.chat;

import java.util.Objects;

/**
 * A request to {@code POST /messages} that the server refuses with {@code 400}: a body that is not a
 * JSON object, an unknown field, an empty or oversized message, a malformed name or room. The
 * server answers with its {@link #field()} and message as JSON:
 *
 * <!-- not compiled: JSON, not Java -->
 * <pre>{@code
 * {"error":"content must not be empty","field":"content"}
 * }</pre>
 *
 * <p>Checked, because a client's mistake is an expected outcome of parsing a request. Immutable.
 */
public final class InvalidMessageException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String field;

    /**
     * Creates an exception.
     *
     * @param field the JSON field at fault, or {@code ""} when the body as a whole is
     * @param message what is wrong and how to fix it
     */
    public InvalidMessageException(String field, String message) {
        super(Objects.requireNonNull(message, "message"));
        this.field = Objects.requireNonNull(field, "field");
    }

    /** The JSON field at fault, or {@code ""} when the body as a whole is. */
    public String field() {
        return field;
    }
}
