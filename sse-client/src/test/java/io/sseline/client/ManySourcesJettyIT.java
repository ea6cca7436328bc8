package io.sseline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sseline.core.Event;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.util.FutureCallback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Many event sources on one HTTP client against Jetty: shared connections and a flat thread count. */
class ManySourcesJettyIT {
    @RegisterExtension
    final EventSourceRecorder recorder = new EventSourceRecorder();

    private JettyServer jetty;
    private final List<EventSource> sources = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        jetty = new JettyServer(16);
    }

    @AfterEach
    void stop() throws Exception {
        sources.forEach(EventSource::close);
        jetty.close();
    }

    /** All live threads of the JVM: test, Jetty, HTTP client and library alike. */
    private static int liveThreads() {
        return Thread.getAllStackTraces().size();
    }

    @Test
    void severalHttp2StreamsShareOneConnection() throws Exception {
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        List<EventSourceRecorder> recorders = new ArrayList<>();
        List<JettyServer.Exchange> exchanges = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            EventSourceRecorder recorder = this.recorder.another();
            recorders.add(recorder);
            sources.add(EventSource.builder(jetty.uri("/events/" + i))
                    .httpClient(client)
                    .connect(recorder));
            JettyServer.Exchange exchange = jetty.accept();
            exchange.streamHead().write("data: " + i + "\n\n");
            recorder.expectOpen();
            exchanges.add(exchange);
        }

        for (int i = 0; i < 5; i++) {
            assertThat(recorders.get(i).expectData()).isEqualTo(Integer.toString(i));
            assertThat(exchanges.get(i).httpVersion()).isEqualTo("HTTP/2.0");
            assertThat(exchanges.get(i).request.getConnectionMetaData().getRemoteSocketAddress())
                    .as("the client's end of the connection")
                    .isEqualTo(exchanges.get(0).request.getConnectionMetaData().getRemoteSocketAddress());
        }
    }

    /**
     * A thousand open streams cost no thread each: after the first few sources are open, opening
     * the rest and receiving events on all of them leaves the number of live threads where it was.
     * The HTTP client gets a fixed executor because its default, a cached pool, may start threads for
     * a burst of work whoever the caller is.
     */
    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void thousandSourcesOnOneClientKeepTheThreadCountFlat(HttpClient.Version version) throws Exception {
        int count = 1000;
        Queue<JettyServer.Exchange> open = new ConcurrentLinkedQueue<>();
        Queue<FutureCallback> firstWrites = new ConcurrentLinkedQueue<>();
        jetty.respondWith(exchange -> {
            exchange.streamHead();
            firstWrites.add(exchange.writeAsync("data: hello\n\n"));
            open.add(exchange);
        });
        ExecutorService clientExecutor = Executors.newFixedThreadPool(2, task -> {
            Thread thread = new Thread(task, "http-client");
            thread.setDaemon(true);
            return thread;
        });
        HttpClient client = HttpClient.newBuilder()
                .version(version)
                .executor(clientExecutor)
                .build();
        CountDownLatch hellos = new CountDownLatch(count);
        CountDownLatch ticks = new CountDownLatch(count);
        CountDownLatch closed = new CountDownLatch(count);
        AtomicInteger errors = new AtomicInteger();
        EventSourceListener listener = new EventSourceListener() {
            @Override
            public void onEvent(EventSource source, Event event) {
                (event.data().equals("hello") ? hellos : ticks).countDown();
            }

            @Override
            public void onError(EventSource source, Throwable error, boolean willReconnect) {
                errors.incrementAndGet();
            }

            @Override
            public void onClosed(EventSource source) {
                closed.countDown();
            }
        };
        EventSource.Builder builder =
                EventSource.builder(jetty.uri("/events")).httpClient(client).readTimeout(Duration.ofMinutes(1));
        try {
            int warmUp = 10;
            // The first source sets up the connection (over HTTP/2, the upgrade) that later ones share.
            sources.add(builder.connect(listener));
            await("the first source got its event").until(() -> hellos.getCount() == count - 1);
            for (int i = 1; i < warmUp; i++) {
                sources.add(builder.connect(listener));
            }
            await("the first sources got their event").until(() -> hellos.getCount() == count - warmUp);
            int baseline = liveThreads();

            for (int i = warmUp; i < count; i++) {
                sources.add(builder.connect(listener));
            }
            assertThat(hellos.await(30, TimeUnit.SECONDS))
                    .as("every source got its first event")
                    .isTrue();
            int afterOpen = liveThreads();
            for (FutureCallback write : firstWrites) {
                write.get(10, TimeUnit.SECONDS);
            }
            for (JettyServer.Exchange exchange : open) {
                exchange.writeAsync("data: tick\n\n");
            }
            assertThat(ticks.await(30, TimeUnit.SECONDS))
                    .as("every source got the broadcast")
                    .isTrue();
            int afterBroadcast = liveThreads();

            assertThat(open).hasSize(count);
            assertThat(errors).hasValue(0);
            assertThat(afterOpen)
                    .as("live threads with %d streams open, %d with %d", count, baseline, warmUp)
                    .isLessThanOrEqualTo(baseline + 2);
            assertThat(afterBroadcast).as("live threads after the broadcast").isLessThanOrEqualTo(baseline + 2);
            assertThat(sources).allMatch(source -> source.readyState() == ReadyState.OPEN);

            sources.forEach(EventSource::close);
            assertThat(closed.await(30, TimeUnit.SECONDS))
                    .as("every source closed")
                    .isTrue();
        } finally {
            clientExecutor.shutdownNow();
        }
    }
}
