package io.sseline.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sseline.core.Event;
import io.sseline.core.EventCodec;
import io.sseline.servlet.ExampleObjects.ChatMessage;
import io.sseline.servlet.FeedTest.EventReader;
import io.sseline.testing.Container;
import io.sseline.testing.HttpEventClient;
import io.sseline.testing.RawClient;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;

/**
 * {@link EventStream#feed(Flow.Publisher, EventCodec, FeedOptions)}: a stream fed from a Reactor
 * publisher of values, in Jetty 12 and Tomcat 11. Each value arrives as the codec encodes it, one is
 * requested at a time and only below the low-water mark, and a value the codec refuses ends the feed
 * as a failed publisher does.
 */
class CodecFeedTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final HttpClient HTTP = HttpEventClient.http11();
    static final int MAX_QUEUED = 32 * 1024;
    static final int MARK = 8 * 1024;
    static final String FILLER = "f".repeat(1000);

    private static EventStreamConfig config() {
        return EventStreamConfig.builder()
                .heartbeatInterval(Duration.ZERO)
                .maxQueuedBytes(MAX_QUEUED)
                .build();
    }

    private static <T> Flow.Publisher<T> flow(Flux<T> flux) {
        return JdkFlowAdapter.publisherToFlowPublisher(flux);
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void valuesArriveAsTheCodecEncodesThemOneRequestAtATimeThenTheFinalEvent(Container container) throws Exception {
        List<Long> requests = new CopyOnWriteArrayList<>();
        Flux<ChatMessage> replies = Flux.range(0, 100)
                .map(i -> new ChatMessage("bot", "token " + i))
                .doOnRequest(requests::add);
        RecordingServlet servlet = new RecordingServlet(
                config(),
                (stream, request) -> stream.feed(
                        flow(replies), ChatMessage.CODEC, FeedOptions.defaults().withFinalEvent(Event.of("[DONE]"))));
        try (Container.Running server = container.start(servlet);
                HttpEventClient client = HttpEventClient.connect(HTTP, server.uri())) {
            List<Event> events = client.next(101, WAIT);

            for (int i = 0; i < 100; i++) {
                assertThat(events.get(i)).isEqualTo(Event.of("bot\ttoken " + i));
            }
            assertThat(events.get(100).data()).isEqualTo("[DONE]");
            assertThat(servlet.awaitClosed(WAIT).reason()).isEqualTo(CloseReason.CLOSED);
            assertThat(requests).hasSizeGreaterThanOrEqualTo(100).containsOnly(1L);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aClientThatStopsReadingHoldsThePublisherAtTheLowWaterMark(Container container) throws Exception {
        AtomicLong generated = new AtomicLong();
        AtomicBoolean cancelled = new AtomicBoolean();
        Flux<ChatMessage> endless = Flux.<ChatMessage, Long>generate(() -> 0L, (i, sink) -> {
                    sink.next(new ChatMessage("bot", i + " " + FILLER));
                    generated.incrementAndGet();
                    return i + 1;
                })
                .doOnCancel(() -> cancelled.set(true));
        RecordingServlet servlet = new RecordingServlet(
                config(),
                (stream, request) -> stream.feed(
                        flow(endless), ChatMessage.CODEC, FeedOptions.defaults().withLowWaterMark(MARK)));
        try (Container.Running server = container.start(servlet);
                RawClient stalled = RawClient.get(server.port(), Container.PATH, Map.of(), 4096)) {
            EventStream stream = servlet.awaitOpened(WAIT);

            long held = FeedTest.awaitSteady(generated);

            // The feed asks for a value only below the mark, so the queue stops between the mark and
            // the mark plus one event; without the mark it would fill to its bound and meet the policy.
            int eventBytes = ("data: bot\t" + held + " " + FILLER + "\n\n").length();
            assertThat(stream.queuedBytes()).isBetween(MARK, MARK + eventBytes);
            assertThat(held * eventBytes).isLessThan(8L << 20);
            assertThat(stream.isOpen()).isTrue();
            assertThat(servlet.eventStreams().slowConsumerCount()).isZero();

            EventReader reader = new EventReader(stalled.body());
            for (int i = 0; i < held + 100; i++) {
                assertThat(reader.next().data()).isEqualTo("bot\t" + i + " " + FILLER);
            }
            stalled.abort();
            assertThat(servlet.awaitClosed(WAIT).reason()).isEqualTo(CloseReason.CLIENT_GONE);
            await("the subscription cancelled").atMost(WAIT).until(cancelled::get);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aValueTheCodecRefusesCancelsThePublisherAndEndsWithTheErrorEvent(Container container) throws Exception {
        AtomicBoolean cancelled = new AtomicBoolean();
        EventCodec<ChatMessage> refusesEmpty = EventCodec.of(
                ChatMessage.class,
                m -> {
                    if (m.text().isEmpty()) {
                        throw new IllegalArgumentException("an empty message");
                    }
                    return ChatMessage.CODEC.encode(m);
                },
                ChatMessage.CODEC::decode);
        Flux<ChatMessage> replies = Flux.range(0, 1000)
                .map(i -> new ChatMessage("bot", i == 3 ? "" : "token " + i))
                .doOnCancel(() -> cancelled.set(true));
        FeedOptions options = FeedOptions.defaults()
                .withFinalEvent(Event.of("[DONE]"))
                .withErrorEvent(error -> Event.of(error.getMessage()).withType("error"));
        RecordingServlet servlet =
                new RecordingServlet(config(), (stream, request) -> stream.feed(flow(replies), refusesEmpty, options));
        try (Container.Running server = container.start(servlet);
                HttpEventClient client = HttpEventClient.connect(HTTP, server.uri())) {
            List<Event> events = client.next(4, WAIT);

            assertThat(events)
                    .containsExactly(
                            Event.of("bot\ttoken 0"),
                            Event.of("bot\ttoken 1"),
                            Event.of("bot\ttoken 2"),
                            Event.of("an empty message").withType("error"));
            assertThat(servlet.awaitClosed(WAIT).reason()).isEqualTo(CloseReason.CLOSED);
            assertThat(cancelled).isTrue();
        }
    }
}
