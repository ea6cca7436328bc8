package io.sseline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sseline.core.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The threads of sources that name no client and no callback executor, against a real Jetty. These
 * run against the jar, which is multi-release: on JDK 21 and later its callbacks run on virtual
 * threads, on JDK 17 on the small shared pool of the default clients.
 */
class DefaultThreadsIT {
    @RegisterExtension
    final EventSourceRecorder recorder = new EventSourceRecorder();

    private static final boolean VIRTUAL = Runtime.version().feature() >= 21;

    private JettyServer jetty;
    private final Queue<JettyServer.Exchange> open = new ConcurrentLinkedQueue<>();
    private final List<EventSource> sources = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        jetty = new JettyServer(16);
        jetty.respondWith(exchange -> {
            exchange.streamHead().writeAsync("data: hello\n\n");
            open.add(exchange);
        });
    }

    @AfterEach
    void stop() throws Exception {
        sources.forEach(EventSource::close);
        jetty.close();
    }

    private EventSource connect(String path, EventSourceListener listener) {
        EventSource source = EventSource.builder(jetty.uri(path)).connect(listener);
        sources.add(source);
        return source;
    }

    /**
     * Live threads of the HTTP clients and of the library, and the carriers of virtual threads
     * (ForkJoinPool workers) on JDK 21 and later.
     */
    private static List<String> clientThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName)
                .filter(name -> name.startsWith("HttpClient-")
                        || name.startsWith("sseline-")
                        || name.startsWith("ForkJoinPool-"))
                .sorted()
                .collect(Collectors.toList());
    }

    @Test
    void callbacksRunOnVirtualThreadsFromJdk21AndOnTheSharedPoolBefore() throws Exception {
        Queue<String> threads = new ConcurrentLinkedQueue<>();
        CountDownLatch events = new CountDownLatch(1);
        connect("/events", new EventSourceListener() {
            @Override
            public void onEvent(EventSource source, Event event) {
                threads.add(Thread.currentThread().toString());
                events.countDown();
            }
        });

        assertThat(events.await(10, TimeUnit.SECONDS)).isTrue();
        if (VIRTUAL) {
            assertThat(threads)
                    .singleElement()
                    .asString()
                    .startsWith("VirtualThread")
                    .contains("sseline-callbacks");
        } else {
            assertThat(threads).singleElement().asString().contains("sseline-http-");
        }
    }

    /**
     * Listeners that block hold up their own source only. On JDK 21+, fifty of them (more than any
     * pool of platform threads the library has) block on virtual threads; on JDK 17 one blocks a
     * thread of the shared pool, and the others serve the rest.
     */
    @Test
    void blockedListenersStallNoOtherSource() throws Exception {
        int blocked = VIRTUAL ? 50 : 1;
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocking = new CountDownLatch(blocked);
        for (int i = 0; i < blocked; i++) {
            connect("/blocked/" + i, new EventSourceListener() {
                @Override
                public void onEvent(EventSource source, Event event) {
                    blocking.countDown();
                    try {
                        release.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
        }
        assertThat(blocking.await(10, TimeUnit.SECONDS))
                .as("every blocking listener is blocked")
                .isTrue();
        EventSourceRecorder free = recorder;
        connect("/free", free);
        try {
            free.expectOpen();
            assertThat(free.expectData()).isEqualTo("hello");
            await("the free stream's exchange").until(() -> open.size() == blocked + 1);
            JettyServer.Exchange freeExchange = open.stream()
                    .filter(e -> e.request.getHttpURI().getPath().equals("/free"))
                    .findFirst()
                    .orElseThrow();
            freeExchange.write("data: still flowing\n\n");
            assertThat(free.expectData()).isEqualTo("still flowing");
        } finally {
            release.countDown();
        }
    }

    /**
     * A thousand streams on the default clients run on a handful of threads: the JDK's default
     * executor would start a thread for each piece of work that finds the others busy.
     */
    @Test
    void thousandStreamsOnTheDefaultClientsRunOnAFewThreads() throws Exception {
        int count = 1000;
        CountDownLatch hellos = new CountDownLatch(count);
        EventSourceListener listener = new EventSourceListener() {
            @Override
            public void onEvent(EventSource source, Event event) {
                hellos.countDown();
            }
        };
        for (int i = 0; i < count; i++) {
            EventSource source = EventSource.builder(jetty.uri("/events/" + i))
                    .readTimeout(Duration.ofMinutes(1))
                    .connect(listener);
            sources.add(source);
        }
        assertThat(hellos.await(60, TimeUnit.SECONDS))
                .as("every source got its event")
                .isTrue();
        for (JettyServer.Exchange exchange : open) {
            exchange.writeAsync("data: tick\n\n");
        }

        List<String> threads = clientThreads();
        System.out.printf("default clients: %d streams on %d threads: %s%n", count, threads.size(), threads);
        assertThat(threads).as("threads of the HTTP clients and the library").hasSizeLessThanOrEqualTo(12);
    }
}
