package io.sseline.examples.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sseline.core.Event;
import io.sseline.core.EventParser;
import io.sseline.servlet.EventStream;
import io.sseline.servlet.EventStreamConfig;
import io.sseline.testing.RawClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The relay end to end, from the fake model's socket to a browser's: tokens arrive in order and end
 * with {@code [DONE]}; a browser that stops reading stops the upstream (whose writes block) while
 * the relay holds a bounded number of bytes; a browser that leaves cancels the upstream request at
 * once. Every socket buffer on the path is set small ({@link #SOCKET_BUFFER}), so that the bound is
 * tight: what the model wrote and the browser did not read sits in those buffers and the relay.
 */
class RelayIT {
    static final Duration WAIT = Duration.ofSeconds(20);
    /**
     * SO_SNDBUF of the model's and the relay's accepted sockets, SO_RCVBUF of the browser's and of the
     * relay's client socket.
     */
    static final int SOCKET_BUFFER = 16 * 1024;
    /** The relay stream's queue bound. */
    static final int MAX_QUEUED = 64 * 1024;
    /** The feed's low-water mark: half the queue bound, by default. */
    static final int MARK = MAX_QUEUED / 2;
    /** More than the bytes of any one token event the fake model sends. */
    static final int MAX_TOKEN_EVENT = 256;
    /**
     * What the path may hold besides the relay's queue: the socket buffers of both connections (the
     * kernel doubles what is set), the containers' and the HTTP client's own buffers, and the events
     * of one chunk that the relay has parsed. Without back-pressure the model would write gigabytes.
     */
    static final long SLACK = 256 * 1024;

    /**
     * How soon the relay's stream must close after its browser left: the library's part, which
     * cancels the feed and with it the upstream body in the same call.
     */
    static final Duration RELAY_CLOSES_WITHIN = Duration.ofSeconds(2);
    /**
     * How soon the fake model's blocked write must fail after the browser left. The JDK client closes a
     * cancelled connection in two steps: it shuts down its output at once (the upstream sees a FIN,
     * as {@link #aBrowserThatLeavesBeforeTheUpstreamAnswersCancelsTheUpstreamRequest} measures), and
     * releases the socket, which resets the connection, when its selector thread next wakes: at once
     * while other traffic keeps it busy, after up to 3 s ({@code jdk.internal.httpclient.selectorTimeout})
     * when the client is otherwise idle, as it is while a stalled relay reads nothing. A writer blocked
     * on a full window, as the model is, fails only at the reset. Without cancellation it would block
     * until an idle timeout (30 s in Jetty) or forever.
     */
    static final Duration UPSTREAM_RELEASED_WITHIN = Duration.ofSeconds(5);

    private static @Nullable String receiveBufferBefore;

    /**
     * The relay's HTTP client reads the model's stream through a socket whose receive buffer would
     * otherwise grow by TCP auto-tuning (to 32 MiB here) while the relay reads fast: pinned, so that
     * what the kernel may hold is known. The JDK client reads the property at each connection.
     */
    @BeforeAll
    static void pinTheRelaysReceiveBuffer() {
        receiveBufferBefore = System.setProperty("jdk.httpclient.receiveBufferSize", Integer.toString(SOCKET_BUFFER));
    }

    @AfterAll
    static void restoreTheReceiveBuffer() {
        if (receiveBufferBefore == null) {
            System.clearProperty("jdk.httpclient.receiveBufferSize");
        } else {
            System.setProperty("jdk.httpclient.receiveBufferSize", receiveBufferBefore);
        }
    }

    private static EventStreamConfig config() {
        return EventStreamConfig.builder()
                .maxQueuedBytes(MAX_QUEUED)
                .heartbeatInterval(Duration.ZERO)
                .build();
    }

    @Test
    void tokensArriveInOrderAndEndWithDone() throws Exception {
        try (RelayServer relay = RelayServer.start(0, null, "", Duration.ZERO, config());
                RawClient browser = RawClient.get(relay.port(), "/relay?prompt=hi&max_tokens=50", Map.of())) {
            assertThat(browser.status()).isEqualTo(200);
            assertThat(browser.headers().get("content-type")).startsWith("text/event-stream");
            Events events = new Events(browser.body());
            for (int i = 0; i < 50; i++) {
                assertThat(events.next().data()).startsWith("{\"choices\":[{\"delta\":{\"content\":");
            }
            assertThat(events.next().data()).isEqualTo("[DONE]");
            assertThat(events.atEnd())
                    .as("the relay closes the stream after the upstream ended")
                    .isTrue();
            assertThat(relay.llm().requests()).isEqualTo(1);
        }
    }

    @Test
    void aBrowserThatStopsReadingStallsTheUpstreamAndTheRelayHoldsABoundedAmount() throws Exception {
        try (RelayServer relay = RelayServer.start(0, null, "", Duration.ZERO, config(), SOCKET_BUFFER);
                RawClient browser =
                        RawClient.get(relay.port(), "/relay?max_tokens=100000000", Map.of(), SOCKET_BUFFER)) {
            FakeLlm llm = relay.llm();

            // The browser reads nothing: the model's writes block once the path is full.
            await(
                    "the model's write blocked for a second",
                    () -> llm.currentWriteBlocked().compareTo(Duration.ofSeconds(1)) >= 0);
            long held = llm.bytesWritten();
            System.out.printf(
                    "relay: the model wrote %,d bytes, the browser read none: %,d bytes on the path"
                            + " (bound %,d = queue %,d + slack %,d)%n",
                    held, held, MAX_QUEUED + SLACK, MAX_QUEUED, SLACK);
            assertThat(held).isLessThanOrEqualTo(MAX_QUEUED + SLACK);
            assertThat(held).as("the path is full, not empty").isGreaterThan(MAX_QUEUED / 2);

            // Of that, the relay's own queue holds what the feed asked for below the low-water mark:
            // at least the mark (the feed stopped because it was reached) and less than one token more.
            // Without the mark, the stream would take events until its bound and then drop the browser.
            EventStream stream = relay.streams().openStreams().get(0);
            System.out.printf(
                    "relay: the relay's queue holds %,d bytes (low-water mark %,d)%n", stream.queuedBytes(), MARK);
            assertThat(stream.queuedBytes()).isBetween(MARK, MARK + MAX_TOKEN_EVENT);
            assertThat(relay.streams().slowConsumerCount()).isZero();

            // The browser reads again: the relay and the model go on from where they stopped (a
            // megabyte more than was held can only come from the model writing again).
            Events events = new Events(browser.body());
            while (events.bytesRead() < held + 1_000_000) {
                assertThat(events.next().data()).startsWith("{\"choices\"");
            }

            // The browser goes away while the path is full: the model sees its request cancelled.
            await("the path full again", () -> llm.currentWriteBlocked().compareTo(Duration.ofMillis(200)) >= 0);
            long inFlightAgain = llm.bytesWritten() - events.bytesRead();
            System.out.printf(
                    "relay: after the browser read %,d bytes and stopped again: %,d bytes on the path%n",
                    events.bytesRead(), inFlightAgain);
            assertThat(inFlightAgain).isLessThanOrEqualTo(MAX_QUEUED + SLACK);
            long closed = System.nanoTime();
            browser.abort();
            await("the relay's stream closed", () -> relay.streams().openCount() == 0);
            Duration relayClosed = Duration.ofNanos(System.nanoTime() - closed);
            await("the model's write failed", () -> llm.readerGoneAt() != 0);
            Duration latency = Duration.ofNanos(llm.readerGoneAt() - closed);
            System.out.printf(
                    "relay: a stalled browser left; the relay's stream closed %d ms later, the model's write failed"
                            + " %d ms later%n",
                    relayClosed.toMillis(), latency.toMillis());
            assertThat(relayClosed).isLessThan(RELAY_CLOSES_WITHIN);
            assertThat(latency).isLessThan(UPSTREAM_RELEASED_WITHIN);
            assertThat(llm.requests()).isEqualTo(1);
        }
    }

    @Test
    void aBrowserThatLeavesMidStreamCancelsTheUpstreamAtOnce() throws Exception {
        try (RelayServer relay = RelayServer.start(0, null, "", Duration.ofMillis(1), config());
                RawClient browser = RawClient.get(relay.port(), "/relay?max_tokens=100000000", Map.of())) {
            FakeLlm llm = relay.llm();
            Events events = new Events(browser.body());
            for (int i = 0; i < 100; i++) {
                events.next();
            }

            long closed = System.nanoTime();
            browser.socket().close(); // a FIN, as a closed tab sends

            await("the relay's stream closed", () -> relay.streams().openCount() == 0);
            Duration relayClosed = Duration.ofNanos(System.nanoTime() - closed);
            await("the model's write failed", () -> llm.readerGoneAt() != 0);
            Duration latency = Duration.ofNanos(llm.readerGoneAt() - closed);
            System.out.printf(
                    "relay: a reading browser left; the relay's stream closed %d ms later, the model's write failed"
                            + " %d ms later%n",
                    relayClosed.toMillis(), latency.toMillis());
            assertThat(relayClosed).isLessThan(RELAY_CLOSES_WITHIN);
            assertThat(latency).isLessThan(UPSTREAM_RELEASED_WITHIN);
        }
    }

    @Test
    void aBrowserThatLeavesBeforeTheUpstreamAnswersCancelsTheUpstreamRequest() throws Exception {
        // An upstream that takes the request and never answers, as a model that is slow to start;
        // heartbeats let the relay notice a browser that left while nothing else was written.
        EventStreamConfig heartbeats =
                config().toBuilder().heartbeatInterval(Duration.ofMillis(100)).build();
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                RelayServer relay = RelayServer.start(
                        0,
                        URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/v1/chat/completions"),
                        "",
                        Duration.ZERO,
                        heartbeats);
                RawClient browser = RawClient.get(relay.port(), "/relay?prompt=hi", Map.of());
                Socket upstream = silent.accept()) {
            upstream.setSoTimeout((int) WAIT.toMillis());
            InputStream request = upstream.getInputStream();
            StringBuilder received = new StringBuilder();
            byte[] buffer = new byte[8192];
            while (!received.toString().contains("\"max_tokens\"")) { // the request's head and body
                int n = request.read(buffer);
                assertThat(n).as("the relay's request").isPositive();
                received.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
            assertThat(received.toString()).startsWith("POST /v1/chat/completions HTTP/1.1");

            long closed = System.nanoTime();
            browser.socket().close();

            int end;
            try {
                end = request.read(buffer);
            } catch (SocketException reset) {
                end = -1;
            }
            Duration latency = Duration.ofNanos(System.nanoTime() - closed);
            System.out.printf(
                    "relay: a browser left before the upstream answered; the upstream connection closed %d ms"
                            + " later%n",
                    latency.toMillis());
            assertThat(end)
                    .as("the upstream request was cancelled, not answered")
                    .isEqualTo(-1);
            assertThat(latency).isLessThan(RELAY_CLOSES_WITHIN);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            Object pause = new Object();
            synchronized (pause) {
                pause.wait(5); // a short wait between polls, bounded by the deadline
            }
        }
    }

    /** Events read from a response body, and how many body bytes that took. */
    static final class Events {
        private final InputStream in;
        private final ArrayDeque<Event> parsed = new ArrayDeque<>();
        private final EventParser parser = EventParser.create(parsed::add);
        private final byte[] buffer = new byte[8192];
        private long bytesRead;

        Events(InputStream in) {
            this.in = in;
        }

        Event next() throws IOException {
            while (parsed.isEmpty()) {
                int n = in.read(buffer);
                if (n < 0) {
                    throw new IOException("the stream ended");
                }
                bytesRead += n;
                parser.feed(buffer, 0, n);
            }
            return parsed.remove();
        }

        /** Whether the body ends with no further event. */
        boolean atEnd() throws IOException {
            while (parsed.isEmpty()) {
                int n = in.read(buffer);
                if (n < 0) {
                    return true;
                }
                bytesRead += n;
                parser.feed(buffer, 0, n);
            }
            return false;
        }

        long bytesRead() {
            return bytesRead;
        }
    }
}
