package io.sseline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.EOFException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/**
 * The reconnection delay against hostile and failing servers: the floor holds whatever {@code
 * retry:} says, failures and empty responses back off exponentially, and a stream that delivered
 * events reconnects after the server's reconnection time. Rates are measured from the times the
 * server received the requests; nothing here sleeps.
 */
class ReconnectDelayTest extends MockServerFixture {
    /** When each request reached the server (System.nanoTime). */
    private final List<Long> requestTimes = new CopyOnWriteArrayList<>();

    ReconnectDelayTest() {
        super(Duration.ofMillis(20));
    }

    /** Answers every request with {@code response}, noting when it came. */
    private void answerEveryRequestWith(MockResponse response) {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                requestTimes.add(System.nanoTime());
                return response;
            }
        });
    }

    private List<Long> intervalsMillis() {
        List<Long> times = List.copyOf(requestTimes);
        List<Long> intervals = new ArrayList<>();
        for (int i = 1; i < times.size(); i++) {
            intervals.add(TimeUnit.NANOSECONDS.toMillis(times.get(i) - times.get(i - 1)));
        }
        return intervals;
    }

    /**
     * {@code retry: 0} and a body that ends at once, 300 times over: the server may lower the
     * reconnection time to 0, but the floor (5 ms here) still holds, and since no response carries an
     * event, the delays double from the floor up to the cap (20 ms here).
     */
    @Test
    void retryZeroWithImmediateCloseNeverGoesBelowTheFloorAndBacksOff() throws Exception {
        answerEveryRequestWith(stream("retry: 0\n\n"));
        source = builder().backoff(backoff().withMinDelay(Duration.ofMillis(5))).connect(recorder);

        await("300 requests").until(() -> requestTimes.size() >= 300);
        source.close();
        recorder.expectReconnectsUntilClosed();

        List<Long> intervals = intervalsMillis();
        System.out.printf(
                "retry: 0 and an immediate close: %d requests in %d ms, intervals %s ... min %d ms%n",
                requestTimes.size(),
                TimeUnit.NANOSECONDS.toMillis(requestTimes.get(requestTimes.size() - 1) - requestTimes.get(0)),
                intervals.subList(0, 6),
                intervals.stream().mapToLong(Long::longValue).min().orElseThrow());
        assertThat(intervals)
                .as("every interval is at least the floor")
                .allSatisfy(i -> assertThat(i).isGreaterThanOrEqualTo(5));
        assertThat(intervals.subList(0, 4))
                .as("the first delays double from the floor")
                .satisfies(first -> {
                    assertThat(first.get(0)).isGreaterThanOrEqualTo(5);
                    assertThat(first.get(1)).isGreaterThanOrEqualTo(10);
                    assertThat(first.get(2)).isGreaterThanOrEqualTo(20);
                    assertThat(first.get(3)).isGreaterThanOrEqualTo(20);
                });
        assertThat(intervals.subList(3, intervals.size()))
                .as("later delays stay at the cap")
                .allSatisfy(i -> assertThat(i).isGreaterThanOrEqualTo(20));
        long spanMillis = TimeUnit.NANOSECONDS.toMillis(requestTimes.get(299) - requestTimes.get(0));
        assertThat(spanMillis)
                .as("300 requests took at least 296 capped delays")
                .isGreaterThanOrEqualTo(296 * 20);
        assertThat(failures)
                .extracting(f -> f.proposedDelay().orElseThrow())
                .startsWith(Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(20));
    }

    /** With the default floor of one second, {@code retry: 0} cannot bring a request sooner. */
    @Test
    void defaultFloorIsOneSecond() throws Exception {
        answerEveryRequestWith(stream("retry: 0\n\n"));
        source = EventSource.builder(server.url("/events").uri())
                .httpClient(client)
                .connect(recorder);

        await("3 requests").until(() -> requestTimes.size() >= 3);
        source.close();
        recorder.expectReconnectsUntilClosed();

        System.out.printf("retry: 0 with the default floor: intervals %s ms%n", intervalsMillis());
        assertThat(intervalsMillis().subList(0, 2))
                .allSatisfy(i -> assertThat(i).isGreaterThanOrEqualTo(1000));
    }

    /**
     * Spec (processing model): a stream that ends is reestablished after "the event stream's
     * reconnection time". A stream that delivered events and then ended is normal operation, so the
     * delay stays at the server's {@code retry:} (20 ms here) instead of growing; an empty response
     * that follows is the sixth failure in a row (the streams
     * were too short to reset the count) and backs off: 20 ms × 2<sup>5</sup>.
     */
    @Test
    void streamsThatDeliveredEventsReconnectAfterTheRetryTime() throws Exception {
        for (int i = 0; i < 5; i++) {
            server.enqueue(stream("retry: 20\ndata: " + i + "\n\n"));
        }
        server.enqueue(stream(""));
        server.enqueue(status(204));
        source =
                builder().backoff(backoff().withMaxDelay(Duration.ofSeconds(1))).connect(recorder);

        for (int i = 0; i < 5; i++) {
            recorder.expectOpen();
            assertThat(recorder.expectData()).isEqualTo(Integer.toString(i));
            recorder.expectError(EOFException.class, true);
        }
        recorder.expectOpen();
        recorder.expectError(EOFException.class, true);
        recorder.expectClosed();

        assertThat(failures)
                .extracting(f -> f.proposedDelay().orElseThrow())
                .containsExactly(
                        Duration.ofMillis(20),
                        Duration.ofMillis(20),
                        Duration.ofMillis(20),
                        Duration.ofMillis(20),
                        Duration.ofMillis(20),
                        Duration.ofMillis(20 * 32));
    }

    /** A {@code retry: 0} once does not turn off backoff for the failures that follow it. */
    @Test
    void serverErrorsAfterRetryZeroStillBackOff() throws Exception {
        server.enqueue(stream("retry: 0\ndata: a\n\n"));
        for (int i = 0; i < 4; i++) {
            server.enqueue(status(503));
        }
        server.enqueue(status(204));
        source =
                builder().backoff(backoff().withMaxDelay(Duration.ofSeconds(1))).connect(recorder);

        recorder.expectOpen();
        recorder.expectData();
        recorder.expectError(EOFException.class, true);
        for (int i = 0; i < 4; i++) {
            recorder.expectError(UnexpectedResponseException.class, true);
        }
        recorder.expectClosed();

        assertThat(failures)
                .extracting(f -> f.proposedDelay().orElseThrow())
                .containsExactly(
                        Duration.ofMillis(10),
                        Duration.ofMillis(20),
                        Duration.ofMillis(40),
                        Duration.ofMillis(80),
                        Duration.ofMillis(160));
    }
}
