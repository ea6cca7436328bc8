package io.sseline.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sseline.core.Event;
import io.sseline.core.EventParser;
import io.sseline.testing.Container;
import io.sseline.testing.HttpEventClient;
import io.sseline.testing.RawClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link EventStream#feed}: a stream fed from a publisher, an iterator or a stream, in Jetty 12 and
 * Tomcat 11. The source is asked for more only while the queue is below the low-water mark, so a
 * client that stops reading holds the source back (and never meets the slow-consumer policy); the
 * source is cancelled or closed when the stream closes; its end closes the stream after the final
 * or error event.
 */
class FeedTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final HttpClient HTTP = HttpEventClient.http11();
    static final int MAX_QUEUED = 32 * 1024;
    static final String FILLER = "f".repeat(1000);

    private static EventStreamConfig config() {
        return EventStreamConfig.builder()
                .heartbeatInterval(Duration.ZERO)
                .maxQueuedBytes(MAX_QUEUED)
                .build();
    }

    /**
     * A publisher of {@code limit} numbered events ({@code Long.MAX_VALUE} for no end), each emitted
     * synchronously when requested; it counts what it was asked for and whether it was cancelled.
     */
    static final class NumberedPublisher implements Flow.Publisher<Event> {
        final long limit;
        final AtomicLong emitted = new AtomicLong();
        final AtomicBoolean cancelled = new AtomicBoolean();
        final AtomicReference<Throwable> failAtEnd = new AtomicReference<>();
        /** The most events requested and not yet emitted at any time: the feed asks for one. */
        final AtomicLong mostOutstanding = new AtomicLong();

        NumberedPublisher(long limit) {
            this.limit = limit;
        }

        @Override
        public void subscribe(Flow.Subscriber<? super Event> subscriber) {
            AtomicLong demand = new AtomicLong();
            AtomicInteger wip = new AtomicInteger();
            subscriber.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                    mostOutstanding.accumulateAndGet(demand.addAndGet(n), Math::max);
                    if (wip.getAndIncrement() != 0) {
                        return; // the emitting loop below takes the new demand
                    }
                    do {
                        while (demand.get() > 0 && !cancelled.get()) {
                            long i = emitted.get();
                            if (i == limit) {
                                Throwable failure = failAtEnd.get();
                                cancelled.set(true); // done: no more signals
                                if (failure != null) {
                                    subscriber.onError(failure);
                                } else {
                                    subscriber.onComplete();
                                }
                                return;
                            }
                            demand.decrementAndGet();
                            emitted.incrementAndGet();
                            subscriber.onNext(Event.of(i + " " + FILLER));
                        }
                    } while (wip.decrementAndGet() != 0);
                }

                @Override
                public void cancel() {
                    cancelled.set(true);
                }
            });
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void shutdownReturnsOnlyOnceAWriterThreadBusyInTheSourceHasEnded(Container container) throws Exception {
        SubmissionPublisher<Event> source = new SubmissionPublisher<>();
        Set<Thread> requestedOn = ConcurrentHashMap.newKeySet();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean hold = new AtomicBoolean();
        // Asked for the next event only once the queue is empty: by the thread that empties it, a
        // writer thread for an event submitted once the stream is open. Once told to, the source
        // keeps the writer thread that asks until release, as a slow application source would.
        Flow.Publisher<Event> publisher = recordingRequests(source, thread -> {
            requestedOn.add(thread);
            if (isWriterThread(thread) && hold.get()) {
                holding.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        RecordingServlet servlet = new RecordingServlet(
                config(),
                (stream, request) ->
                        stream.feed(publisher, FeedOptions.defaults().withLowWaterMark(1)));
        try (Container.Running server = container.start(servlet);
                HttpEventClient client = HttpEventClient.connect(HTTP, server.uri())) {
            servlet.awaitOpened(WAIT);
            await("a writer thread to ask for more").atMost(WAIT).until(() -> {
                source.submit(Event.of("tick"));
                client.next(WAIT);
                return requestedOn.stream().anyMatch(FeedTest::isWriterThread);
            });
            hold.set(true);
            await("a writer thread to be held in the source").atMost(WAIT).until(() -> {
                source.submit(Event.of("tick")); // asked for on whichever thread emptied the queue
                return holding.getCount() == 0;
            });
            Thread releaser = new Thread(() -> {
                await("shutdown to begin").atMost(WAIT).until(servlet.eventStreams()::isShutdown);
                release.countDown();
            });
            releaser.start();

            servlet.eventStreams().shutdown(Duration.ZERO);

            // A web application being stopped must leave no thread behind that runs its classes.
            assertThat(requestedOn.stream().filter(FeedTest::isWriterThread))
                    .isNotEmpty()
                    .allSatisfy(thread -> assertThat(thread.isAlive())
                            .as("%s is alive after shutdown", thread.getName())
                            .isFalse());
            assertThat(servlet.awaitClosed(WAIT).reason()).isEqualTo(CloseReason.SHUTDOWN);
            releaser.join(WAIT.toMillis());
        } finally {
            release.countDown();
            source.close();
        }
    }

    private static boolean isWriterThread(Thread thread) {
        return thread.getName().startsWith("sseline-writer-");
    }

    /** {@code source}, telling {@code onRequest} of every thread that asks it for more. */
    private static Flow.Publisher<Event> recordingRequests(Flow.Publisher<Event> source, Consumer<Thread> onRequest) {
        return subscriber -> source.subscribe(new Flow.Subscriber<Event>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscriber.onSubscribe(new Flow.Subscription() {
                    @Override
                    public void request(long n) {
                        onRequest.accept(Thread.currentThread());
                        subscription.request(n);
                    }

                    @Override
                    public void cancel() {
                        subscription.cancel();
                    }
                });
            }

            @Override
            public void onNext(Event item) {
                subscriber.onNext(item);
            }

            @Override
            public void onError(Throwable failure) {
                subscriber.onError(failure);
            }

            @Override
            public void onComplete() {
                subscriber.onComplete();
            }
        });
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void publisherEventsThenTheFinalEventThenTheStreamCloses(Container container) throws Exception {
        NumberedPublisher publisher = new NumberedPublisher(200);
        RecordingServlet servlet = new RecordingServlet(
                config(),
                (stream, request) ->
                        stream.feed(publisher, FeedOptions.defaults().withFinalEvent(Event.of("[DONE]"))));
        try (Container.Running server = container.start(servlet)) {
            HttpEventClient client = HttpEventClient.connect(HTTP, server.uri());

            List<Event> events = client.next(201, WAIT);
            for (int i = 0; i < 200; i++) {
                assertThat(events.get(i).data()).startsWith(i + " ");
            }
            assertThat(events.get(200).data()).isEqualTo("[DONE]");
            assertThat(servlet.awaitClosed(WAIT).reason()).isEqualTo(CloseReason.CLOSED);
            client.ended().get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            assertThat(publisher.mostOutstanding.get())
                    .as("one event requested at a time")
                    .isEqualTo(1);
            client.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aClientThatStopsReadingHoldsThePublisherBack(Container container) throws Exception {
        NumberedPublisher publisher = new NumberedPublisher(Long.MAX_VALUE);
        // Asked for the next event only once the queue is empty: the thread that empties it, a writer
        // thread while the client reads, asks.
        RecordingServlet servlet = new RecordingServlet(
                config(),
                (stream, request) ->
                        stream.feed(publisher, FeedOptions.defaults().withLowWaterMark(1)));
        try (Container.Running server = container.start(servlet);
                RawClient stalled = RawClient.get(server.port(), Container.PATH, Map.of(), 4096)) {
            EventStream stream = servlet.awaitOpened(WAIT);

            long held = awaitSteady(publisher.emitted);

            // What the publisher made is what the queue, the container and the sockets hold: bounded.
            assertThat(held * (FILLER.length() + 12)).isLessThan(8L << 20);
            assertThat(stream.isOpen()).as("no slow-consumer policy for a feed").isTrue();
            assertThat(stream.queuedBytes()).isLessThanOrEqualTo(MAX_QUEUED);
            assertThat(servlet.eventStreams().slowConsumerCount()).isZero();

            // The client reads again: the feed goes on, in order, from where it was held.
            EventReader reader = new EventReader(stalled.body());
            for (int i = 0; i < held + 100; i++) {
                assertThat(reader.next().data()).startsWith(i + " ");
            }
            assertThat(publisher.emitted.get()).isGreaterThan(held);
            stalled.abort();
            assertThat(servlet.awaitClosed(WAIT).reason()).isEqualTo(CloseReason.CLIENT_GONE);
            await("the subscription cancelled").atMost(WAIT).until(publisher.cancelled::get);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void closingTheStreamCancelsTheSubscription(Container container) throws Exception {
        NumberedPublisher publisher = new NumberedPublisher(Long.MAX_VALUE);
        // Asked for the next event only once the queue is empty: the thread that empties it, a writer
        // thread while the client reads, asks.
        RecordingServlet servlet = new RecordingServlet(
                config(),
                (stream, request) ->
                        stream.feed(publisher, FeedOptions.defaults().withLowWaterMark(1)));
        try (Container.Running server = container.start(servlet)) {
            HttpEventClient client = HttpEventClient.connect(HTTP, server.uri());
            EventStream stream = servlet.awaitOpened(WAIT);
            client.next(WAIT);

            stream.close();

            await("the subscription cancelled").atMost(WAIT).until(publisher.cancelled::get);
            assertThat(servlet.awaitClosed(WAIT).reason()).isEqualTo(CloseReason.CLOSED);
            client.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aFailedPublisherSendsTheErrorEventAndCloses(Container container) throws Exception {
        NumberedPublisher publisher = new NumberedPublisher(3);
        publisher.failAtEnd.set(new IOException("upstream reset"));
        FeedOptions options = FeedOptions.defaults()
                .withFinalEvent(Event.of("[DONE]"))
                .withErrorEvent(error -> Event.of(error.getMessage()).withType("error"));
        RecordingServlet servlet = new RecordingServlet(config(), (stream, request) -> stream.feed(publisher, options));
        try (Container.Running server = container.start(servlet)) {
            HttpEventClient client = HttpEventClient.connect(HTTP, server.uri());

            List<Event> events = client.next(4, WAIT);
            assertThat(events.get(3)).isEqualTo(Event.of("upstream reset").withType("error"));
            assertThat(servlet.awaitClosed(WAIT).reason()).isEqualTo(CloseReason.CLOSED);
            client.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aJavaStreamFeedsTheStreamAndIsClosedAfterwards(Container container) throws Exception {
        AtomicInteger closes = new AtomicInteger();
        RecordingServlet servlet = new RecordingServlet(config(), (stream, request) -> {
            Stream<Event> events = Stream.of("a", "b", "c").map(Event::of).onClose(closes::incrementAndGet);
            stream.feed(events, FeedOptions.defaults().withFinalEvent(Event.of("end")));
        });
        try (Container.Running server = container.start(servlet)) {
            HttpEventClient client = HttpEventClient.connect(HTTP, server.uri());

            assertThat(client.next(4, WAIT)).extracting(Event::data).containsExactly("a", "b", "c", "end");
            assertThat(servlet.awaitClosed(WAIT).reason()).isEqualTo(CloseReason.CLOSED);
            await("the source closed").atMost(WAIT).until(() -> closes.get() == 1);
            client.close();
        }
    }

    /** An iterator that counts what was pulled; it never ends and never blocks. */
    static final class CountingIterator implements Iterator<Event> {
        final AtomicLong pulled = new AtomicLong();

        @Override
        public boolean hasNext() {
            return true;
        }

        @Override
        public Event next() {
            return Event.of(pulled.getAndIncrement() + " " + FILLER);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aClientThatStopsReadingHoldsTheIteratorBackWithoutHoldingAThread(Container container) throws Exception {
        CountingIterator iterator = new CountingIterator();
        RecordingServlet servlet =
                new RecordingServlet(config(), (stream, request) -> stream.feed(iterator, FeedOptions.defaults()));
        try (Container.Running server = container.start(servlet);
                RawClient stalled = RawClient.get(server.port(), Container.PATH, Map.of(), 4096)) {
            EventStream stream = servlet.awaitOpened(WAIT);

            long held = awaitSteady(iterator.pulled);

            assertThat(held * (FILLER.length() + 12)).isLessThan(8L << 20);
            assertThat(stream.isOpen()).isTrue();
            assertThat(servlet.eventStreams().slowConsumerCount()).isZero();
            EventReader reader = new EventReader(stalled.body());
            for (int i = 0; i < held + 100; i++) {
                assertThat(reader.next().data()).startsWith(i + " ");
            }
            assertThat(iterator.pulled.get()).isGreaterThan(held);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aSourceBlockedInHasNextIsInterruptedAndClosedWhenTheClientLeaves(Container container) throws Exception {
        BlockingQueue<Event> upstream = new LinkedBlockingQueue<>();
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean closed = new AtomicBoolean();
        Iterator<Event> blocking = new Iterator<>() {
            private Event next;

            @Override
            public boolean hasNext() {
                try {
                    next = upstream.take();
                    return true;
                } catch (InterruptedException e) {
                    interrupted.set(true);
                    throw new IllegalStateException("interrupted", e);
                }
            }

            @Override
            public Event next() {
                return next;
            }
        };
        RecordingServlet servlet = new RecordingServlet(
                config(),
                (stream, request) -> stream.feed(
                        StreamSupport.stream(Spliterators.spliteratorUnknownSize(blocking, Spliterator.ORDERED), false)
                                .onClose(() -> closed.set(true)),
                        FeedOptions.defaults()));
        upstream.add(Event.of("first"));
        try (Container.Running server = container.start(servlet)) {
            HttpEventClient client = HttpEventClient.connect(HTTP, server.uri());
            assertThat(client.next(WAIT).data()).isEqualTo("first");
            upstream.add(Event.of("second"));
            assertThat(client.next(WAIT).data()).isEqualTo("second");

            servlet.awaitOpened(WAIT).close();

            await("the blocked pull interrupted").atMost(WAIT).until(interrupted::get);
            await("the source closed").atMost(WAIT).until(closed::get);
            client.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void oneFeedPerStreamAndAClosedStreamCancelsAtOnce(Container container) throws Exception {
        NumberedPublisher second = new NumberedPublisher(1);
        AtomicReference<Throwable> refused = new AtomicReference<>();
        AtomicBoolean refusedStreamLeftAlone = new AtomicBoolean();
        RecordingServlet servlet = new RecordingServlet(config(), (stream, request) -> {
            stream.feed(new NumberedPublisher(Long.MAX_VALUE), FeedOptions.defaults());
            try {
                stream.feed(second, FeedOptions.defaults());
            } catch (IllegalStateException e) {
                refused.set(e);
            }
            Stream<Event> unused = Stream.of(Event.of("kept"));
            try {
                stream.feed(unused, FeedOptions.defaults());
            } catch (IllegalStateException e) {
                refusedStreamLeftAlone.set(unused.count() == 1); // not consumed by the refused feed
            }
        });
        try (Container.Running server = container.start(servlet)) {
            HttpEventClient client = HttpEventClient.connect(HTTP, server.uri());
            EventStream stream = servlet.awaitOpened(WAIT);
            assertThat(refused.get()).hasMessageContaining("already has a feed");
            assertThat(refusedStreamLeftAlone).isTrue();
            assertThat(second.emitted.get()).isZero();
            stream.close();
            servlet.awaitClosed(WAIT);

            assertThatThrownBy(() -> stream.feed(second, FeedOptions.defaults()))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(second.emitted.get()).isZero();
            client.close();
        }
    }

    /** Waits until {@code counter} stops growing for half a second, and returns its value. */
    static long awaitSteady(AtomicLong counter) throws InterruptedException {
        long[] last = {-1};
        long[] since = {System.nanoTime()};
        await("the source to be held back").atMost(WAIT).until(() -> {
            long now = counter.get();
            if (now != last[0]) {
                last[0] = now;
                since[0] = System.nanoTime();
                return false;
            }
            return now > 0
                    && System.nanoTime() - since[0] > Duration.ofMillis(500).toNanos();
        });
        return last[0];
    }

    /** Reads events from a raw response body (chunked already decoded by the raw client). */
    static final class EventReader {
        private final InputStream in;
        private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        private final EventParser parser = EventParser.create(events::add);

        EventReader(InputStream in) {
            this.in = in;
        }

        Event next() throws IOException {
            byte[] buffer = new byte[8192];
            while (events.isEmpty()) {
                int n = in.read(buffer);
                if (n < 0) {
                    throw new IOException("the stream ended");
                }
                parser.feed(buffer, 0, n);
            }
            return events.remove();
        }
    }
}
