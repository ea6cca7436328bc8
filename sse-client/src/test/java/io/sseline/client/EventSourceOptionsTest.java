package io.sseline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sseline.core.Event;
import java.io.EOFException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;

/** The builder's options: executors, limits on reconnection, backoff reset and failing hooks. */
class EventSourceOptionsTest extends MockServerFixture {
    EventSourceOptionsTest() {
        super(Duration.ofMillis(100));
    }

    @Test
    void callbacksRunOnTheCallbackExecutor() throws Exception {
        server.enqueue(stream("data: 1\n\n"));
        server.enqueue(status(204));
        ExecutorService executor = Executors.newSingleThreadExecutor(task -> new Thread(task, "callbacks"));
        List<String> threads = new CopyOnWriteArrayList<>();
        try {
            source = builder()
                    .callbackExecutor(executor)
                    .connect(recorder.onEach(
                            callback -> threads.add(Thread.currentThread().getName())));

            recorder.expectOpen();
            recorder.expectData();
            recorder.expectError(EOFException.class, true);
            recorder.expectClosed();
            assertThat(threads).hasSize(4).containsOnly("callbacks");
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void openReportsStatusHeadersAndVersion() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .setHeader("Content-Type", "text/event-stream")
                .setHeader("X-Stream", "s1")
                .body("")
                .build());
        LinkedBlockingQueue<HttpResponse.ResponseInfo> opened = new LinkedBlockingQueue<>();
        source = builder().maxReconnectAttempts(0).connect(new EventSourceListener() {
            @Override
            public void onOpen(EventSource source, HttpResponse.ResponseInfo response) {
                opened.add(response);
            }
        });

        HttpResponse.ResponseInfo info = opened.poll(10, TimeUnit.SECONDS);
        assertThat(info).isNotNull();
        assertThat(info.statusCode()).isEqualTo(200);
        assertThat(info.headers().firstValue("X-Stream")).hasValue("s1");
        assertThat(info.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    }

    @Test
    void backoffStartsOverAfterAStreamStayedOpen() throws Exception {
        server.enqueue(status(503));
        server.enqueue(status(503));
        server.enqueue(stream("data: up\n\n"));
        server.enqueue(status(503));
        server.enqueue(status(204));
        source = builder().backoff(backoff().withResetAfter(Duration.ZERO)).connect(recorder);

        recorder.expectError(UnexpectedResponseException.class, true);
        recorder.expectError(UnexpectedResponseException.class, true);
        recorder.expectOpen();
        recorder.expectData();
        recorder.expectError(EOFException.class, true);
        recorder.expectError(UnexpectedResponseException.class, true);
        recorder.expectClosed();

        assertThat(failures).extracting(ReconnectPolicy.Failure::attempt).containsExactly(1, 2, 1, 2);
    }

    @Test
    void backoffKeepsCountingWhileStreamsEndEarly() throws Exception {
        server.enqueue(status(503));
        server.enqueue(stream("data: up\n\n"));
        server.enqueue(status(204));
        source = builder().connect(recorder); // the default reset needs 60 s of open stream

        recorder.expectError(UnexpectedResponseException.class, true);
        recorder.expectOpen();
        recorder.expectData();
        recorder.expectError(EOFException.class, true);
        recorder.expectClosed();

        assertThat(failures).extracting(ReconnectPolicy.Failure::attempt).containsExactly(1, 2);
    }

    @Test
    void reconnectTimeIsLimited() throws Exception {
        for (int i = 0; i < 50; i++) {
            server.enqueue(status(503));
        }
        source = builder()
                .backoff(backoff().withInitialDelay(Duration.ofMillis(40)).withMultiplier(1))
                .maxReconnectTime(Duration.ofMillis(100))
                .connect(recorder);

        while (true) {
            EventSourceRecorder.Callback callback = recorder.next();
            assertThat(callback.kind()).isEqualTo("error");
            if (!callback.willReconnect()) {
                break;
            }
        }
        recorder.expectClosed();

        ReconnectPolicy.Failure last = failures.get(failures.size() - 1);
        assertThat(last.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(100));
        assertThat(last.proposedDelay()).isEmpty();
        assertThat(failures.subList(0, failures.size() - 1))
                .allSatisfy(f -> assertThat(f.elapsed()).isLessThan(Duration.ofMillis(100)));
    }

    @Test
    void refusedConnectionIsRetried() throws Exception {
        URI closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/events");
        }
        source = EventSource.builder(closedPort)
                .httpClient(client)
                .backoff(backoff())
                .maxReconnectAttempts(1)
                .connect(recorder);

        recorder.expectError(java.net.ConnectException.class, true);
        recorder.expectError(java.net.ConnectException.class, false);
        recorder.expectClosed();
    }

    @Test
    void failingHeaderSupplierClosesTheSourceWithItsError() throws Exception {
        IllegalStateException noToken = new IllegalStateException("no token");
        source = builder()
                .headers(() -> {
                    throw noToken;
                })
                .connect(recorder);

        assertThat(recorder.expectError(IllegalStateException.class, false)).isSameAs(noToken);
        recorder.expectClosed();
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void negativeDelayFromThePolicyClosesTheSource() throws Exception {
        server.enqueue(status(503));
        source = builder()
                .reconnectPolicy(failure -> Optional.of(Duration.ofMillis(-1)))
                .connect(recorder);

        UnexpectedResponseException error = recorder.expectError(UnexpectedResponseException.class, false);
        recorder.expectClosed();
        assertThat(error.getSuppressed())
                .singleElement()
                .satisfies(e -> assertThat(e)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("negative delay"));
    }

    @Test
    void listenerThatThrowsDoesNotStopTheStream() throws Exception {
        server.enqueue(stream("data: 1\n\ndata: 2\n\n"));
        List<String> seen = new CopyOnWriteArrayList<>();
        source = builder().maxReconnectAttempts(0).connect(new EventSourceListener() {
            @Override
            public void onEvent(EventSource source, Event event) {
                seen.add(event.data());
                throw new IllegalStateException("listener bug, expected by the test");
            }

            @Override
            public void onClosed(EventSource source) {
                seen.add("closed");
            }
        });

        await("the source closed").until(() -> seen.contains("closed"));
        assertThat(seen).containsExactly("1", "2", "closed");
    }

    @Test
    void lastEventIdIsVisibleInsideTheCallbacks() throws Exception {
        server.enqueue(stream("id: a\ndata: 1\n\nid: b\ndata: 2\n\n"));
        List<String> ids = new CopyOnWriteArrayList<>();
        source = builder().maxReconnectAttempts(0).build(recorder);
        EventSource self = source;
        source.addEventHandler("message", (src, event) -> ids.add(src.lastEventId() + "/" + self.readyState()));
        source.connect();

        recorder.expectOpen();
        recorder.expectData();
        recorder.expectData();
        recorder.expectError(EOFException.class, false);
        recorder.expectClosed();
        assertThat(ids).containsExactly("a/OPEN", "b/OPEN");
    }
}
