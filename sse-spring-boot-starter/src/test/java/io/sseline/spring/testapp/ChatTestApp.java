package io.sseline.spring.testapp;

import io.sseline.servlet.CloseReason;
import io.sseline.servlet.EventStream;
import io.sseline.servlet.EventStreams;
import io.sseline.servlet.hub.EventHub;
import io.sseline.servlet.hub.Replay;
import io.sseline.spring.EventCodecs;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * A chat on the starter, as an application writes it: a controller that takes an {@link EventStream}
 * and subscribes it in one line, and one that publishes a posted message. It records what the tests
 * check: each stream's {@code Last-Event-ID}, replay and close reason. Outside the starter's
 * packages, as an application is: its component scan must not find the starter's classes.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class ChatTestApp {
    public record ChatMessage(String from, String text) {}

    /** What the server saw, for the tests to read. */
    public static final class Record {
        public final BlockingQueue<String> lastEventIds = new LinkedBlockingQueue<>();
        public final BlockingQueue<Replay> replays = new LinkedBlockingQueue<>();
        public final BlockingQueue<CloseReason> closes = new LinkedBlockingQueue<>();
        /** Holds requests that resume (carry a Last-Event-ID) until a test opens it; open by default. */
        public volatile CountDownLatch resumeGate = new CountDownLatch(0);
    }

    @Bean
    Record record() {
        return new Record();
    }

    @RestController
    static class ChatController {
        private final EventHub hub;
        private final EventStreams streams;
        private final EventCodecs codecs;
        private final Record record;

        ChatController(EventHub hub, EventStreams streams, EventCodecs codecs, Record record) {
            this.hub = hub;
            this.streams = streams;
            this.codecs = codecs;
            this.record = record;
        }

        /** Given a stream, returns nothing. */
        @GetMapping(path = "/chat", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
        void chat(EventStream stream) throws InterruptedException {
            record.lastEventIds.add(stream.lastEventId());
            if (!stream.lastEventId().isEmpty() && !record.resumeGate.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test did not open the resume gate");
            }
            stream.onClose((s, reason) -> record.closes.add(reason));
            hub.subscribe(stream, List.of("chat")).replay().thenAccept(record.replays::add);
        }

        /** Given a stream, returns it. */
        @GetMapping(path = "/returned", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
        EventStream returned(EventStream stream) {
            stream.send("given and returned");
            return stream;
        }

        /** Opens its own stream and returns it. */
        @GetMapping(path = "/opened", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
        EventStream opened(HttpServletRequest request, HttpServletResponse response) throws IOException {
            EventStream stream = streams.open(request, response);
            stream.send("opened here");
            return stream;
        }

        @PostMapping("/chat")
        String post(@RequestBody ChatMessage message) throws Exception {
            return hub.publish("chat", message, codecs.of(ChatMessage.class))
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
        }
    }
}
