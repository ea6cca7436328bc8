package io.sseline.examples.ssecat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sseline.core.Event;
import io.sseline.examples.terminal.TerminalText;

/**
 * How {@code sse-cat} prints an event.
 *
 * <pre>{@code
 * EventFormat.JSON.format(Event.of("1").withType("ping").withId("1"));
 * // {"type":"ping","data":"1","id":"1"}
 * }</pre>
 */
public enum EventFormat {
    /**
     * For people: a line {@code event: TYPE}, followed by {@code   id: ID} when the stream has a last
     * event id, then the data (its lines joined with LF), then a blank line. Control characters that
     * a terminal would act on (ESC, CR, the other C0 and the C1 controls, bidirectional controls) are
     * shown escaped, as {@link TerminalText} does, so that a feed cannot drive the terminal; the data
     * keeps its line breaks.
     */
    TEXT {
        @Override
        public String format(Event event) {
            return text(
                    TerminalText.escape(event.type()),
                    TerminalText.escape(event.id()),
                    TerminalText.escapeKeepingLines(event.data()));
        }
    },
    /** As {@link #TEXT}, but every character as the feed sent it ({@code --raw}). */
    RAW {
        @Override
        public String format(Event event) {
            return text(event.type(), event.id(), event.data());
        }
    },
    /**
     * For programs: one JSON object on one line with exactly the keys {@code type}, {@code data} and
     * {@code id} (the stream's last event id when the event was dispatched; {@code ""} when none).
     * Line breaks and other control characters inside values are escaped, so one event is one line.
     */
    JSON {
        @Override
        public String format(Event event) {
            ObjectNode object = MAPPER.createObjectNode();
            object.put("type", event.type());
            object.put("data", event.data());
            object.put("id", event.id());
            try {
                return MAPPER.writeValueAsString(object);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("an object of three strings cannot fail to serialize", e);
            }
        }
    };

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private static String text(String type, String id, String data) {
        StringBuilder out = new StringBuilder("event: ").append(type);
        if (!id.isEmpty()) {
            out.append("   id: ").append(id);
        }
        return out.append('\n').append(data).append('\n').toString();
    }

    /** Returns the text to print for {@code event}, without the final line break. */
    public abstract String format(Event event);
}
