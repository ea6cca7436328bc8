package io.sseline.examples.ssecat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sseline.core.Event;

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
     * event id, then the data as it is (its lines joined with LF), then a blank line.
     */
    TEXT {
        @Override
        public String format(Event event) {
            StringBuilder out = new StringBuilder("event: ").append(event.type());
            if (!event.id().isEmpty()) {
                out.append("   id: ").append(event.id());
            }
            return out.append('\n').append(event.data()).append('\n').toString();
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

    /** Returns the text to print for {@code event}, without the final line break. */
    public abstract String format(Event event);
}
