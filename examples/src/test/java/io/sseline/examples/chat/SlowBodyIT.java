package io.sseline.examples.chat;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Clients that send a message body one byte at a time: each holds a connection but no thread, so the
 * server keeps answering everyone else at once, and the read deadline ends them.
 */
class SlowBodyIT {
    static final int SLOW_CLIENTS = 300;
    static final int CONTENT_LENGTH = 16_000;
    /** One byte per slow client this often: the idle timeout never fires. */
    static final Duration DRIP = Duration.ofSeconds(2);

    static final Duration WAIT = Duration.ofSeconds(30);

    private final List<Socket> slow = new ArrayList<>();
    private final ScheduledExecutorService dripper = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger drips = new AtomicInteger();
    private ChatServer server;

    @AfterEach
    void stop() throws IOException {
        dripper.shutdownNow();
        for (Socket s : slow) {
            s.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void threeHundredSlowBodiesHoldNoThreadAndOthersAreAnsweredWithinASecond() throws Exception {
        server = ChatServer.builder()
                .port(0)
                .httpsPort(-1)
                .pingInterval(Duration.ofMillis(10))
                .bodyReadTimeout(Duration.ofMinutes(1)) // longer than the test: the slow clients stay
                .start();
        int port = server.uri().getPort();
        for (int i = 0; i < SLOW_CLIENTS; i++) {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.getOutputStream()
                    .write(("POST /messages HTTP/1.1\r\nHost: localhost\r\n"
                                    + "Content-Type: application/json\r\nContent-Length: " + CONTENT_LENGTH
                                    + "\r\n\r\n{")
                            .getBytes(ISO_8859_1));
            slow.add(socket);
        }
        dripper.scheduleAtFixedRate(this::drip, 0, DRIP.toMillis(), TimeUnit.MILLISECONDS);

        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<Long> millis = new ArrayList<>();
        // A few requests after each of several drips: while every slow client is mid-body.
        for (int round = 1; round <= 3; round++) {
            int after = round;
            await("drip " + after).atMost(WAIT).until(() -> drips.get() >= after);
            for (int i = 0; i < 5; i++) {
                long start = System.nanoTime();
                HttpResponse<String> posted = http.send(
                        HttpRequest.newBuilder(server.uri().resolve("/messages"))
                                .header("Content-Type", "application/json")
                                .timeout(WAIT)
                                .POST(HttpRequest.BodyPublishers.ofString("{\"content\":\"still here\"}", UTF_8))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(posted.statusCode()).isEqualTo(202);
                HttpResponse<String> ping = http.send(
                        HttpRequest.newBuilder(server.uri().resolve("/ping?count=1"))
                                .timeout(WAIT)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(ping.statusCode()).isEqualTo(200);
                assertThat(ping.body()).contains("event: ping").contains("data: 1\n");
                millis.add((System.nanoTime() - start) / 1_000_000);
            }
        }
        System.out.println(SLOW_CLIENTS + " slow bodies: a POST and a GET /ping took " + millis + " ms, at most "
                + millis.stream().mapToLong(Long::longValue).max().orElseThrow() + " ms");
        assertThat(millis).allSatisfy(ms -> assertThat(ms).isLessThan(1000));
        assertThat(threadsReadingABody())
                .as("threads blocked reading a request body")
                .isEmpty();
        for (Socket socket : slow) {
            assertThat(socket.isClosed()).isFalse();
        }
    }

    @Test
    void aBodyThatDoesNotArriveInTimeGets408AndTheConnectionCloses() throws Exception {
        server = ChatServer.builder()
                .port(0)
                .httpsPort(-1)
                .bodyReadTimeout(Duration.ofMillis(500))
                .start();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.uri().getPort()), 5_000);
            socket.setSoTimeout((int) WAIT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("POST /messages HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 100\r\n\r\n{\"con")
                    .getBytes(ISO_8859_1));
            InputStream in = socket.getInputStream();
            String response;
            try {
                response = new String(in.readAllBytes(), UTF_8); // until the server closes
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server kept the slow request open", e);
            }
            assertThat(response).startsWith("HTTP/1.1 408 ");
            assertThat(response).contains("did not arrive within");
        }
    }

    private void drip() {
        for (Socket socket : slow) {
            try {
                socket.getOutputStream().write(' ');
            } catch (IOException e) {
                // closed by the server: the assertions say whether that was wrong
            }
        }
        drips.incrementAndGet();
    }

    /** Threads of this JVM inside a blocking read of a request body. */
    private static List<String> threadsReadingABody() {
        List<String> reading = new ArrayList<>();
        for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
            boolean inRead = Arrays.stream(info.getStackTrace())
                    .anyMatch(frame -> frame.getClassName().contains("HttpInput")
                                    && frame.getMethodName().startsWith("read")
                            || frame.getClassName().contains("MessagesServlet"));
            if (inRead) {
                reading.add(info.getThreadName());
            }
        }
        return reading;
    }
}
