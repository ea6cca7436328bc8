package io.sseline.core;

import java.io.IOException;

/**
 * Thrown when an event stream exceeds a size limit of its {@link EventParser}: a line longer than
 * {@link EventParser.Limits#maxLineLength()} or an event's data larger than {@link
 * EventParser.Limits#maxEventSize()}. The limits keep memory bounded whatever a server sends.
 *
 * <pre>{@code
 * try {
 *     parser.feed(chunk);
 * } catch (EventStreamLimitException e) {
 *     log.warn("dropping stream: " + e.getMessage() + " (" + e.limit() + " " + e.maxBytes() + ")");
 * }
 * }</pre>
 *
 * <p>It is an {@link IOException} because the stream, not the caller, is at fault.
 */
public final class EventStreamLimitException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * Which limit a stream exceeded.
     *
     * <pre>{@code
     * try {
     *     parser.feed(chunk);
     * } catch (EventStreamLimitException e) {
     *     boolean eventTooLarge = e.limit() == EventStreamLimitException.Limit.EVENT_SIZE;
     * }
     * }</pre>
     */
    public enum Limit {
        /** The length of one line in bytes, without its line end. */
        LINE_LENGTH,
        /** The size of one event's data in bytes, as UTF-8, including the LFs that join its lines. */
        EVENT_SIZE
    }

    private final Limit limit;
    private final int maxBytes;

    EventStreamLimitException(Limit limit, int maxBytes) {
        super(message(limit, maxBytes));
        this.limit = limit;
        this.maxBytes = maxBytes;
    }

    /** The limit that was exceeded. */
    public Limit limit() {
        return limit;
    }

    /** The value of that limit, in bytes. */
    public int maxBytes() {
        return maxBytes;
    }

    private static String message(Limit limit, int maxBytes) {
        return limit == Limit.LINE_LENGTH
                ? "line exceeds maxLineLength, " + maxBytes
                        + " bytes; raise it with EventParser.Limits#withMaxLineLength"
                : "event data exceeds maxEventSize, " + maxBytes
                        + " bytes; raise it with EventParser.Limits#withMaxEventSize";
    }
}
