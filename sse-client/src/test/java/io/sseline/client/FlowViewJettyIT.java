package io.sseline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sseline.core.Event;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.eclipse.jetty.util.FutureCallback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.BaseSubscriber;

/**
 * The pull and Flow views against real Jetty over HTTP/1.1 and cleartext HTTP/2: demand reaches
 * the socket (TCP, or the HTTP/2 stream's flow-control window), a view reconnects underneath, and
 * cancelling or closing it ends the exchange on the server.
 */
class FlowViewJettyIT {
    private static final Backoff FAST = Backoff.defaults()
            .withInitialDelay(Duration.ofMillis(10))
            .withMinDelay(Duration.ofMillis(10))
            .withMaxDelay(Duration.ofMillis(100))
            .withJitter(0);
    /** 64 KiB events; the JDK client's HTTP/2 stream window is 16 MiB, so 512 of them go past it. */
    private static final String PAYLOAD = "p".repeat(64 * 1024);

    private JettyServer jetty;

    @BeforeEach
    void start() throws Exception {
        jetty = new JettyServer(16);
    }

    @AfterEach
    void stop() throws Exception {
        jetty.close();
    }

    private EventSource source(HttpClient.Version version) {
        return EventSource.builder(jetty.uri("/events"))
                .httpClient(HttpClient.newBuilder().version(version).build())
                .backoff(FAST)
                .build();
    }

    /** Writes events until one write does not complete within half a second; returns how many were written. */
    private static int writeUntilStalled(JettyServer.Exchange exchange, FutureCallback[] stalled) throws Exception {
        for (int i = 0; i < 1024; i++) { // 64 MiB at most
            FutureCallback write = exchange.writeAsync("id: " + i + "\ndata: " + PAYLOAD + "\n\n");
            if (!JettyServer.Exchange.completesWithin(write, Duration.ofMillis(500))) {
                stalled[0] = write;
                return i + 1;
            }
        }
        return 1024;
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void subscriberDemandReachesTheServer(HttpClient.Version version) throws Exception {
        EventSource source = source(version);
        List<String> ids = new CopyOnWriteArrayList<>();
        BaseSubscriber<Event> subscriber = new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
                subscription.request(1);
            }

            @Override
            protected void hookOnNext(Event event) {
                ids.add(event.id());
            }
        };
        JdkFlowAdapter.flowPublisherToFlux(source.publisher()).subscribe(subscriber);
        JettyServer.Exchange exchange = jetty.accept();
        exchange.streamHead();

        FutureCallback[] stalled = new FutureCallback[1];
        int written = writeUntilStalled(exchange, stalled);

        assertThat(stalled[0])
                .as("a write stalled while the subscriber requested nothing")
                .isNotNull();
        assertThat((long) written * PAYLOAD.length())
                .as("bytes written before the stall")
                .isLessThan(48L << 20);
        assertThat(ids).containsExactly("0");

        subscriber.request(Long.MAX_VALUE);
        stalled[0].get(10, java.util.concurrent.TimeUnit.SECONDS);
        await("every event delivered").until(() -> ids.size() == written);
        assertThat(ids.get(written - 1)).isEqualTo(Integer.toString(written - 1));

        subscriber.cancel();
        exchange.awaitClientClose();
        assertThat(source.readyState()).isEqualTo(ReadyState.CLOSED);
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void pullViewReconnectsUnderneathAndItsCloseEndsTheExchange(HttpClient.Version version) throws Exception {
        EventSource source = source(version);
        Stream<Event> events = source.stream();
        try {
            Iterator<Event> it = events.iterator();
            JettyServer.Exchange first = jetty.accept();
            first.streamHead().write("id: 1\ndata: a\n\n");
            assertThat(it.next()).isEqualTo(Event.of("a").withId("1"));
            first.end();

            JettyServer.Exchange second = jetty.accept();
            assertThat(second.header("Last-Event-ID")).isEqualTo("1");
            second.streamHead().write("data: b\n\n");
            assertThat(it.next()).isEqualTo(Event.of("b").withId("1"));

            events.close();
            second.awaitClientClose();
        } finally {
            events.close();
        }
        assertThat(source.readyState()).isEqualTo(ReadyState.CLOSED);
    }
}
