package io.sseline.examples.chat;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.sseline.jackson.JacksonCodec;
import java.util.Objects;

/**
 * One chat message as every client receives it, the data of an {@code event: message}. {@link
 * #CODEC} writes it as
 *
 * <!-- not compiled: JSON, not Java -->
 * <pre>{@code
 * {"content":"Hello!","timestamp":"2025-05-01 22:00","author":"ada","room":"lobby","id":"3f2a…"}
 * }</pre>
 *
 * <p>{@code id} is unique per message, so that a page that receives a message twice (a replay that
 * overlaps what it showed) can show it once. Immutable; no component is {@code null}.
 *
 * @param content the text, as the sender wrote it
 * @param timestamp when the server accepted it, {@code yyyy-MM-dd HH:mm} in the server's time zone
 * @param author who sent it
 * @param room the room it was sent to
 * @param id a unique id of the message
 */
@JsonPropertyOrder({"content", "timestamp", "author", "room", "id"})
public record ChatMessage(String content, String timestamp, String author, String room, String id) {
    /**
     * Writes and reads a message as the data of an event, with the chat's JSON mapper: the server
     * publishes through it, the console client decodes with it. Data without a component is refused.
     */
    public static final JacksonCodec<ChatMessage> CODEC = JacksonCodec.of(ChatJson.MAPPER, ChatMessage.class);

    /** Checks that no component is {@code null}. */
    public ChatMessage {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(id, "id");
    }
}
