package io.sseline.servlet;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sseline.core.Event;
import io.sseline.core.EventSerializer;
import io.sseline.testing.Container;
import io.sseline.testing.HttpEventClient;
import io.sseline.testing.RawClient;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EventStreamTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final HttpClient HTTP = HttpEventClient.http11();

    static EventStreamConfig.Builder quiet() {
        return EventStreamConfig.builder().heartbeatInterval(Duration.ZERO);
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void opensWithEventStreamHeadersAtOnceAndExposesLastEventId(Container container) throws Exception {
        RecordingServlet servlet = new RecordingServlet(quiet().build());
        try (Container.Running server = container.start(servlet);
                RawClient client = RawClient.get(server.port(), Container.PATH, Map.of("Last-Event-ID", "7-41"))) {
            // RawClient.get returned with the head: it arrived although no event has been sent.
            EventStream stream = servlet.awaitOpened(WAIT);
            assertThat(client.status()).isEqualTo(200);
            assertThat(client.headers().get("content-type")).matches("(?i)text/event-stream;\\s*charset=utf-8");
            assertThat(client.headers()).containsEntry("cache-control", "no-cache");
            assertThat(client.headers()).containsEntry("x-accel-buffering", "no");
            assertThat(client.headers()).doesNotContainKey("content-length");
            assertThat(stream.lastEventId()).isEqualTo("7-41");
            assertThat(stream.isOpen()).isTrue();

            byte[] first = EventSerializer.serialize(Event.of("first"));
            assertThat(stream.send("first")).isTrue();
            assertThat(client.readBody(first.length)).isEqualTo(first);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void eventsAndCommentsArriveByteExactThenCloseEndsTheResponse(Container container) throws Exception {
        RecordingServlet servlet = new RecordingServlet(quiet().build());
        try (Container.Running server = container.start(servlet);
                RawClient client = RawClient.get(server.port(), Container.PATH, Map.of())) {
            EventStream stream = servlet.awaitOpened(WAIT);
            assertThat(stream.lastEventId()).isEmpty();
            Event chat = Event.of("line one\nline two\r\nline three")
                    .withType("chat")
                    .withId("1")
                    .withRetry(Duration.ofSeconds(3));
            Event last = Event.of("bye").withType("end");
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            expected.write(EventSerializer.serialize(chat));
            expected.write(EventSerializer.serializeComment("keep\nalive"));
            expected.write(EventSerializer.serialize(Event.of("shared")));
            expected.write("id: 2\n\n".getBytes(UTF_8));
            expected.write(EventSerializer.serialize(last));

            assertThat(stream.send(chat)).isTrue();
            assertThat(stream.comment("keep\nalive")).isTrue();
            assertThat(stream.send(SerializedEvent.of(Event.of("shared")))).isTrue();
            assertThat(stream.send(SerializedEvent.idOnly("2"))).isTrue();
            stream.close(last);

            assertThat(new String(client.readToEnd(WAIT), UTF_8)).isEqualTo(expected.toString(UTF_8));
            RecordingServlet.Closed closed = servlet.awaitClosed(WAIT);
            assertThat(closed.reason()).isEqualTo(CloseReason.CLOSED);
            assertThat(stream.send("late")).isFalse();
            assertThat(stream.closeReason()).contains(CloseReason.CLOSED);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aStreamKeepsASmallResponseBufferAndStillSendsLargeEventsAndBurstsWhole(Container container) throws Exception {
        // Jetty keeps a response's buffer, 32 KiB by default, from the first write until the response
        // completes: an idle stream would hold it for hours. Tomcat never goes below its own 8 KiB.
        EventStreams streams = EventStreams.create(quiet().build());
        BlockingQueue<EventStream> opened = new LinkedBlockingQueue<>();
        BlockingQueue<Integer> bufferSizes = new LinkedBlockingQueue<>();
        HttpServlet servlet = new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                EventStream stream = streams.open(request, response);
                bufferSizes.add(response.getBufferSize());
                opened.add(stream);
            }
        };
        try (Container.Running server = container.start(servlet);
                RawClient client = RawClient.get(server.port(), Container.PATH, Map.of())) {
            EventStream stream = opened.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(bufferSizes.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isLessThanOrEqualTo(8192);

            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            Event large = Event.of("x".repeat(100 * 1024)).withType("large");
            expected.write(EventSerializer.serialize(large));
            assertThat(stream.send(large)).isTrue();
            for (int i = 0; i < 500; i++) {
                Event small = Event.of("{\"n\":" + i + "}").withId(Integer.toString(i));
                expected.write(EventSerializer.serialize(small));
                assertThat(stream.send(small)).isTrue();
            }
            stream.close();

            assertThat(new String(client.readToEnd(WAIT), UTF_8)).isEqualTo(expected.toString(UTF_8));
        } finally {
            streams.shutdown();
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void concurrentSendersNeverInterleaveBytesAndKeepEachSendersOrder(Container container) throws Exception {
        int threads = 8;
        int perThread = 300;
        RecordingServlet servlet =
                new RecordingServlet(quiet().maxQueuedBytes(64 * 1024 * 1024).build());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (Container.Running server = container.start(servlet);
                HttpEventClient client = HttpEventClient.connect(HTTP, server.uri())) {
            EventStream stream = servlet.awaitOpened(WAIT);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> senders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                senders.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        if (!stream.send(payload(thread, i))) {
                            throw new AssertionError("send refused at " + thread + "/" + i);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : senders) {
                f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }

            List<Event> received = client.next(threads * perThread, WAIT);
            int[] nextPerThread = new int[threads];
            for (Event e : received) {
                int thread = e.type().charAt(1) - '0';
                int i = nextPerThread[thread]++;
                assertThat(e).isEqualTo(payload(thread, i));
            }
            assertThat(nextPerThread).containsOnly(perThread);
            assertThat(servlet.eventStreams().slowConsumerCount()).isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void eventLargerThanTheQueueBoundStillPassesThroughAnEmptyQueue(Container container) throws Exception {
        RecordingServlet servlet =
                new RecordingServlet(quiet().maxQueuedBytes(1024).build());
        try (Container.Running server = container.start(servlet);
                RawClient client = RawClient.get(server.port(), Container.PATH, Map.of())) {
            EventStream stream = servlet.awaitOpened(WAIT);
            Event big = Event.of("y".repeat(100_000));
            byte[] expected = EventSerializer.serialize(big);
            assertThat(stream.send(big)).isTrue();
            assertThat(client.readBody(expected.length)).isEqualTo(expected);
            assertThat(servlet.eventStreams().slowConsumerCount()).isZero();
            assertThat(stream.isOpen()).isTrue();
        }
    }

    /** Events of varied size, with line breaks, that name their sender and position. */
    static Event payload(int thread, int i) {
        String filler = "x".repeat((i * 37 + thread * 101) % 3000);
        return Event.of(thread + ":" + i + "\n" + filler + "\nend").withType("t" + thread);
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void idleStreamGetsHeartbeatComments(Container container) throws Exception {
        RecordingServlet servlet = new RecordingServlet(EventStreamConfig.builder()
                .heartbeatInterval(Duration.ofMillis(100))
                .build());
        try (Container.Running server = container.start(servlet);
                HttpEventClient client = HttpEventClient.connect(HTTP, server.uri())) {
            servlet.awaitOpened(WAIT);
            await("three heartbeats").atMost(WAIT).until(() -> client.comments() >= 3);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void vanishedClientIsDetectedByTheHeartbeatAndClosedOnce(Container container) throws Exception {
        Duration heartbeat = Duration.ofMillis(100);
        RecordingServlet servlet = new RecordingServlet(
                EventStreamConfig.builder().heartbeatInterval(heartbeat).build());
        try (Container.Running server = container.start(servlet)) {
            RawClient client = RawClient.get(server.port(), Container.PATH, Map.of());
            EventStream stream = servlet.awaitOpened(WAIT);
            long gone = System.nanoTime();
            client.close();

            RecordingServlet.Closed closed = servlet.awaitClosed(WAIT);
            Duration detectedAfter = Duration.ofNanos(System.nanoTime() - gone);
            assertThat(closed.stream()).isSameAs(stream);
            assertThat(closed.reason()).isEqualTo(CloseReason.CLIENT_GONE);
            // The first heartbeat after the close draws a reset; the next one fails: about 200 ms on an
            // idle machine, in both containers. The bound leaves room for a loaded build machine;
            // without heartbeats the stream would stay open for good.
            assertThat(detectedAfter).isLessThan(heartbeat.multipliedBy(2).plusMillis(1500));
            assertThat(stream.isOpen()).isFalse();
            assertThat(stream.send("after")).isFalse();
            await("no second close callback")
                    .during(heartbeat.multipliedBy(4))
                    .atMost(heartbeat.multipliedBy(4).plusSeconds(5))
                    .until(() -> servlet.closeCounts.get(stream) == 1);
            assertThat(servlet.eventStreams().openCount()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void asyncTimeoutClosesTheStreamWithTimeout(Container container) throws Exception {
        RecordingServlet servlet = new RecordingServlet(
                quiet().asyncTimeout(Duration.ofMillis(300)).build());
        try (Container.Running server = container.start(servlet);
                HttpEventClient client = HttpEventClient.connect(HTTP, server.uri())) {
            EventStream stream = servlet.awaitOpened(WAIT);
            RecordingServlet.Closed closed = servlet.awaitClosed(WAIT);
            assertThat(closed.stream()).isSameAs(stream);
            assertThat(closed.reason()).isEqualTo(CloseReason.TIMEOUT);
            client.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(servlet.closeCounts.get(stream)).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void closeFromAnotherThreadSendsWhatIsQueuedThenRunsHandlersOnce(Container container) throws Exception {
        RecordingServlet servlet = new RecordingServlet(quiet().build());
        try (Container.Running server = container.start(servlet);
                HttpEventClient client = HttpEventClient.connect(HTTP, server.uri())) {
            EventStream stream = servlet.awaitOpened(WAIT);
            for (int i = 0; i < 100; i++) {
                stream.send(Event.of("event " + i));
            }
            Thread closer = new Thread(stream::close);
            closer.start();
            closer.join(WAIT.toMillis());
            stream.close(); // idempotent

            assertThat(client.next(100, WAIT)).extracting(Event::data).endsWith("event 99");
            client.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(servlet.awaitClosed(WAIT).reason()).isEqualTo(CloseReason.CLOSED);

            BlockingQueue<CloseReason> late = new LinkedBlockingQueue<>();
            stream.onClose((s, reason) -> late.add(reason));
            assertThat(late.poll()).isEqualTo(CloseReason.CLOSED); // ran at once, on this thread
            assertThat(servlet.closeCounts.get(stream)).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void shutdownSendsTheFinalEventClosesEveryStreamAndRefusesNewOnes(Container container) throws Exception {
        RecordingServlet servlet = new RecordingServlet(quiet().build());
        List<HttpEventClient> clients = new ArrayList<>();
        try (Container.Running server = container.start(servlet)) {
            for (int i = 0; i < 5; i++) {
                clients.add(HttpEventClient.connect(HTTP, server.uri()));
                servlet.awaitOpened(WAIT);
            }
            assertThat(servlet.eventStreams().openCount()).isEqualTo(5);

            servlet.eventStreams().shutdown(Event.of("restarting").withType("bye"));

            assertThat(servlet.eventStreams().openCount()).isZero();
            for (HttpEventClient client : clients) {
                assertThat(client.next(WAIT)).isEqualTo(Event.of("restarting").withType("bye"));
                client.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
            for (int i = 0; i < 5; i++) {
                assertThat(servlet.awaitClosed(WAIT).reason()).isEqualTo(CloseReason.SHUTDOWN);
            }
            assertThat(servlet.closeCounts.values()).containsOnly(1);

            HttpEventClient refused = HttpEventClient.connect(HTTP, server.uri());
            HttpResponse.ResponseInfo info = refused.awaitOpen(WAIT);
            assertThat(info.statusCode()).isEqualTo(503);
        } finally {
            clients.forEach(HttpEventClient::close);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void shutdownWaitsForACloseHandlerStillRunningOnAnotherThread(Container container) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        BlockingQueue<String> order = new LinkedBlockingQueue<>();
        RecordingServlet servlet = new RecordingServlet(
                quiet().build(),
                (stream, request) -> stream.onClose((s, r) -> {
                    order.add("handler began");
                    try {
                        release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    order.add("handler returned");
                }));
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (Container.Running server = container.start(servlet);
                HttpEventClient client = HttpEventClient.connect(HTTP, server.uri())) {
            EventStream stream = servlet.awaitOpened(WAIT);
            assertThat(client.awaitOpen(WAIT).statusCode()).isEqualTo(200);
            // The application ends the stream on a thread of its own, whose close handler then blocks:
            // the stream has left the open set, but its handler has not returned.
            threads.execute(stream::close);
            assertThat(order.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("handler began");
            assertThat(servlet.eventStreams().openCount()).isZero();

            Future<?> shutdown = threads.submit(() -> {
                servlet.eventStreams().shutdown(Duration.ZERO);
                order.add("shutdown returned");
            });
            assertThatThrownBy(() -> shutdown.get(300, TimeUnit.MILLISECONDS))
                    .as("shutdown returned while a close handler still ran")
                    .isInstanceOf(TimeoutException.class);
            release.countDown();
            shutdown.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(List.copyOf(order)).containsExactly("handler returned", "shutdown returned");
        } finally {
            release.countDown();
            threads.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void shutdownFromACloseHandlerDoesNotWaitForThatHandler(Container container) throws Exception {
        AtomicReference<Duration> shutdownTook = new AtomicReference<>();
        AtomicReference<EventStreams> streams = new AtomicReference<>();
        RecordingServlet servlet = new RecordingServlet(
                quiet().build(),
                (stream, request) -> stream.onClose((s, r) -> {
                    long start = System.nanoTime();
                    streams.get().shutdown(Duration.ZERO);
                    shutdownTook.set(Duration.ofNanos(System.nanoTime() - start));
                }));
        streams.set(servlet.eventStreams());
        try (Container.Running server = container.start(servlet);
                HttpEventClient client = HttpEventClient.connect(HTTP, server.uri())) {
            EventStream stream = servlet.awaitOpened(WAIT);
            assertThat(client.awaitOpen(WAIT).statusCode()).isEqualTo(200);
            stream.close();
            await().atMost(WAIT).until(() -> shutdownTook.get() != null);
            assertThat(shutdownTook.get()).isLessThan(Duration.ofSeconds(2));
            assertThat(servlet.eventStreams().isShutdown()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void openingWithoutAsyncSupportFailsNamingTheFix(Container container) throws Exception {
        EventStreams streams = EventStreams.create(quiet().build());
        BlockingQueue<Exception> failures = new LinkedBlockingQueue<>();
        HttpServlet servlet = new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                try {
                    streams.open(request, response);
                } catch (IllegalStateException e) {
                    failures.add(e);
                    response.sendError(500);
                }
            }
        };
        try (Container.Running server = container.start(servlet, false);
                RawClient client = RawClient.get(server.port(), Container.PATH, Map.of())) {
            assertThat(client.status()).isEqualTo(500);
            Exception failure = failures.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(failure)
                    .hasMessageContaining("does not support async mode")
                    .hasMessageContaining("asyncSupported = true");
            assertThat(streams.openCount()).isZero();
        }
    }
}
