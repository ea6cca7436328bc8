package io.sseline.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sseline.core.Event;
import io.sseline.core.EventCodec;
import io.sseline.servlet.ExampleObjects.ChatMessage;
import io.sseline.testing.Container;
import io.sseline.testing.HttpEventClient;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link EventStream#send(Object, EventCodec)} and events made of values, in both containers. */
class TypedSendTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final HttpClient HTTP = HttpEventClient.http11();

    /** Its Javadoc example, too: a value as a message, and a value in an event of another type. */
    @ParameterizedTest
    @EnumSource(Container.class)
    void aValueIsSentAsTheDataOfAMessageEventOrOfAnEventBuiltFromIt(Container container) throws Exception {
        EventCodec<ChatMessage> chatCodec = ChatMessage.CODEC;
        EventCodec<List<String>> rosterCodec = rosterCodec();
        List<String> roster = List.of("ada", "bob");
        RecordingServlet servlet = new RecordingServlet(EventStreamConfig.defaults(), (stream, request) -> {
            assertThat(stream.send(new ChatMessage("ada", "Hello!"), chatCodec)).isTrue();
            stream.send(Event.of(roster, rosterCodec).withType("snapshot"));
        });
        try (Container.Running server = container.start(servlet);
                HttpEventClient client = HttpEventClient.connect(HTTP, server.uri())) {
            assertThat(client.next(2, WAIT))
                    .containsExactly(
                            Event.of("ada\tHello!"), Event.of("ada,bob").withType("snapshot"));
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aValueTheCodecRefusesQueuesNothingAndTheStreamGoesOn(Container container) throws Exception {
        EventCodec<ChatMessage> refusing = EventCodec.of(
                ChatMessage.class,
                m -> {
                    throw new IllegalArgumentException("refused");
                },
                ChatMessage.CODEC::decode);
        RecordingServlet servlet = new RecordingServlet(EventStreamConfig.defaults());
        try (Container.Running server = container.start(servlet);
                HttpEventClient client = HttpEventClient.connect(HTTP, server.uri())) {
            EventStream stream = servlet.awaitOpened(WAIT);

            assertThatThrownBy(() -> stream.send(new ChatMessage("ada", "x"), refusing))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("refused");
            assertThat(stream.queuedBytes()).isZero();
            assertThat(stream.send(new ChatMessage("ada", "next"), ChatMessage.CODEC))
                    .isTrue();

            assertThat(client.next(WAIT)).isEqualTo(Event.of("ada\tnext"));
            assertThat(stream.isOpen()).isTrue();
        }
    }

    @SuppressWarnings("unchecked")
    private static EventCodec<List<String>> rosterCodec() {
        return EventCodec.of(
                (Class<List<String>>) (Class<?>) List.class,
                names -> String.join(",", names),
                data -> List.of(data.split(",")));
    }
}
