package io.sseline.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.sseline.core.Event;
import java.io.EOFException;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link EventSource#restart()} against a loopback server driven byte by byte: the old connection
 * is closed, the new one goes out at once with the last event id, and the listener hears of no
 * error. The backoff is long, so that a connection that came quickly came from the restart.
 */
class RestartTest {
    private static final Backoff SLOW = Backoff.defaults()
            .withInitialDelay(Duration.ofSeconds(30))
            .withMinDelay(Duration.ofSeconds(30))
            .withMaxDelay(Duration.ofSeconds(60))
            .withJitter(0);

    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final EventSourceRecorder recorder = new EventSourceRecorder();
    private EventSource source;

    @AfterEach
    void stop() {
        if (source != null) {
            source.close();
        }
    }

    private EventSource.Builder builder(RawServer raw) throws Exception {
        return EventSource.builder(raw.uri("/events")).httpClient(client).backoff(SLOW);
    }

    @Test
    void restartFromAnotherThreadReconnectsAtOnceWithTheLastEventIdAndNoError() throws Exception {
        try (RawServer raw = new RawServer()) {
            source = builder(raw).connect(recorder);
            RawServer.Exchange first = raw.accept();
            first.sendStreamHead().write("id: 7\ndata: a\n\n");
            recorder.expectOpen();
            assertThat(recorder.expectEvent()).isEqualTo(Event.of("a").withId("7"));

            long start = System.nanoTime();
            Thread other = new Thread(source::restart, "restarter");
            other.start();
            other.join(TimeUnit.SECONDS.toMillis(10));

            first.awaitClientClose();
            RawServer.Exchange second = raw.accept();
            assertThat(System.nanoTime() - start)
                    .as("the new request came without the 30 s backoff")
                    .isLessThan(TimeUnit.SECONDS.toNanos(5));
            assertThat(second.header("Last-Event-ID")).isEqualTo("7");
            assertThat(source.readyState()).isEqualTo(ReadyState.CONNECTING);
            second.sendStreamHead().write("data: b\n\n");
            recorder.expectOpen(); // no error callback between the two connections
            assertThat(recorder.expectEvent()).isEqualTo(Event.of("b").withId("7"));
            assertThat(source.readyState()).isEqualTo(ReadyState.OPEN);
            recorder.assertNoMoreCallbacks();
            first.close();
            second.close();
        }
    }

    @Test
    void restartInsideACallbackDeliversNoFurtherEventOfTheOldConnection() throws Exception {
        try (RawServer raw = new RawServer()) {
            AtomicReference<EventSource> self = new AtomicReference<>();
            recorder.onEach(callback -> {
                if (callback.kind().equals("event")
                        && ((Event) callback.value()).data().equals("a")) {
                    self.get().restart();
                }
            });
            source = builder(raw).build(recorder);
            self.set(source);
            source.connect();
            RawServer.Exchange first = raw.accept();
            // One write, so that the events after "a" arrive in the chunk that "a" is parsed from.
            first.sendStreamHead().write("id: 1\ndata: a\n\nid: 2\ndata: b\n\nretry: 5\ndata: c\n\n");

            recorder.expectOpen();
            assertThat(recorder.expectData()).isEqualTo("a");
            first.awaitClientClose();
            RawServer.Exchange second = raw.accept();
            assertThat(second.header("Last-Event-ID"))
                    .as("the id of the last event delivered, not of those cut off")
                    .isEqualTo("1");
            second.sendStreamHead().write("data: d\n\n");
            recorder.expectOpen();
            assertThat(recorder.expectEvent()).isEqualTo(Event.of("d").withId("1"));
            recorder.assertNoMoreCallbacks();
            assertThat(source.lastEventId()).isEqualTo("1");
            first.close();
            second.close();
        }
    }

    @Test
    void restartCutsAReconnectionDelayShort() throws Exception {
        try (RawServer raw = new RawServer()) {
            source = builder(raw).connect(recorder);
            RawServer.Exchange first = raw.accept();
            first.sendStreamHead().write("id: 3\ndata: a\n\n");
            recorder.expectOpen();
            recorder.expectData();
            first.close(); // the stream ends; the source waits 30 s
            recorder.expectError(EOFException.class, true);
            raw.assertNoConnection(Duration.ofMillis(200));

            source.restart();

            RawServer.Exchange second = raw.accept();
            assertThat(second.header("Last-Event-ID")).isEqualTo("3");
            second.sendStreamHead();
            recorder.expectOpen();
            raw.assertNoConnection(Duration.ofMillis(200)); // the cancelled delay starts no third one
            recorder.assertNoMoreCallbacks();
            second.close();
        }
    }

    @Test
    void restartsInARowLeaveOneConnection() throws Exception {
        try (RawServer raw = new RawServer()) {
            source = builder(raw).connect(recorder);
            RawServer.Exchange first = raw.accept();
            first.sendStreamHead().write("data: a\n\n");
            recorder.expectOpen();
            recorder.expectData();

            source.restart();
            source.restart();
            source.restart();

            first.awaitClientClose();
            List<RawServer.Exchange> later = new ArrayList<>();
            later.add(raw.accept());
            RawServer.Exchange another; // superseded attempts may or may not have reached the server
            while ((another = raw.acceptWithin(Duration.ofMillis(300))) != null) {
                later.add(another);
            }
            for (RawServer.Exchange exchange : later) {
                try {
                    exchange.sendStreamHead().write("data: b\n\n");
                } catch (IOException aborted) {
                    // a superseded attempt, which the client has closed already
                }
            }
            recorder.expectOpen();
            assertThat(recorder.expectData()).isEqualTo("b");
            recorder.assertNoMoreCallbacks();
            assertThat(later).hasSizeLessThanOrEqualTo(3);
            first.close();
            for (RawServer.Exchange exchange : later) {
                exchange.close();
            }
        }
    }

    @Test
    void restartDoesNothingBeforeConnectAndAfterClose() throws Exception {
        try (RawServer raw = new RawServer()) {
            source = builder(raw).build(recorder);
            source.restart();
            raw.assertNoConnection(Duration.ofMillis(200));
            assertThat(source.readyState()).isEqualTo(ReadyState.CONNECTING);

            source.connect();
            RawServer.Exchange exchange = raw.accept();
            exchange.sendStreamHead();
            recorder.expectOpen();
            source.close();
            source.restart();

            recorder.expectClosed();
            exchange.awaitClientClose();
            raw.assertNoConnection(Duration.ofMillis(200));
            assertThat(source.readyState()).isEqualTo(ReadyState.CLOSED);
            recorder.assertNoMoreCallbacks();
            exchange.close();
        }
    }
}
