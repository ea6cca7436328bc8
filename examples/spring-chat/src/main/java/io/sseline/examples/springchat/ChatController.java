package io.sseline.examples.springchat;

import static org.springframework.http.MediaType.TEXT_EVENT_STREAM_VALUE;

import io.sseline.servlet.EventStream;
import io.sseline.servlet.hub.EventHub;
import io.sseline.spring.EventCodecs;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The whole chat: every browser holds a stream of the {@code chat} channel, and a posted message is
 * published to it. A browser that reconnects resumes after the last message it saw; a new one first
 * gets the latest messages ({@code sseline.hub.rewind} in application.properties).
 */
@RestController
class ChatController {
    private final EventHub hub;
    private final EventCodecs codecs;

    ChatController(EventHub hub, EventCodecs codecs) {
        this.hub = hub;
        this.codecs = codecs;
    }

    @GetMapping(path = "/chat", produces = TEXT_EVENT_STREAM_VALUE)
    void chat(EventStream stream) {
        hub.subscribe(stream, List.of("chat"));
    }

    @PostMapping("/chat")
    void post(@RequestBody ChatMessage message) {
        hub.publish("chat", message, codecs.of(ChatMessage.class));
    }
}
