package io.sseline.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sseline.core.Event;
import io.sseline.core.EventSerializer;
import io.sseline.servlet.CloseReason;
import io.sseline.servlet.ExampleObjects.Log;
import io.sseline.servlet.SlowConsumerPolicy;
import io.sseline.servlet.hub.EventHub;
import io.sseline.servlet.hub.spi.Backplane;
import io.sseline.testing.Container;
import io.sseline.testing.HttpEventClient;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The examples of this package's Javadoc, compiled and run: not API, but read by whoever works on
 * the engine. Each test names the type whose Javadoc shows the example.
 */
class DocumentationExamplesTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final HttpClient HTTP = HttpEventClient.http11();

    /** The application's object for a stream, as StreamEngine's example makes it. */
    record Face(StreamEngine<Face> engine) {}

    /** StreamEngine and StreamOwner: an engine opened, fed and closed without EventStreams. */
    @Test
    void engineAndOwner() throws Exception {
        ScheduledExecutorService scheduler = DaemonScheduler.create();
        WriterPool writers = WriterPool.create(2);
        Duration closeTimeout = Duration.ofSeconds(5);
        Set<StreamEngine<Face>> open = ConcurrentHashMap.newKeySet();
        Log log = new Log();
        StreamOwner<Face> owner = new StreamOwner<>() {
            @Override
            public ScheduledFuture<?> scheduleCloseTimeout(Runnable cut) {
                return scheduler.schedule(cut, closeTimeout.toMillis(), TimeUnit.MILLISECONDS);
            }

            @Override
            public void closed(StreamEngine<Face> stream, CloseReason reason) {
                open.remove(stream);
            }

            @Override
            public void slowConsumer(StreamEngine<Face> stream, SlowConsumerPolicy policy) {
                log.info(stream.stream() + " fell behind: " + policy);
            }
        };
        byte[] bytes = EventSerializer.serialize(Event.of("hi"));
        HttpServlet servlet = new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                AsyncContext async = request.startAsync();
                response.setContentType("text/event-stream");
                response.flushBuffer();
                // Face: the application's object for the stream, made from the engine (EventStreams makes an
                // EventStream)
                StreamEngine<Face> engine = StreamEngine.open(
                        owner,
                        async,
                        response.getOutputStream(),
                        writers,
                        256 * 1024,
                        SlowConsumerPolicy.DISCONNECT,
                        Face::new);
                open.add(engine);
                engine.start();
                engine.send(bytes); // from any thread, never blocks: a writer thread writes
                engine.closeGracefully(null, CloseReason.CLOSED);
            }
        };
        try (Container.Running server = Container.JETTY.start(servlet);
                HttpEventClient client = HttpEventClient.connect(HTTP, server.uri())) {
            assertThat(client.next(WAIT)).isEqualTo(Event.of("hi"));
            client.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            await("the owner to hear of the close").atMost(WAIT).until(open::isEmpty);
            assertThat(log.lines).isEmpty();
        } finally {
            scheduler.shutdownNow();
            writers.shutdown(WAIT);
        }
    }

    /** WriterPool. */
    @Test
    void writerPool() throws Exception {
        CompletableFuture<String> wroteOn = new CompletableFuture<>();
        Runnable write = () -> wroteOn.complete(Thread.currentThread().getName());
        WriterPool writers = WriterPool.create(2);
        if (!writers.submit(write)) {
            write.run(); // the pool has stopped: write on this thread
        }
        assertThat(wroteOn.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).startsWith("sseline-writer-");
        writers.shutdown(WAIT);

        CompletableFuture<String> afterShutdown = new CompletableFuture<>();
        assertThat(writers.submit(() -> afterShutdown.complete("pool"))).isFalse();
        assertThat(afterShutdown).isNotDone();
    }

    /** StreamCounts: the counts of ended streams and of open ones, added up. */
    @Test
    void streamCounts() {
        StreamCounts ended = new StreamCounts();
        ended.add(3, 300, 120);
        Set<StreamEngine<Face>> open = Set.of();

        StreamCounts total = new StreamCounts();
        total.add(ended);
        for (StreamEngine<?> engine : open) {
            engine.addCountsTo(total);
        }
        long bytes = total.bytes();

        assertThat(bytes).isEqualTo(300);
        assertThat(total.events()).isEqualTo(3);
        assertThat(total.peakQueuedBytes()).isEqualTo(120);
    }

    /** OutboundQueue. */
    @Test
    void outboundQueue() {
        byte[] bytes = EventSerializer.serialize(Event.of("x".repeat(200 * 1024)));
        OutboundQueue queue = new OutboundQueue(256 * 1024, SlowConsumerPolicy.DROP);
        queue.offer(bytes);
        if (!queue.offer(bytes)) {
            // full: under DROP the event was counted as dropped; under DISCONNECT the stream closes
        }
        byte[] write = queue.take(); // one chunk, or several copied into one
        assertThat(write).isSameAs(bytes);
        assertThat(queue.droppedCount()).isEqualTo(1);
    }

    /** InMemoryBackplane and its Builder. */
    @Test
    void inMemoryBackplane() throws Exception {
        Backplane log = InMemoryBackplane.builder()
                .maxEntries(10_000) // keep at most the last 10,000 events of all channels
                .maxAge(Duration.ofMinutes(5)) // and none older than five minutes
                .epoch("t") // ids t-1, t-2, ...
                .build();
        try (EventHub hub = EventHub.builder().backplane(log).build()) {
            assertThat(hub.publish("a", Event.of("x")).toCompletableFuture().join())
                    .isEqualTo("t-1");
        }

        InMemoryBackplane builderExample =
                InMemoryBackplane.builder().maxEntries(5_000).build();
        assertThat(builderExample.size()).isZero();
    }

    /** DaemonScheduler. */
    @Test
    void daemonScheduler() throws Exception {
        Runnable heartbeats = () -> {};
        ScheduledExecutorService scheduler = DaemonScheduler.create(); // thread "sseline-event-streams"
        try {
            scheduler.scheduleAtFixedRate(heartbeats, 15, 15, TimeUnit.SECONDS);
            Thread thread = scheduler.submit(Thread::currentThread).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(thread.getName()).isEqualTo("sseline-event-streams");
            assertThat(thread.isDaemon()).isTrue();
        } finally {
            scheduler.shutdownNow();
        }
    }

    /** HeaderValues. */
    @Test
    void headerValues() throws Exception {
        HttpServlet servlet = new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                String lastEventId = HeaderValues.utf8(request.getHeader("Last-Event-ID")); // "" when absent
                Optional<String> fromUrl = HeaderValues.queryParameter(request.getQueryString(), "lastEventId");
                response.getWriter().print("[" + lastEventId + "]" + fromUrl.orElse("-"));
            }
        };
        try (Container.Running server = Container.JETTY.start(servlet)) {
            HttpRequest without = HttpRequest.newBuilder(server.uri()).build();
            HttpRequest with = HttpRequest.newBuilder(server.uri("lastEventId=t-9"))
                    .header("Last-Event-ID", "t-7")
                    .build();
            assertThat(HTTP.send(without, HttpResponse.BodyHandlers.ofString()).body())
                    .isEqualTo("[]-");
            assertThat(HTTP.send(with, HttpResponse.BodyHandlers.ofString()).body())
                    .isEqualTo("[t-7]t-9");
        }
    }

    /** PublisherFeed and IteratorFeed: an engine fed from a publisher, then one fed from a stream. */
    @Test
    void feeds() throws Exception {
        // A real close timeout: a feed that ends closes its stream gracefully, and what is still queued
        // then (the last events, whenever the client has not taken them yet) must reach the client.
        ScheduledExecutorService scheduler = DaemonScheduler.create();
        Set<StreamEngine<Face>> open = ConcurrentHashMap.newKeySet();
        StreamOwner<Face> owner = new StreamOwner<>() {
            @Override
            public ScheduledFuture<?> scheduleCloseTimeout(Runnable cut) {
                return scheduler.schedule(cut, WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }

            @Override
            public void closed(StreamEngine<Face> stream, CloseReason reason) {
                open.remove(stream);
            }

            @Override
            public void slowConsumer(StreamEngine<Face> stream, SlowConsumerPolicy policy) {}
        };
        Executor executor = FeedThreads.executor();
        WriterPool writers = WriterPool.create(1);
        HttpServlet servlet = new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                AsyncContext async = request.startAsync();
                response.setContentType("text/event-stream");
                response.flushBuffer();
                StreamEngine<Face> engine = StreamEngine.open(
                        owner,
                        async,
                        response.getOutputStream(),
                        writers,
                        256 * 1024,
                        SlowConsumerPolicy.DISCONNECT,
                        Face::new);
                open.add(engine);
                engine.start();
                if ("publisher".equals(request.getQueryString())) {
                    SubmissionPublisher<Event> publisher = new SubmissionPublisher<>();
                    PublisherFeed.start(
                            engine, publisher, event -> event, OptionalInt.empty(), Event.of("[DONE]"), null);
                    publisher.submit(Event.of("published"));
                    publisher.close();
                } else {
                    Stream<Event> events = Stream.of(Event.of("pulled"));
                    IteratorFeed.start(engine, events.iterator(), events, executor, OptionalInt.empty(), null, null);
                }
            }
        };
        try (Container.Running server = Container.JETTY.start(servlet);
                HttpEventClient published = HttpEventClient.connect(HTTP, server.uri("publisher"));
                HttpEventClient pulled = HttpEventClient.connect(HTTP, server.uri("iterator"))) {
            assertThat(published.next(2, WAIT)).extracting(Event::data).containsExactly("published", "[DONE]");
            assertThat(pulled.next(WAIT).data()).isEqualTo("pulled");
            published.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            pulled.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            await("both engines closed").atMost(WAIT).until(open::isEmpty);
        } finally {
            scheduler.shutdownNow();
            writers.shutdown(WAIT);
        }
    }
}
