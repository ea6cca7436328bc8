package io.sseline.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sseline.core.Event;
import io.sseline.testing.Container;
import io.sseline.testing.HttpEventClient;
import io.sseline.testing.RawClient;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A client that stops reading: its queue stays within the bound, the policy applies to it alone, and
 * the other clients and the sending thread carry on.
 */
class SlowConsumerTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final HttpClient HTTP = HttpEventClient.http11();
    static final int MAX_QUEUED = 32 * 1024;
    static final int EVENT_SIZE = 1024;
    /** Far more than loopback socket buffers and container buffers can absorb. */
    static final int MAX_EVENTS = 40_000;

    record Applied(EventStream stream, SlowConsumerPolicy policy) {}

    @ParameterizedTest
    @EnumSource(Container.class)
    void stalledClientIsDisconnectedWithoutDelayingOthers(Container container) throws Exception {
        Result r = broadcastWithOneStalledClient(container, SlowConsumerPolicy.DISCONNECT);

        assertThat(r.applied).hasSize(1);
        assertThat(r.applied.get(0).stream()).isSameAs(r.stalled);
        assertThat(r.applied.get(0).policy()).isEqualTo(SlowConsumerPolicy.DISCONNECT);
        assertThat(r.slowConsumerCount).isEqualTo(1);
        assertThat(r.stalledCloseReason).isEqualTo(CloseReason.SLOW_CONSUMER);
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void stalledClientLosesEventsUnderDropButStaysOpen(Container container) throws Exception {
        Result r = broadcastWithOneStalledClient(container, SlowConsumerPolicy.DROP);

        assertThat(r.applied).isNotEmpty().allSatisfy(a -> {
            assertThat(a.stream()).isSameAs(r.stalled);
            assertThat(a.policy()).isEqualTo(SlowConsumerPolicy.DROP);
        });
        assertThat(r.slowConsumerCount).isEqualTo(r.applied.size());
        assertThat(r.stalled.droppedCount()).isEqualTo(r.applied.size());
        assertThat(r.stalledOpenAtEnd).isTrue();
    }

    static final class Result {
        final List<Applied> applied = new ArrayList<>();
        EventStream stalled;
        long slowConsumerCount;
        CloseReason stalledCloseReason;
        boolean stalledOpenAtEnd;
    }

    private static Result broadcastWithOneStalledClient(Container container, SlowConsumerPolicy policy)
            throws Exception {
        BlockingQueue<Applied> applied = new LinkedBlockingQueue<>();
        RecordingServlet servlet = new RecordingServlet(EventStreamConfig.builder()
                .heartbeatInterval(Duration.ZERO)
                .maxQueuedBytes(MAX_QUEUED)
                .slowConsumerPolicy(policy)
                .slowConsumerHandler((stream, p) -> applied.add(new Applied(stream, p)))
                .build());
        Result result = new Result();
        List<HttpEventClient> readers = new ArrayList<>();
        try (Container.Running server = container.start(servlet);
                RawClient stalledClient = RawClient.get(server.port(), Container.PATH, Map.of(), 4096)) {
            assertThat(stalledClient.status()).isEqualTo(200);
            result.stalled = servlet.awaitOpened(WAIT);
            List<EventStream> good = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                readers.add(HttpEventClient.connect(HTTP, server.uri()));
                good.add(servlet.awaitOpened(WAIT));
            }
            List<EventStream> all = new ArrayList<>(good);
            all.add(result.stalled);

            // Broadcast until the policy has applied to the stalled client and some events after.
            long slowestSendNanos = 0;
            int sent = 0;
            int afterPolicy = -1;
            String filler = "x".repeat(EVENT_SIZE);
            while (sent < MAX_EVENTS && afterPolicy < 200) {
                Event event = Event.of(sent + " " + filler);
                SerializedEvent bytes = SerializedEvent.of(event);
                for (EventStream stream : all) {
                    long start = System.nanoTime();
                    stream.send(bytes);
                    slowestSendNanos = Math.max(slowestSendNanos, System.nanoTime() - start);
                    assertThat(stream.queuedBytes()).isLessThanOrEqualTo(MAX_QUEUED);
                }
                sent++;
                if (afterPolicy >= 0) {
                    afterPolicy++;
                } else if (!applied.isEmpty()) {
                    afterPolicy = 0;
                }
                if (sent % 16 == 0) {
                    // Pace the sender to the readers that keep up, so that only the stalled one falls behind.
                    await("readers to catch up")
                            .atMost(WAIT)
                            .until(() -> good.stream().allMatch(s -> s.queuedBytes() == 0));
                }
            }
            assertThat(afterPolicy)
                    .as("policy applied within %d events", MAX_EVENTS)
                    .isPositive();
            // A send only queues: even the one that hits the full queue returns at once (microseconds;
            // the bound leaves room for a loaded machine, a blocking send would never return).
            assertThat(Duration.ofNanos(slowestSendNanos)).isLessThan(Duration.ofSeconds(2));

            for (HttpEventClient reader : readers) {
                List<Event> received = reader.next(sent, WAIT);
                for (int i = 0; i < sent; i++) {
                    assertThat(received.get(i).data()).startsWith(i + " ");
                }
            }
            for (EventStream stream : good) {
                assertThat(stream.isOpen()).isTrue();
                assertThat(stream.droppedCount()).isZero();
            }
            applied.drainTo(result.applied);
            result.slowConsumerCount = servlet.eventStreams().slowConsumerCount();
            result.stalledCloseReason = result.stalled.closeReason().orElse(null);
            result.stalledOpenAtEnd = result.stalled.isOpen();
            return result;
        } finally {
            readers.forEach(HttpEventClient::close);
        }
    }
}
