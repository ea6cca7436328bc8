package io.sseline.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sseline.core.Event;
import io.sseline.testing.Container;
import io.sseline.testing.HttpEventClient;
import io.sseline.testing.RawClient;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The counters of {@link EventStreams}: events and bytes as the container received them, streams
 * ended by reason, and the most bytes a stalled client left queued.
 */
class StreamCountersTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final HttpClient HTTP = HttpEventClient.http11();

    @ParameterizedTest
    @EnumSource(Container.class)
    void eventsAndBytesAreWhatTheClientReceivedAndEveryEndHasItsReason(Container container) throws Exception {
        RecordingServlet servlet = new RecordingServlet(
                EventStreamConfig.builder().heartbeatInterval(Duration.ZERO).build());
        EventStreams streams = servlet.eventStreams();
        try (Container.Running server = container.start(servlet)) {
            HttpEventClient first = HttpEventClient.connect(HTTP, server.uri());
            EventStream stream = servlet.awaitOpened(WAIT);
            long expectedBytes = 0;
            for (int i = 0; i < 5; i++) {
                Event event = Event.of("event " + i + " é").withType("tick");
                expectedBytes += SerializedEvent.of(event).size();
                stream.send(event);
            }
            stream.comment("keep");
            expectedBytes += SerializedEvent.comment("keep").size();
            assertThat(first.next(5, WAIT)).hasSize(5);
            await("the comment").atMost(WAIT).until(() -> first.comments() == 1);

            assertThat(streams.sentCount()).isEqualTo(6);
            assertThat(streams.sentBytes()).isEqualTo(expectedBytes);
            assertThat(streams.peakQueuedBytes()).isPositive().isLessThanOrEqualTo((int) expectedBytes);

            stream.close();
            first.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            await("the close counted").atMost(WAIT).until(() -> streams.closedCount(CloseReason.CLOSED) == 1);

            HttpEventClient second = HttpEventClient.connect(HTTP, server.uri());
            EventStream gone = servlet.awaitOpened(WAIT);
            second.awaitOpen(WAIT);
            second.close();
            // A vanished client is noticed when a write fails.
            await("the client gone").atMost(WAIT).until(() -> !gone.send(Event.of("anyone?")));
            await("the end counted").atMost(WAIT).until(() -> streams.closedCount(CloseReason.CLIENT_GONE) == 1);

            assertThat(streams.sentCount())
                    .as("the first stream's counts outlive it")
                    .isGreaterThanOrEqualTo(6);
            assertThat(streams.openedCount()).isEqualTo(2);
            assertThat(streams.openCount()).isZero();
            assertThat(streams.closedCount(CloseReason.TIMEOUT)).isZero();
            assertThat(streams.closedCount(CloseReason.SLOW_CONSUMER)).isZero();
            assertThat(streams.closedCount(CloseReason.SHUTDOWN)).isZero();
        } finally {
            streams.shutdown();
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void peakQueuedBytesIsWhereTheStalledClientsQueueFilledUp(Container container) throws Exception {
        int maxQueued = 16 * 1024;
        RecordingServlet servlet = new RecordingServlet(EventStreamConfig.builder()
                .heartbeatInterval(Duration.ZERO)
                .maxQueuedBytes(maxQueued)
                .slowConsumerPolicy(SlowConsumerPolicy.DISCONNECT)
                .build());
        EventStreams streams = servlet.eventStreams();
        try (Container.Running server = container.start(servlet);
                RawClient stalled = RawClient.get(server.port(), Container.PATH, Map.of(), 4096)) {
            assertThat(stalled.status()).isEqualTo(200);
            EventStream stream = servlet.awaitOpened(WAIT);
            SerializedEvent event = SerializedEvent.of(Event.of("x".repeat(1000)));
            for (int i = 0; i < 100_000 && stream.send(event); i++) {
                // until the queue is full and the stream is cut
            }
            await("the cut counted").atMost(WAIT).until(() -> streams.closedCount(CloseReason.SLOW_CONSUMER) == 1);

            assertThat(streams.peakQueuedBytes())
                    .isGreaterThan(maxQueued - event.size())
                    .isLessThanOrEqualTo(maxQueued);
            assertThat(streams.slowConsumerCount()).isEqualTo(1);
            assertThat(streams.openCount()).isZero();
        } finally {
            streams.shutdown();
        }
    }
}
