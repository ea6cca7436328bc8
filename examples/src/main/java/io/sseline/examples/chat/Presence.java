package io.sseline.examples.chat;

import io.sseline.jackson.JacksonCodec;
import java.util.Objects;

/**
 * The data of a presence event: {@code event: join} when a user's first connection to a room opens,
 * {@code event: leave} when their last one closes, and {@code event: online} (sent only to a client
 * that just connected) with the room's state at that moment. {@link #CODEC} writes it as
 *
 * <!-- not compiled: JSON, not Java -->
 * <pre>{@code
 * {"user":"ada","room":"lobby","online":3}
 * }</pre>
 *
 * <p>Immutable; no component is {@code null}.
 *
 * @param user the user who joined or left; in an {@code online} event, the user of the connection
 *     it is sent to (the server names users who did not name themselves)
 * @param room the room
 * @param online how many distinct users the room has now
 */
public record Presence(String user, String room, int online) {
    /** Writes and reads presence as the data of an event, with the chat's JSON mapper. */
    public static final JacksonCodec<Presence> CODEC = JacksonCodec.of(ChatJson.MAPPER, Presence.class);

    /** Checks that no component is {@code null} and that {@code online} is not negative. */
    public Presence {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(room, "room");
        if (online < 0) {
            throw new IllegalArgumentException("online must not be negative: " + online);
        }
    }
}
