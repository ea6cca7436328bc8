package io.sseline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reactivex.rxjava3.core.Flowable;
import io.sseline.core.Event;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.reactivestreams.FlowAdapters;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;

/**
 * {@link EventSource#publisher()} through the adapters applications use (Reactor's {@code
 * JdkFlowAdapter}, RxJava's {@code FlowAdapters}): events across reconnections, cancel closes the
 * source, the final error, rule 3.9, and subscriber demand that reaches the socket.
 */
class FlowViewTest extends MockServerFixture {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    FlowViewTest() {
        super(Duration.ofMillis(50));
    }

    @Test
    void reactorTakesEventsAcrossReconnectionsAndItsCancelClosesTheSource() throws Exception {
        server.enqueue(stream("id: 1\ndata: a\n\n"));
        server.enqueue(status(503));
        server.enqueue(stream("data: b\n\ndata: c\n\n"));
        source = builder().build(recorder);

        List<String> data = JdkFlowAdapter.flowPublisherToFlux(source.publisher())
                .map(Event::data)
                .take(2)
                .collectList()
                .block(PATIENCE);

        assertThat(data).containsExactly("a", "b");
        await("take(2) cancelled, which closed the source").until(() -> source.readyState() == ReadyState.CLOSED);
        assertThat(recorder.expectOpen()).isEqualTo(200);
        recorder.expectData();
        recorder.expectError(java.io.EOFException.class, true);
        recorder.expectError(UnexpectedResponseException.class, true);
        recorder.expectOpen();
        recorder.expectData();
        // "c" came in the same chunk as "b", before the cancel; then the source closed
        Callbacks.skipEvents(recorder);
    }

    @Test
    void rxJavaReadsThePublisherThroughFlowAdapters() throws Exception {
        server.enqueue(stream("data: a\n\ndata: b\n\n"));
        server.enqueue(status(204));
        source = builder().build();

        List<String> data = Flowable.fromPublisher(FlowAdapters.toPublisher(source.publisher()))
                .map(Event::data)
                .toList()
                .blockingGet();

        assertThat(data).containsExactly("a", "b");
    }

    @Test
    void theErrorThatClosesTheSourceReachesTheSubscriber() {
        server.enqueue(stream("data: a\n\n"));
        server.enqueue(status(401));
        source = builder().build();

        List<reactor.core.publisher.Signal<Event>> signals = JdkFlowAdapter.flowPublisherToFlux(source.publisher())
                .materialize()
                .collectList()
                .block(PATIENCE);

        assertThat(signals).hasSize(2);
        assertThat(signals.get(0).get()).isEqualTo(Event.of("a"));
        assertThat(signals.get(1).getThrowable())
                .isInstanceOfSatisfying(
                        UnexpectedResponseException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(401));
    }

    @Test
    void aSecondSubscriberIsRefused() {
        server.enqueue(stream("data: a\n\n"));
        source = builder().build();
        Flux<Event> events = JdkFlowAdapter.flowPublisherToFlux(source.publisher());
        assertThat(events.blockFirst(PATIENCE)).isEqualTo(Event.of("a"));

        assertThat(events.materialize().blockFirst(PATIENCE).getThrowable())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already has a subscriber");
    }

    @Test
    void aNonPositiveRequestFailsTheSubscriptionAndClosesTheSource() throws Exception {
        server.enqueue(stream("data: a\n\n"));
        source = builder().build();
        AtomicReference<Throwable> failed = new AtomicReference<>();

        source.publisher().subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(0);
            }

            @Override
            public void onNext(Event item) {}

            @Override
            public void onError(Throwable throwable) {
                failed.set(throwable);
            }

            @Override
            public void onComplete() {}
        });

        await("onError").until(() -> failed.get() != null);
        assertThat(failed.get()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
        assertThat(source.readyState()).isEqualTo(ReadyState.CLOSED);
    }

    /**
     * Subscriber demand reaches the socket: after one event the subscriber requests nothing more, and
     * the server's writes stall once the socket buffers are full; requesting more lets them go on.
     */
    @Test
    void subscriberDemandReachesTheSocket() throws Exception {
        try (RawServer raw = new RawServer()) {
            source = EventSource.builder(raw.uri("/events")).httpClient(client).build();
            List<String> ids = new CopyOnWriteArrayList<>();
            BaseSubscriber<Event> oneAtATime = new BaseSubscriber<>() {
                @Override
                protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
                    subscription.request(1);
                }

                @Override
                protected void hookOnNext(Event event) {
                    ids.add(event.id());
                }
            };
            JdkFlowAdapter.flowPublisherToFlux(source.publisher()).subscribe(oneAtATime);
            RawServer.Exchange exchange = raw.accept();
            exchange.sendStreamHead();
            String payload = "z".repeat(16 * 1024);
            RawServer.Exchange.Stall stall = exchange.writeEventsUntilStalled(payload);
            int written = stall.written();

            assertThat((long) written * payload.length()).isLessThan(32L * 1024 * 1024);
            assertThat(ids).as("the one event requested").containsExactly("0");

            oneAtATime.request(Long.MAX_VALUE);
            assertThat(exchange.writeUnlessStalled(stall.pending(), PATIENCE)).isTrue();
            int all = written;
            await("every event delivered").until(() -> ids.size() == all);
            for (int i = 0; i < all; i++) {
                assertThat(ids.get(i)).isEqualTo(Integer.toString(i));
            }
            oneAtATime.cancel();
            exchange.awaitClientClose();
            assertThat(source.readyState()).isEqualTo(ReadyState.CLOSED);
            exchange.close();
        }
    }

    /** Helpers over the recorder's remaining callbacks. */
    private static final class Callbacks {
        private Callbacks() {}

        /** Skips event callbacks until {@code closed}, which must come. */
        static void skipEvents(EventSourceRecorder recorder) throws InterruptedException {
            while (true) {
                EventSourceRecorder.Callback callback = recorder.next();
                if (callback.kind().equals("closed")) {
                    return;
                }
                assertThat(callback.kind()).as("callback %s", callback).isEqualTo("event");
            }
        }
    }
}
