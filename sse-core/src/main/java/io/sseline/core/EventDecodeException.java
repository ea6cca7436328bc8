package io.sseline.core;

import java.io.IOException;
import java.lang.reflect.Type;
import org.jspecify.annotations.Nullable;

/**
 * An event whose data an {@link EventCodec} could not decode: data that is not JSON, JSON of
 * another shape, a value the codec refused. It carries the event as it arrived, so that nothing is
 * lost, and names the type and the start of the data:
 *
 * <pre>{@code
 * try {
 *     ChatMessage message = chatCodec.decode(event);
 * } catch (EventDecodeException e) {
 *     quarantine(e.event());   // the raw event, as it arrived
 * }
 * }</pre>
 *
 * <p>An event source reports it to its listener's {@code onError} and goes on with the next event;
 * a stream of decoded values throws it, wrapped in an {@link java.io.UncheckedIOException}.
 *
 * <p>A message reads: {@code cannot decode a "chat" event (id "41") as com.example.ChatMessage:
 * Unrecognized field "txt" ...; data "{\"txt\":\"hi\"}"}. Data longer than 200 characters is
 * cut there, with its length.
 *
 * <p>It is an {@link IOException} because the sender, not the caller, is at fault. Instances are
 * immutable; the event and the type are not serialized with the exception.
 */
public final class EventDecodeException extends IOException {
    private static final long serialVersionUID = 1L;

    /** How much of the data the message shows. */
    private static final int DATA_SHOWN = 200;

    private final transient Event event;
    private final transient Type targetType;

    /** {@code cause} is what the codec threw, or {@code null} if it returned {@code null}. */
    EventDecodeException(Event event, Type targetType, @Nullable Throwable cause) {
        super(message(event, targetType, cause), cause);
        this.event = event;
        this.targetType = targetType;
    }

    /** The event as it arrived, whose data could not be decoded. */
    public Event event() {
        return event;
    }

    /** The type the data was to be decoded as: the codec's {@link EventCodec#type()}. */
    public Type targetType() {
        return targetType;
    }

    private static String message(Event event, Type targetType, @Nullable Throwable cause) {
        StringBuilder m = new StringBuilder("cannot decode a ")
                .append(Event.quote(event.type(), DATA_SHOWN))
                .append(" event");
        if (!event.id().isEmpty()) {
            m.append(" (id ").append(Event.quote(event.id(), DATA_SHOWN)).append(')');
        }
        m.append(" as ").append(targetType.getTypeName()).append(": ");
        if (cause == null) {
            m.append("the codec returned null");
        } else {
            String reason = cause.getMessage();
            // Parsers' messages go on with lines of location and context; the first says what is wrong.
            m.append(
                    reason == null || reason.isBlank()
                            ? cause.getClass().getName()
                            : reason.lines().findFirst().orElse(""));
        }
        return m.append("; data ").append(Event.quote(event.data(), DATA_SHOWN)).toString();
    }
}
