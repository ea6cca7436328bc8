package io.sseline.spring;

import io.sseline.core.EventCodec;
import org.springframework.core.ParameterizedTypeReference;

/**
 * Makes {@link EventCodec}s on the application's JSON mapper: the starter's bean writes values with
 * the Jackson {@code ObjectMapper} Spring Boot configured (Jackson 3 through {@code sse-jackson3};
 * Jackson 2 through {@code sse-jackson} when the application has only a Jackson 2 mapper), so events
 * carry the same JSON as the application's HTTP responses. Inject it and take a codec per type.
 *
 * <pre>{@code
 * EventCodec<ChatMessage> chat = codecs.of(ChatMessage.class);
 * EventCodec<List<ChatMessage>> page = codecs.of(new ParameterizedTypeReference<List<ChatMessage>>() {});
 * hub.publish("room:lobby", new ChatMessage("ada", "Hello!"), chat);
 * }</pre>
 *
 * <p>A codec is made once per type and then reused, so asking for it on every call costs a map
 * look-up. Thread-safe. Declare a bean of this type to use another JSON library; the starter then
 * makes none.
 */
public interface EventCodecs {
    /** Returns the codec of {@code type}, a class that is not generic. */
    <T> EventCodec<T> of(Class<T> type);

    /** Returns the codec of the type {@code type} captures, generic or not. */
    <T> EventCodec<T> of(ParameterizedTypeReference<T> type);
}
