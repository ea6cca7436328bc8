package io.sseline.examples.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sseline.examples.web.JsonAnswer;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The chat's one JSON mapper (configured once, then only read, so shared safely), from which the
 * event codecs of {@link ChatMessage} and {@link Presence} are made, and the JSON answers of the
 * HTTP endpoints.
 */
final class ChatJson {
    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private ChatJson() {}

    /** Writes {@code value} as JSON text. */
    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getName() + " as JSON", e);
        }
    }

    /** Answers {@code 400} with {@code {"error": message, "field": field}}. */
    static void sendError(HttpServletResponse response, InvalidMessageException error) throws IOException {
        sendError(response, HttpServletResponse.SC_BAD_REQUEST, error);
    }

    /** Answers {@code status} with {@code {"error": message, "field": field}}. */
    static void sendError(HttpServletResponse response, int status, InvalidMessageException error) throws IOException {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", error.getMessage());
        body.put("field", error.field());
        JsonAnswer.send(response, status, write(body));
    }

    /** Answers {@code 503} with {@code {"error": message}}: the message was not sent. */
    static void sendUnavailable(HttpServletResponse response, ChatLogException error) throws IOException {
        response.setHeader("Retry-After", "1");
        JsonAnswer.send(
                response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, write(Map.of("error", error.getMessage())));
    }
}
