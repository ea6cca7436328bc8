package io.sseline.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sseline.core.Event;
import io.sseline.testing.HttpEventClient;
import io.sseline.testing.RedisProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two server nodes in two JVMs, each an embedded Jetty with an EventHub on a RedisBackplane, one
 * real redis-server between them: events cross processes, and when a node dies its clients resume
 * on the other with nothing lost or repeated.
 */
class TwoNodeProcessesIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private RedisProcess redis;
    private final List<Process> processes = new ArrayList<>();
    private final List<HttpEventClient> clients = new ArrayList<>();

    @BeforeEach
    void startRedis() throws Exception {
        redis = RedisProcess.start();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (HttpEventClient c : clients) {
            c.close();
        }
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        redis.close();
    }

    /** A node process; returns its HTTP port once it serves. */
    private int startNode(String streamKey) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        NodeMain.class.getName(),
                        redis.uri(),
                        streamKey)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        processes.add(process);
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Integer> ready = CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("READY ")) {
                        return Integer.parseInt(line.substring(6).trim());
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            throw new IllegalStateException("node exited before it was ready");
        });
        return ready.get(60, TimeUnit.SECONDS);
    }

    private static URI events(int port, String channel) {
        return URI.create("http://127.0.0.1:" + port + "/events?channel=" + channel);
    }

    private static String publish(int port, String channel, String data) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/publish?channel=" + channel))
                        .POST(HttpRequest.BodyPublishers.ofString(data))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private static int subscribers(int port, String channel) {
        try {
            return Integer.parseInt(HTTP.send(
                            HttpRequest.newBuilder(
                                            URI.create("http://127.0.0.1:" + port + "/subscribers?channel=" + channel))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body());
        } catch (Exception e) {
            return -1;
        }
    }

    private HttpEventClient subscribe(int port, String channel, String lastEventId) throws Exception {
        HttpEventClient client =
                Node.subscribe(HTTP, events(port, channel), lastEventId, () -> subscribers(port, channel), WAIT);
        clients.add(client);
        return client;
    }

    @Test
    void eventsCrossProcessesAndClientsOfADeadNodeResumeExactlyOnTheOther() throws Exception {
        int a = startNode("it:chat");
        int b = startNode("it:chat");
        HttpEventClient onA = subscribe(a, "chat", "");
        HttpEventClient onB = subscribe(b, "chat", "");

        String m1 = publish(a, "chat", "m1 from A");
        Event got = onB.next(WAIT);
        assertThat(got.data()).isEqualTo("m1 from A");
        assertThat(got.id()).isEqualTo(m1);
        assertThat(onA.next(WAIT).id()).isEqualTo(m1);
        String m2 = publish(b, "chat", "m2 from B");
        assertThat(onA.next(WAIT).id()).isEqualTo(m2);
        assertThat(onB.next(WAIT).id()).isEqualTo(m2);

        // Node A dies; its client's stream ends; events go on on B meanwhile.
        processes.get(0).destroyForcibly();
        onA.awaitEnded(WAIT);
        String m3 = publish(b, "chat", "m3");
        String m4 = publish(b, "chat", "m4");

        // The client reconnects to B with its Last-Event-ID.
        HttpEventClient resumed = subscribe(b, "chat", m2);
        List<Event> replay = resumed.next(2, WAIT);
        assertThat(replay).extracting(Event::id).containsExactly(m3, m4);
        assertThat(replay).extracting(Event::data).containsExactly("m3", "m4");
        String m5 = publish(b, "chat", "m5");
        assertThat(resumed.next(WAIT).id()).isEqualTo(m5);
        assertThat(resumed.poll(Duration.ofMillis(300))).as("no duplicate").isNull();
        assertThat(onB.next(3, WAIT)).extracting(Event::id).containsExactly(m3, m4, m5);
    }
}
