package io.sseline.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the MockWebServer tests of {@link EventSource} share: a server started and closed around
 * each test, a recorder, the failures the reconnect policy saw, and a builder with small delays and
 * no jitter, so that tests are fast and delays exact.
 */
abstract class MockServerFixture {
    final MockWebServer server = new MockWebServer();
    final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @RegisterExtension
    final EventSourceRecorder recorder = new EventSourceRecorder();

    final List<ReconnectPolicy.Failure> failures = new CopyOnWriteArrayList<>();
    /** The source under test, closed after the test. */
    @Nullable
    EventSource source;

    private final Duration maxReconnectDelay;

    MockServerFixture(Duration maxReconnectDelay) {
        this.maxReconnectDelay = maxReconnectDelay;
    }

    @BeforeEach
    void startServer() throws IOException {
        server.start();
    }

    @AfterEach
    void stopServer() {
        if (source != null) {
            source.close();
        }
        server.close();
    }

    /** The next request that reached the server; fails after 10 s. */
    RecordedRequest takeRequest() throws InterruptedException {
        return takeRequest(server);
    }

    /** The next request that reached {@code from}; fails after 10 s. */
    static RecordedRequest takeRequest(MockWebServer from) throws InterruptedException {
        RecordedRequest request = from.takeRequest(10, TimeUnit.SECONDS);
        assertThat(request).as("a request within 10 s").isNotNull();
        return request;
    }

    static MockResponse stream(String body) {
        return new MockResponse.Builder()
                .setHeader("Content-Type", "text/event-stream")
                .body(body)
                .build();
    }

    static MockResponse status(int code) {
        return new MockResponse.Builder().code(code).build();
    }

    /** Small delays and no jitter, so that tests are fast and delays exact. */
    Backoff backoff() {
        return Backoff.defaults()
                .withInitialDelay(Duration.ofMillis(10))
                .withMinDelay(Duration.ofMillis(10))
                .withMaxDelay(maxReconnectDelay)
                .withJitter(0);
    }

    EventSource.Builder builder() {
        return EventSource.builder(server.url("/events").uri())
                .httpClient(client)
                .backoff(backoff())
                .reconnectPolicy(failure -> {
                    failures.add(failure);
                    return failure.proposedDelay();
                });
    }
}
