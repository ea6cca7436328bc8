package io.sseline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sseline.core.Event;
import io.sseline.testing.TestCertificate;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A thousand sources to one server that allows 128 (Jetty) or 100 (Tomcat) concurrent streams per
 * HTTP/2 connection, its default, over cleartext h2c and over TLS. {@code HttpClient} alone keeps one
 * connection per server and fails the streams beyond the limit ("too many concurrent streams",
 * JDK-8225647), which used to leave all but the first 128 sources failing and retrying forever. Now
 * every source opens, none reports an error, no refused request reaches the server, and the sources
 * take as many connections as the limit needs and no more (one client, and so one selector thread,
 * per connection), since each new client's first request goes alone.
 */
class StreamLimitsIT {
    private static final int SOURCES = 1000;

    private final List<EventSource> sources = new ArrayList<>();
    private final ExecutorService httpThreads = Executors.newFixedThreadPool(4, task -> {
        Thread thread = new Thread(task, "it-http");
        thread.setDaemon(true);
        return thread;
    });

    @AfterEach
    void stop() {
        sources.forEach(EventSource::close);
        httpThreads.shutdownNow();
    }

    private static Set<Long> liveThreadIds() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getId).collect(Collectors.toSet());
    }

    /**
     * The live threads that the client side owns and that are not in {@code before}: the HTTP
     * clients', the library's, the test's own. The clients that earlier tests let go keep their
     * selector threads until they are collected; starting from the threads alive before this test
     * leaves them out.
     */
    private static List<String> clientThreadsStartedSince(Set<Long> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !before.contains(thread.getId()))
                .map(Thread::getName)
                .filter(name ->
                        name.startsWith("HttpClient-") || name.startsWith("sseline-") || name.startsWith("it-http"))
                .sorted()
                .collect(Collectors.toList());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(StreamServer.Kind.class)
    void thousandSourcesToOneServerAllOpenWithoutAnError(StreamServer.Kind kind) throws Exception {
        Set<Long> before = liveThreadIds();
        try (StreamServer server = kind.start()) {
            EventSource.Builder builder =
                    EventSource.builder(server.uri("/events")).readTimeout(Duration.ofMinutes(2));
            if (kind.tls) {
                // Clients of one's own, for the test certificate; over h2c the library's default clients.
                SSLContext tls = TestCertificate.clientContext();
                builder.httpClients(() -> HttpClient.newBuilder()
                        .sslContext(tls)
                        .executor(httpThreads)
                        .build());
            }
            Counting listener = new Counting(SOURCES);
            CountDownLatch hellos = listener.hellos;
            Queue<Throwable> errors = listener.errors;

            // All at once, as an application starts them: the first request of each client goes
            // alone, the others meet its open connection and the server's limit on it.
            for (int i = 0; i < SOURCES; i++) {
                sources.add(builder.connect(listener));
            }
            boolean all = hellos.await(60, TimeUnit.SECONDS);
            List<String> threads = clientThreadsStartedSince(before);

            assertThat(errors).as("errors").isEmpty();
            assertThat(all)
                    .as("every source got its event; %s did not", hellos.getCount())
                    .isTrue();
            assertThat(sources).allMatch(source -> source.readyState() == ReadyState.OPEN);
            assertThat(listener.versions).hasSize(SOURCES).containsOnly(HttpClient.Version.HTTP_2);
            assertThat(server.requests())
                    .as("requests that reached the server: refused ones never do")
                    .hasSize(SOURCES);
            long selectors = threads.stream()
                    .filter(name -> name.endsWith("SelectorManager"))
                    .count();
            System.out.printf(
                    "%s: %d streams open; %d client threads started for them (%d selector threads)%n",
                    kind, SOURCES, threads.size(), selectors);
            int limit = kind.name().startsWith("JETTY") ? 128 : 100;
            assertThat(selectors)
                    .as("one client, and so one selector thread, per connection the limit needs: %s", threads)
                    .isLessThanOrEqualTo((SOURCES + limit - 1) / limit + 1);
            assertThat(threads)
                    .as("client threads started for %d streams", SOURCES)
                    .hasSizeLessThanOrEqualTo(25);

            // Closing resets a thousand streams at once. Tomcat takes a burst of resets for the rapid
            // reset attack (CVE-2023-44487) and ends the connection (GOAWAY), which the sources not yet
            // closed on it report; every stream above opened without an error.
            sources.forEach(EventSource::close);
            assertThat(listener.closed.await(30, TimeUnit.SECONDS))
                    .as("every source closed")
                    .isTrue();
        }
    }

    /**
     * A client given to the builder is used as it is: it carries as many streams as the server allows
     * on its one connection, and the sources beyond that wait, connecting and without an error or a
     * request, until another stream ends.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = StreamServer.Kind.class,
            names = {"JETTY_H2C", "TOMCAT_H2C"})
    void givenClientCarriesWhatTheServerAllowsAndTheRestWait(StreamServer.Kind kind) throws Exception {
        int limit = kind == StreamServer.Kind.JETTY_H2C ? 128 : 100;
        try (StreamServer server = kind.start()) {
            HttpClient client = HttpClient.newBuilder().executor(httpThreads).build();
            EventSource.Builder builder = EventSource.builder(server.uri("/events"))
                    .httpClient(client)
                    .readTimeout(Duration.ofMinutes(2));
            Counting listener = new Counting(limit + 1);
            CountDownLatch hellos = listener.hellos;
            Queue<Throwable> errors = listener.errors;
            sources.add(builder.connect(listener));
            await("the first source's event").until(() -> hellos.getCount() == limit);
            for (int i = 1; i < limit + 2; i++) {
                sources.add(builder.connect(listener));
            }
            await("the server's limit of streams").until(() -> hellos.getCount() == 1);

            assertThat(server.requests()).hasSize(limit);
            assertThat(sources.stream().filter(s -> s.readyState() == ReadyState.CONNECTING))
                    .as("sources waiting for a stream")
                    .hasSize(2);
            assertThat(errors).isEmpty();

            sources.stream()
                    .filter(s -> s.readyState() == ReadyState.OPEN)
                    .findFirst()
                    .orElseThrow()
                    .close();
            assertThat(hellos.await(10, TimeUnit.SECONDS))
                    .as("a waiting source opened when a stream ended")
                    .isTrue();
            assertThat(server.requests()).hasSize(limit + 1);
            assertThat(errors).isEmpty();
        }
    }

    /** Counts the sources' events and closes, and keeps their errors and HTTP versions. */
    private static final class Counting implements EventSourceListener {
        final CountDownLatch hellos;
        final CountDownLatch closed;
        final Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
        final Queue<HttpClient.Version> versions = new ConcurrentLinkedQueue<>();

        Counting(int sources) {
            hellos = new CountDownLatch(sources);
            closed = new CountDownLatch(sources);
        }

        @Override
        public void onOpen(EventSource source, HttpResponse.ResponseInfo response) {
            versions.add(response.version());
        }

        @Override
        public void onEvent(EventSource source, Event event) {
            hellos.countDown();
        }

        @Override
        public void onError(EventSource source, Throwable error, boolean willReconnect) {
            errors.add(error);
        }

        @Override
        public void onClosed(EventSource source) {
            closed.countDown();
        }
    }
}
