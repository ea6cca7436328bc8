package io.sseline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sseline.client.ExampleContext.ChatMessage;
import io.sseline.core.Event;
import io.sseline.core.EventDecodeException;
import java.io.EOFException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Events of a type handed to their handler as values, and the events a codec cannot decode. */
class TypedEventHandlerTest extends MockServerFixture {
    /** What the typed handler saw: the value, and the source's last event id at that moment. */
    record Seen(ChatMessage message, String lastEventId) {}

    private final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();

    TypedEventHandlerTest() {
        super(Duration.ofMillis(200));
    }

    @Test
    void eventsOfTheTypeArriveAsValuesAfterTheListenerSawThemRaw() throws Exception {
        server.enqueue(stream("event: chat\nid: 1\ndata: ada\tHello!\n\n"
                + "event: presence\ndata: ada\tjoined\n\n"
                + "event: chat\ndata: bob\tHi\ndata: all\n\n"));
        source = builder().build(recorder.onEach(c -> {
            if (c.kind().equals("event")) {
                assertThat(seen).as("the typed handler runs after onEvent").hasSizeLessThan(2);
            }
        }));
        source.addEventHandler("chat", ChatMessage.CODEC, this::record);
        source.connect();

        recorder.expectOpen();
        assertThat(recorder.expectEvent())
                .isEqualTo(Event.of("ada\tHello!").withType("chat").withId("1"));
        assertThat(recorder.expectData()).isEqualTo("ada\tjoined");
        assertThat(recorder.expectData()).isEqualTo("bob\tHi\nall");
        recorder.expectError(EOFException.class, true);
        assertThat(takeSeen()).isEqualTo(new Seen(new ChatMessage("ada", "Hello!"), "1"));
        assertThat(takeSeen()).isEqualTo(new Seen(new ChatMessage("bob", "Hi\nall"), "1"));
        assertThat(seen).as("only chat events").isEmpty();
    }

    @Test
    void anEventTheCodecCannotDecodeGoesToOnErrorWithTheRawEventAndTheStreamGoesOn() throws Exception {
        server.enqueue(stream("event: chat\nid: 7\ndata: no tab here\n\nevent: chat\ndata: ada\tstill here\n\n"));
        source = builder().build(recorder);
        source.addEventHandler("chat", ChatMessage.CODEC, this::record);
        source.connect();

        recorder.expectOpen();
        Event raw = recorder.expectEvent();
        EventDecodeException failure = recorder.expectError(EventDecodeException.class, true);
        assertThat(failure.event())
                .isEqualTo(raw)
                .isEqualTo(Event.of("no tab here").withType("chat").withId("7"));
        assertThat(failure.targetType()).isEqualTo(ChatMessage.class);
        assertThat(failure)
                .hasMessage("cannot decode a \"chat\" event (id \"7\") as io.sseline.client.ExampleContext$ChatMessage:"
                        + " no tab between author and text; data \"no tab here\"");
        // The same response goes on (the server had only this one to give):
        assertThat(recorder.expectData()).isEqualTo("ada\tstill here");
        assertThat(takeSeen().message()).isEqualTo(new ChatMessage("ada", "still here"));
        recorder.expectError(EOFException.class, true);
        source.close();
        recorder.expectClosed();
    }

    @Test
    void theHandlerThatAddingReturnsRemovesTheRegistration() throws Exception {
        server.enqueue(stream("event: chat\ndata: ada\tone\n\nevent: chat\ndata: not decoded, not reported\n\n"));
        source = builder().build(recorder);
        EventHandler registered = source.addEventHandler("chat", ChatMessage.CODEC, this::record);
        EventHandler other = source.addEventHandler("chat", ChatMessage.CODEC, (s, m) -> {});
        source.removeEventHandler("chat", registered);
        source.removeEventHandler("chat", other);
        source.connect();

        recorder.expectOpen();
        recorder.expectEvent();
        recorder.expectEvent();
        recorder.expectError(EOFException.class, true);
        assertThat(seen).isEmpty();
    }

    @Test
    void aTypedHandlerThatThrowsDoesNotStopTheNextEvent() throws Exception {
        server.enqueue(stream("event: chat\ndata: ada\tboom\n\nevent: chat\ndata: ada\tafter\n\n"));
        source = builder().build(recorder);
        source.addEventHandler("chat", ChatMessage.CODEC, (s, message) -> {
            if (message.text().equals("boom")) {
                throw new IllegalStateException("handler failed");
            }
            record(s, message);
        });
        source.connect();

        recorder.expectOpen();
        recorder.expectEvent();
        recorder.expectEvent();
        assertThat(takeSeen().message().text()).isEqualTo("after");
        recorder.expectError(EOFException.class, true);
    }

    @Test
    void addingChecksItsArguments() {
        EventSource unconnected = builder().build(recorder);
        assertThatThrownBy(() -> unconnected.addEventHandler("chat", null, (s, m) -> {}))
                .hasMessage("codec");
        assertThatThrownBy(() -> unconnected.addEventHandler("chat", ChatMessage.CODEC, null))
                .hasMessage("handler");
        assertThatThrownBy(() -> unconnected.addEventHandler(null, ChatMessage.CODEC, (s, m) -> {}))
                .hasMessage("type");
    }

    private void record(EventSource source, ChatMessage message) {
        seen.add(new Seen(message, source.lastEventId()));
    }

    private Seen takeSeen() throws InterruptedException {
        Seen s = seen.poll(10, TimeUnit.SECONDS);
        assertThat(s).as("a value within 10 s").isNotNull();
        return s;
    }
}
