package io.sseline.examples.chat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sseline.core.Event;
import io.sseline.core.EventReader;
import io.sseline.testing.HttpEventClient;
import io.sseline.testing.RawClient;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the chat does with requests that a browser, a script or an attacker sends: bounded and refused clearly. */
class ChatHardeningTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final List<HttpEventClient> clients = new ArrayList<>();
    private ChatServer server;

    private ChatServer start(ChatServer.Builder builder) throws Exception {
        server = builder.port(0)
                .httpsPort(-1)
                .heartbeatInterval(Duration.ofMillis(50))
                .start();
        return server;
    }

    @AfterEach
    void stop() {
        clients.forEach(HttpEventClient::close);
        if (server != null) {
            server.close();
        }
    }

    @Test
    void headOfTheStreamJoinsNobodyAndLeavesNoUser() throws Exception {
        start(ChatServer.builder());
        HttpEventClient watcher = connect("/sse?name=watcher");
        watcher.next("online", WAIT);

        for (int i = 0; i < 40; i++) {
            try (RawClient head =
                    RawClient.send(server.uri().getPort(), "HEAD", "/sse?name=h" + i, "HTTP/1.1", Map.of(), 0)) {
                assertThat(head.status()).isEqualTo(200);
                assertThat(head.headers().get("content-type")).startsWith("text/event-stream");
            }
        }
        assertThat(post("{\"content\":\"marker\"}", "application/json").statusCode())
                .isEqualTo(202);

        Event next = watcher.next(e -> !e.type().equals("online"), "the next event", WAIT);
        assertThat(next.type()).as("no join before the marker").isEqualTo("message");
        assertThat(server.rooms().online("lobby")).isEqualTo(1);
        assertThat(server.streams().openCount()).isEqualTo(1);
    }

    @Test
    void aRoomIsFreedWhenItsLastClientLeavesAndKeepsItsHistoryInTheLog() throws Exception {
        start(ChatServer.builder().historySize(3));
        for (int i = 1; i <= 4; i++) {
            post("{\"content\":\"m" + i + "\",\"room\":\"quiet\"}", "application/json");
        }
        assertThat(server.rooms().liveRooms()).as("posting makes no room live").isZero();

        HttpEventClient first = connect("/sse?room=quiet&name=ada");
        assertThat(List.of(
                        content(first.next("message", WAIT)),
                        content(first.next("message", WAIT)),
                        content(first.next("message", WAIT))))
                .containsExactly("m2", "m3", "m4");
        assertThat(server.rooms().liveRooms()).isEqualTo(1);
        closeAll();
        await("the room freed").atMost(WAIT).until(() -> server.rooms().liveRooms() == 0);

        post("{\"content\":\"m5\",\"room\":\"quiet\"}", "application/json");
        HttpEventClient second = connect("/sse?room=quiet&name=bob");
        assertThat(List.of(
                        content(second.next("message", WAIT)),
                        content(second.next("message", WAIT)),
                        content(second.next("message", WAIT))))
                .as("read again from the log")
                .containsExactly("m3", "m4", "m5");
    }

    @Test
    void distinctRoomNamesCostNothingOnceTheirClientsLeave() throws Exception {
        start(ChatServer.builder());
        for (int i = 0; i < 200; i++) {
            HttpEventClient client = connect("/sse?room=r" + i);
            client.next("online", WAIT);
            closeAll();
        }
        await("every room freed").atMost(WAIT).until(() -> server.rooms().liveRooms() == 0);
        assertThat(server.streams().openCount()).isZero();
    }

    @Test
    void aRoomBeyondTheLimitIsRefusedWith429UntilOneEmpties() throws Exception {
        start(ChatServer.builder().maxRooms(2));
        HttpEventClient one = connect("/sse?room=one");
        one.next("online", WAIT);
        connect("/sse?room=two").next("online", WAIT);

        HttpResponse<String> refused = get("/sse?room=three");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(JSON.readTree(refused.body()).get("error").asText()).contains("2 rooms");
        try (RawClient again = RawClient.get(server.uri().getPort(), "/sse?room=one&name=again", Map.of())) {
            assertThat(again.status()).as("a live room still takes clients").isEqualTo(200);
        }

        clients.get(0).close();
        await("room one freed")
                .atMost(WAIT)
                .until(() -> server.rooms().online("one") == 0 && server.rooms().liveRooms() < 2);
        HttpEventClient three = connect("/sse?room=three");
        assertThat(three.next("online", WAIT).data()).contains("\"room\":\"three\"");
    }

    @Test
    void pingRefusesAnIdPastTheLastPingNumberAndKeepsCount() throws Exception {
        start(ChatServer.builder().pingInterval(Duration.ofMillis(10)));
        HttpResponse<String> huge = send(HttpRequest.newBuilder(server.uri().resolve("/ping?count=2"))
                .header("Last-Event-ID", "9223372036854775807"));
        assertThat(huge.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(huge.body()).get("field").asText()).isEqualTo("Last-Event-ID");

        HttpResponse<String> last = send(HttpRequest.newBuilder(server.uri().resolve("/ping?count=2"))
                .header("Last-Event-ID", Long.toString(PingServlet.MAX_ID - 1)));
        assertThat(last.statusCode()).isEqualTo(200);
        assertThat(EventReader.create(new ByteArrayInputStream(last.body().getBytes(UTF_8))).stream())
                .as("one ping, the last number there is, then the end")
                .containsExactly(Event.of(Long.toString(PingServlet.MAX_ID))
                        .withType("ping")
                        .withId(Long.toString(PingServlet.MAX_ID)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"})
    void aPostThatIsNotJsonGets415AndReachesNobody(String contentType) throws Exception {
        start(ChatServer.builder());
        HttpEventClient watcher = connect("/sse?name=watcher");
        watcher.next("online", WAIT);

        HttpResponse<String> response = post("{\"content\":\"forged\"}", contentType);

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(response.headers().firstValue("Accept-Post")).contains("application/json");
        assertThat(post("{\"content\":\"real\"}", "application/json; charset=utf-8")
                        .statusCode())
                .isEqualTo(202);
        assertThat(content(watcher.next("message", WAIT))).isEqualTo("real");
    }

    @Test
    void aHostTheChatDoesNotServeGets403() throws Exception {
        start(ChatServer.builder().allowedHosts(List.of("chat.example")));
        int port = server.uri().getPort();
        for (String path : List.of("/", "/sse", "/ping", "/messages")) {
            try (RawClient rebound =
                    RawClient.send(port, "GET", path, "HTTP/1.1", Map.of("Host", "attacker.example:" + port), 0)) {
                assertThat(rebound.status()).as(path).isEqualTo(403);
            }
        }
        try (RawClient allowed = RawClient.send(port, "GET", "/", "HTTP/1.1", Map.of("Host", "chat.example"), 0);
                RawClient local =
                        RawClient.send(port, "GET", "/", "HTTP/1.1", Map.of("Host", "localhost:" + port), 0)) {
            assertThat(allowed.status()).isEqualTo(200);
            assertThat(local.status()).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"content\":\"half \\ud83d of a smiley\"}",
                "{\"content\":\"hi\",\"author\":\"ada\\udc00\"}",
                "{\"content\":\"hi\",\"author\":\"\\u200b\\u200b\"}",
                "{\"content\":\"hi\",\"author\":\"\\u2067\\u2069\"}",
                "{\"content\":\"hi\",\"author\":\"\\u3164\"}",
                "{\"content\":\"hi\",\"author\":\"ada\\u202e\"}"
            })
    void loneSurrogatesAndInvisibleNamesGet400(String json) throws Exception {
        start(ChatServer.builder());
        HttpResponse<String> response = post(json, "application/json");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    }

    @Test
    void anInvisibleNameIsRefusedOnTheStreamToo() throws Exception {
        start(ChatServer.builder());
        assertThat(get("/sse?name=%E2%80%8B%E2%80%8B").statusCode()).isEqualTo(400);
        assertThat(server.rooms().liveRooms()).isZero();
    }

    @Test
    void aStreamRequestedWhileTheServerShutsDownGets503WithRetryAfter() throws Exception {
        start(ChatServer.builder());
        server.streams().shutdown(Duration.ZERO);

        for (String path : List.of("/sse", "/ping")) {
            HttpResponse<String> response = get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).as(path).isPresent();
        }
        assertThat(server.rooms().liveRooms()).isZero();
    }

    private HttpEventClient connect(String path) {
        HttpEventClient client = HttpEventClient.connect(http, server.uri().resolve(path));
        clients.add(client);
        return client;
    }

    private void closeAll() {
        clients.forEach(HttpEventClient::close);
        clients.clear();
    }

    private HttpResponse<String> post(String json, String contentType) throws Exception {
        return send(HttpRequest.newBuilder(server.uri().resolve("/messages"))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(json, UTF_8)));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(server.uri().resolve(path)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String content(Event event) throws Exception {
        JsonNode message = JSON.readTree(event.data());
        return message.get("content").asText();
    }
}
