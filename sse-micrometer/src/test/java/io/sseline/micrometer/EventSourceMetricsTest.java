package io.sseline.micrometer;

import static io.sseline.micrometer.Meters.counter;
import static io.sseline.micrometer.Meters.gauge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sseline.client.Backoff;
import io.sseline.client.EventSource;
import io.sseline.client.EventSourceListener;
import io.sseline.core.Event;
import io.sseline.core.EventCodec;
import io.sseline.servlet.EventStream;
import io.sseline.servlet.EventStreams;
import io.sseline.testing.Container;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The meters of {@link EventSourceMetrics}, for a real {@link EventSource} reading a real server in
 * Jetty that ends the stream, fails with 503 and then with 404.
 */
class EventSourceMetricsTest {
    static final Duration WAIT = Duration.ofSeconds(20);

    /** First request: an event stream the test drives; then 503 (retried); then 404 (not retried). */
    static final class ScriptedServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        final transient EventStreams streams = EventStreams.create();
        final transient BlockingQueue<EventStream> opened = new LinkedBlockingQueue<>();
        final AtomicInteger requests = new AtomicInteger();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            switch (requests.incrementAndGet()) {
                case 1 -> opened.add(streams.open(request, response));
                case 2 -> response.sendError(503);
                default -> response.sendError(404);
            }
        }
    }

    @Test
    void countsOpenSourcesEventsReconnectsByCauseAndTheFinalFailure() throws Exception {
        ScriptedServlet servlet = new ScriptedServlet();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        EventSourceMetrics metrics = new EventSourceMetrics(Tags.of("feed", "ticks"));
        metrics.bindTo(registry);
        List<String> seen = new CopyOnWriteArrayList<>();
        EventSourceListener listener = new EventSourceListener() {
            @Override
            public void onEvent(EventSource source, Event event) {
                seen.add(event.data());
            }

            @Override
            public void onError(EventSource source, Throwable error, boolean willReconnect) {
                seen.add("error " + error.getClass().getSimpleName() + " " + willReconnect);
            }

            @Override
            public void onClosed(EventSource source) {
                seen.add("closed");
            }
        };
        EventCodec<Integer> numbers = new EventCodec<>() {
            @Override
            public java.lang.reflect.Type type() {
                return Integer.class;
            }

            @Override
            public String encode(Integer value) {
                return value.toString();
            }

            @Override
            public Integer decode(String data) {
                return Integer.valueOf(data);
            }
        };
        List<Integer> decoded = new CopyOnWriteArrayList<>();
        try (Container.Running server = Container.JETTY.start(servlet);
                EventSource source = EventSource.builder(server.uri())
                        .backoff(Backoff.defaults()
                                .withInitialDelay(Duration.ofMillis(20))
                                .withJitter(0))
                        .build(metrics.instrument(listener))) {
            source.addEventHandler("n", numbers, (src, n) -> decoded.add(n));
            source.connect();
            EventStream stream = servlet.opened.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(stream).isNotNull();
            stream.send(Event.of("1").withType("n"));
            stream.send(Event.of("two").withType("n"));
            stream.send(Event.of("3").withType("n"));
            await("three events").atMost(WAIT).until(() -> decoded.size() == 2 && seen.size() == 4);

            assertThat(gauge(registry, "sseline.client.sources.open", "feed", "ticks"))
                    .isEqualTo(1);
            assertThat(counter(registry, "sseline.client.connections")).isEqualTo(1);
            assertThat(counter(registry, "sseline.client.events.received")).isEqualTo(3);
            assertThat(counter(registry, "sseline.client.decode.failures")).isEqualTo(1);
            assertThat(seen).as("the listener still hears everything").contains("1", "two", "3");

            stream.close(); // end of stream: retried; then 503: retried; then 404: given up
            await("the source to close").atMost(WAIT).until(() -> seen.contains("closed"));

            assertThat(seen)
                    .containsSubsequence(
                            "error EOFException true",
                            "error UnexpectedResponseException true",
                            "error UnexpectedResponseException false",
                            "closed");
            assertThat(gauge(registry, "sseline.client.sources.open")).isZero();
            assertThat(counter(registry, "sseline.client.reconnects", "cause", "end_of_stream"))
                    .isEqualTo(1);
            assertThat(counter(registry, "sseline.client.reconnects", "cause", "unexpected_response"))
                    .isEqualTo(1);
            assertThat(counter(registry, "sseline.client.failures", "cause", "unexpected_response"))
                    .isEqualTo(1);
            for (String cause : new String[] {"timeout", "limit", "io", "other"}) {
                assertThat(counter(registry, "sseline.client.reconnects", "cause", cause))
                        .as(cause)
                        .isZero();
            }
            assertThat(counter(registry, "sseline.client.connections")).isEqualTo(1);
            assertThat(servlet.requests).hasValue(3);
        } finally {
            servlet.streams.shutdown();
        }
    }
}
