package io.sseline.examples.springchat;

/** One chat message, as JSON on the wire: {@code {"from":"ada","text":"Hello!"}}. */
public record ChatMessage(String from, String text) {
    public ChatMessage {
        if (from == null || from.isBlank() || text == null || text.isBlank()) {
            throw new IllegalArgumentException("a message needs a sender and a text");
        }
    }
}
