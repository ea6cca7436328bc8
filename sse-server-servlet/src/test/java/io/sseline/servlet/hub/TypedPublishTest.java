package io.sseline.servlet.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sseline.core.Event;
import io.sseline.core.EventCodec;
import io.sseline.servlet.EventStreamConfig;
import io.sseline.servlet.ExampleObjects.ChatMessage;
import io.sseline.servlet.RecordingServlet;
import io.sseline.servlet.internal.InMemoryBackplane;
import io.sseline.testing.Container;
import io.sseline.testing.HttpEventClient;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Values published through a codec: encoded once, whatever the number of subscribers. */
class TypedPublishTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final HttpClient HTTP = HttpEventClient.http11();
    static final int SUBSCRIBERS = 5;

    @ParameterizedTest
    @EnumSource(Container.class)
    void aPublishedValueIsEncodedOnceAndEverySubscriberReceivesItsData(Container container) throws Exception {
        AtomicInteger encoded = new AtomicInteger();
        EventCodec<ChatMessage> counting = EventCodec.of(
                ChatMessage.class,
                m -> {
                    encoded.incrementAndGet();
                    return ChatMessage.CODEC.encode(m);
                },
                ChatMessage.CODEC::decode);
        EventHub hub = hub();
        RecordingServlet servlet = new RecordingServlet(
                EventStreamConfig.defaults(), (stream, request) -> hub.subscribe(stream, List.of("room:lobby")));
        List<HttpEventClient> clients = new ArrayList<>();
        try (hub;
                Container.Running server = container.start(servlet)) {
            for (int i = 0; i < SUBSCRIBERS; i++) {
                clients.add(HttpEventClient.connect(HTTP, server.uri()));
            }
            await("every subscription").atMost(WAIT).until(() -> hub.subscriberCount("room:lobby") == SUBSCRIBERS);

            String first = hub.publish("room:lobby", new ChatMessage("ada", "Hello!"), counting)
                    .toCompletableFuture()
                    .join();
            String second = hub.publish(
                            "room:lobby",
                            Event.of(new ChatMessage("bob", "Hi\nall"), counting)
                                    .withType("chat"))
                    .toCompletableFuture()
                    .join();

            assertThat(encoded)
                    .as("encodings for two events and %d subscribers", SUBSCRIBERS)
                    .hasValue(2);
            for (HttpEventClient client : clients) {
                List<Event> received = client.next(2, WAIT);
                assertThat(received)
                        .containsExactly(
                                Event.of("ada\tHello!").withId(first),
                                Event.of("bob\tHi\nall").withType("chat").withId(second));
                assertThat(counting.decode(received.get(1))).isEqualTo(new ChatMessage("bob", "Hi\nall"));
            }
            assertThat(hub.history("room:lobby", 10).toCompletableFuture().join())
                    .extracting(Event::data)
                    .containsExactly("ada\tHello!", "bob\tHi\nall");
            assertThat(encoded).as("replay and history read what was encoded").hasValue(2);
        } finally {
            clients.forEach(HttpEventClient::close);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aValueTheCodecRefusesIsNeitherPublishedNorDelivered(Container container) throws Exception {
        EventCodec<ChatMessage> refusing = EventCodec.of(
                ChatMessage.class,
                m -> {
                    throw new IllegalArgumentException("no empty text from " + m.author());
                },
                ChatMessage.CODEC::decode);
        EventHub hub = hub();
        RecordingServlet servlet = new RecordingServlet(
                EventStreamConfig.defaults(), (stream, request) -> hub.subscribe(stream, List.of("room:lobby")));
        try (hub;
                Container.Running server = container.start(servlet);
                HttpEventClient client = HttpEventClient.connect(HTTP, server.uri())) {
            await("the subscription").atMost(WAIT).until(() -> hub.subscriberCount("room:lobby") == 1);

            assertThatThrownBy(() -> hub.publish("room:lobby", new ChatMessage("ada", ""), refusing))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("no empty text from ada");
            assertThatThrownBy(() -> hub.publish("", new ChatMessage("ada", "x"), ChatMessage.CODEC))
                    .isInstanceOf(IllegalArgumentException.class);
            String next = hub.publish("room:lobby", new ChatMessage("ada", "after"), ChatMessage.CODEC)
                    .toCompletableFuture()
                    .join();

            assertThat(client.next(WAIT)).isEqualTo(Event.of("ada\tafter").withId(next));
            assertThat(hub.history("room:lobby", 10).toCompletableFuture().join())
                    .singleElement()
                    .extracting(Event::id)
                    .isEqualTo(next);
        }
    }

    private static EventHub hub() {
        return EventHub.builder()
                .backplane(InMemoryBackplane.builder().epoch("t").build())
                .build();
    }
}
