package io.sseline.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.sseline.core.Event;
import io.sseline.testing.Container;
import io.sseline.testing.HttpEventClient;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link EventStreamConfig.Builder#feedExecutor}, in Jetty 12 and Tomcat 11: iterator and stream
 * feeds are pulled on the executor the application gives, and one that refuses closes the stream
 * and its source rather than leaving the client waiting.
 */
class FeedExecutorTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final HttpClient HTTP = HttpEventClient.http11();

    @ParameterizedTest
    @EnumSource(Container.class)
    void aStreamIsPulledOnTheConfiguredExecutor(Container container) throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor(task -> new Thread(task, "application-feed"));
        AtomicReference<String> puller = new AtomicReference<>();
        EventStreamConfig config = EventStreamConfig.builder()
                .heartbeatInterval(Duration.ZERO)
                .feedExecutor(pool)
                .build();
        RecordingServlet servlet = new RecordingServlet(
                config,
                (stream, request) -> stream.feed(
                        Stream.of("a", "b").map(data -> {
                            puller.set(Thread.currentThread().getName());
                            return Event.of(data);
                        }),
                        FeedOptions.defaults()));
        try (Container.Running server = container.start(servlet);
                HttpEventClient client = HttpEventClient.connect(HTTP, server.uri())) {
            assertThat(client.next(2, WAIT)).extracting(Event::data).containsExactly("a", "b");
            assertThat(puller.get()).isEqualTo("application-feed");
            assertThat(servlet.awaitClosed(WAIT).reason()).isEqualTo(CloseReason.CLOSED);
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void anExecutorThatRefusesClosesTheStreamAndTheSource(Container container) throws Exception {
        AtomicBoolean sourceClosed = new AtomicBoolean();
        EventStreamConfig config = EventStreamConfig.builder()
                .heartbeatInterval(Duration.ZERO)
                .feedExecutor(task -> {
                    throw new RejectedExecutionException("full");
                })
                .build();
        RecordingServlet servlet = new RecordingServlet(
                config,
                (stream, request) -> stream.feed(
                        Stream.of(Event.of("never")).onClose(() -> sourceClosed.set(true)), FeedOptions.defaults()));
        try (Container.Running server = container.start(servlet);
                HttpEventClient client = HttpEventClient.connect(HTTP, server.uri())) {
            assertThat(servlet.awaitClosed(WAIT).reason()).isEqualTo(CloseReason.CLOSED);
            assertThat(sourceClosed).isTrue();
            client.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(client.drainReceived()).isEmpty();
        }
    }
}
