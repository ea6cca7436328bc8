package io.sseline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sseline.core.Event;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link EventSource#stream()}: events across reconnections, retried errors seen by the listener
 * only, the error that closes the source thrown from the stream, and demand that reaches the socket.
 */
class PullViewTest extends MockServerFixture {
    PullViewTest() {
        super(Duration.ofMillis(50));
    }

    @Test
    void streamGoesOnAcrossReconnectionsAndRetriedErrorsReachOnlyTheListener() throws Exception {
        server.enqueue(stream("id: 1\ndata: a\n\n"));
        server.enqueue(status(503));
        server.enqueue(stream("data: b\n\n"));
        server.enqueue(status(204)); // the server ends it: the stream ends normally
        source = builder().build(recorder);

        try (Stream<Event> events = source.stream()) {
            assertThat(events.map(Event::data)).containsExactly("a", "b");
        }

        recorder.expectOpen();
        recorder.expectData();
        recorder.expectError(EOFException.class, true);
        assertThat(recorder.expectError(UnexpectedResponseException.class, true).statusCode())
                .isEqualTo(503);
        recorder.expectOpen();
        recorder.expectData();
        recorder.expectError(EOFException.class, true);
        recorder.expectClosed();
        recorder.assertNoMoreCallbacks();
        assertThat(takeRequest().getHeaders().get("Last-Event-ID")).isNull();
        assertThat(takeRequest().getHeaders().get("Last-Event-ID")).isEqualTo("1");
    }

    @Test
    void theErrorThatClosesTheSourceEndsTheStream() throws Exception {
        server.enqueue(stream("data: a\n\n"));
        server.enqueue(status(404));
        source = builder().build();

        try (Stream<Event> events = source.stream()) {
            Iterator<Event> it = events.iterator();
            assertThat(it.next().data()).isEqualTo("a");
            assertThatThrownBy(it::hasNext)
                    .isInstanceOf(UncheckedIOException.class)
                    .cause()
                    .isInstanceOfSatisfying(
                            UnexpectedResponseException.class,
                            e -> assertThat(e.statusCode()).isEqualTo(404));
        }
        assertThat(source.readyState()).isEqualTo(ReadyState.CLOSED);
    }

    /** A close from the listener ends the stream normally; the event being dispatched goes no further. */
    @Test
    void closeOfTheSourceEndsTheStreamNormally() throws Exception {
        server.enqueue(stream("data: a\n\n"));
        server.enqueue(stream("data: b\n\n"));
        recorder.onEach(callback -> {
            if (callback.kind().equals("event")
                    && ((Event) callback.value()).data().equals("b")) {
                source.close();
            }
        });
        source = builder().build(recorder);

        try (Stream<Event> events = source.stream()) {
            assertThat(events.map(Event::data).toList()).containsExactly("a");
        }

        recorder.expectOpen();
        assertThat(recorder.expectData()).isEqualTo("a");
        recorder.expectError(EOFException.class, true);
        recorder.expectOpen();
        assertThat(recorder.expectData())
                .as("the listener closed the source here")
                .isEqualTo("b");
        recorder.expectClosed();
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void aStreamOfAClosedSourceEndsAtOnce() {
        source = builder().build();
        source.close();

        try (Stream<Event> events = source.stream()) {
            assertThat(events).isEmpty();
        }
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void oneViewPerSource() {
        source = builder().build();
        Stream<Event> first = source.stream();

        assertThatThrownBy(source::stream)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already has a subscriber");
        first.close();
        assertThat(source.readyState()).isEqualTo(ReadyState.CLOSED);
    }

    @Test
    void closingTheStreamClosesTheSourceAndItsConnection() throws Exception {
        try (RawServer raw = new RawServer()) {
            source = EventSource.builder(raw.uri("/events"))
                    .httpClient(client)
                    .backoff(backoff())
                    .build(recorder);
            Stream<Event> events = source.stream();
            RawServer.Exchange exchange = raw.accept();
            exchange.sendStreamHead().write("data: 1\n\ndata: 2\n\n");

            assertThat(events.iterator().next().data()).isEqualTo("1");
            recorder.expectOpen();
            assertThat(recorder.expectData()).isEqualTo("1");
            assertThat(recorder.expectData()).as("read with 1, in one chunk").isEqualTo("2");
            events.close(); // with 2 not taken

            recorder.expectClosed();
            exchange.awaitClientClose();
            assertThat(source.readyState()).isEqualTo(ReadyState.CLOSED);
            raw.assertNoConnection(Duration.ofMillis(100));
            exchange.close();
        }
    }

    /**
     * A consumer that stops pulling stops the socket: with no thread blocked in a listener, the
     * server's writes stall once the socket buffers are full, and go on when the consumer pulls.
     */
    @Test
    void aConsumerThatStopsPullingStallsTheServersWrites() throws Exception {
        try (RawServer raw = new RawServer()) {
            source = EventSource.builder(raw.uri("/events")).httpClient(client).build(recorder);
            Iterator<Event> events = source.stream().iterator();
            RawServer.Exchange exchange = raw.accept();
            exchange.sendStreamHead();
            String payload = "y".repeat(16 * 1024);
            RawServer.Exchange.Stall stall = exchange.writeEventsUntilStalled(payload);
            int written = stall.written();

            assertThat((long) written * payload.length()).isLessThan(32L * 1024 * 1024);
            assertThat(source.readyState()).isEqualTo(ReadyState.OPEN);
            // The part of the last event that the client did not take yet.
            ByteBuffer pending = stall.pending();
            byte[] rest = Arrays.copyOfRange(pending.array(), pending.position(), pending.limit());
            CompletableFuture<Void> restWritten = CompletableFuture.runAsync(() -> {
                try {
                    exchange.write(rest); // blocks until the consumer has pulled enough
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            for (int i = 0; i < written; i++) {
                Event event = events.next();
                assertThat(event.id()).isEqualTo(Integer.toString(i));
                assertThat(event.data()).as("data of event %d", i).isEqualTo(payload);
            }
            restWritten.get(10, TimeUnit.SECONDS);

            recorder.expectOpen();
            for (int i = 0; i < written; i++) {
                Event event = recorder.expectEvent();
                assertThat(event.id()).isEqualTo(Integer.toString(i));
                assertThat(event.data()).as("data of event %d", i).isEqualTo(payload);
            }
            source.close();
            recorder.expectClosed();
            exchange.close();
        }
    }

    @Test
    void theListenerStillSeesEveryEvent() throws Exception {
        server.enqueue(stream("data: a\n\ndata: b\n\ndata: c\n\n"));
        server.enqueue(status(204)); // the server ends it: the stream ends normally
        source = builder().build(recorder);

        try (Stream<Event> events = source.stream()) {
            Iterator<Event> it = events.iterator();
            assertThat(it.next().data()).isEqualTo("a");
            recorder.expectOpen();
            List<String> seen = List.of(recorder.expectData(), recorder.expectData(), recorder.expectData());
            assertThat(seen).as("one chunk is parsed at once").containsExactly("a", "b", "c");
            assertThat(it.next().data()).isEqualTo("b");
            assertThat(it.next().data()).isEqualTo("c");
            assertThat(it.hasNext()).isFalse();
        }
        recorder.expectError(EOFException.class, true);
        recorder.expectClosed();
    }
}
