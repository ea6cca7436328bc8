package io.sseline.servlet.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sseline.core.Event;
import io.sseline.servlet.EventStream;
import io.sseline.servlet.EventStreams;
import io.sseline.servlet.hub.spi.BackplaneHistory;
import io.sseline.servlet.internal.InMemoryBackplane;
import io.sseline.testing.Container;
import io.sseline.testing.Protocol;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An application that subscribes whatever {@link EventStreams#open} returns, without asking whether
 * it opened: a HEAD request's stream never opened, so the hub must neither register it, nor read the
 * history for it, nor run its gap handler, nor count a replay.
 */
class SubscribeUnopenedStreamTest {
    static final Duration WAIT = Duration.ofSeconds(10);

    /** A servlet of the plainest kind: open, then subscribe, with nothing checked in between. */
    static final class SubscribingServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        final transient EventStreams streams = EventStreams.create();
        final transient EventHub hub;
        final transient BlockingQueue<Subscription> subscriptions = new LinkedBlockingQueue<>();
        final transient AtomicInteger gaps = new AtomicInteger();

        SubscribingServlet(EventHub hub) {
            this.hub = hub;
        }

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            EventStream stream = streams.open(request, response);
            subscriptions.add(hub.subscribe(stream, List.of("chat"), (s, lastEventId) -> {
                gaps.incrementAndGet();
                s.send("snapshot");
            }));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("io.sseline.testing.Container#withEveryProtocol")
    void headRequestsStreamGetsACancelledSubscriptionAndNoHistoryRead(Container container, Protocol protocol)
            throws Exception {
        AtomicInteger historyReads = new AtomicInteger();
        EventHub hub = EventHub.builder()
                .backplane(
                        new EventHubTest.DelegatingBackplane(
                                InMemoryBackplane.builder().epoch("t").build()) {
                            @Override
                            public CompletionStage<BackplaneHistory> readAfter(String afterId, Set<String> channels) {
                                historyReads.incrementAndGet();
                                return super.readAfter(afterId, channels);
                            }
                        })
                .build();
        SubscribingServlet servlet = new SubscribingServlet(hub);
        try (Container.Running server = container.start(servlet)) {
            hub.publish("chat", Event.of("before")).toCompletableFuture().join();
            // An id from another epoch: a stream that opened would get the gap handler's snapshot.
            Protocol.Response head = protocol.exchange(
                    server.port(), server.tlsPort(), "HEAD", Container.PATH, Map.of("last-event-id", "old-7"));
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.body()).isEmpty();

            Subscription subscription = servlet.subscriptions.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(subscription).as("the subscription of the HEAD request").isNotNull();
            assertThat(subscription.isActive()).isFalse();
            assertThatThrownBy(() ->
                            subscription.replay().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(CancellationException.class)
                    .hasMessageContaining("cancelled before live delivery began");
            assertThat(historyReads).hasValue(0);
            assertThat(servlet.gaps).hasValue(0);
            assertThat(hub.subscriptionCount()).isZero();
            assertThat(hub.subscriberCount("chat")).isZero();
            for (Replay.Outcome outcome : Replay.Outcome.values()) {
                assertThat(hub.replayCount(outcome)).as("%s", outcome).isZero();
            }
        } finally {
            servlet.streams.shutdown();
            hub.close();
        }
    }
}
