package io.sseline.examples.chat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sseline.core.Event;
import io.sseline.redis.RedisBackplane;
import io.sseline.servlet.hub.EventHub;
import io.sseline.testing.HttpEventClient;
import io.sseline.testing.RedisProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two chat nodes, each a {@link ChatServer} with {@code --redis}, sharing one real {@code
 * redis-server}: what is posted on one node reaches the clients of the other, a client that moves
 * between nodes resumes exactly, and the history a new client gets is the shared one.
 */
class TwoNodeChatTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final AtomicInteger STREAMS = new AtomicInteger();

    private static RedisProcess redis;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final List<HttpEventClient> clients = new ArrayList<>();
    private final List<ChatServer> servers = new ArrayList<>();
    /** A stream of its own for each test, so that no test sees another's messages. */
    private String streamKey;

    private ChatServer nodeA;
    private ChatServer nodeB;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisProcess.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @BeforeEach
    void startNodes() throws Exception {
        streamKey = "chat:test:" + STREAMS.incrementAndGet();
        nodeA = startNode();
        nodeB = startNode();
    }

    @AfterEach
    void stopNodes() {
        clients.forEach(HttpEventClient::close);
        servers.forEach(ChatServer::close);
    }

    @Test
    void messagePostedOnOneNodeReachesTheClientsOfTheOther() throws Exception {
        HttpEventClient onA = connect(nodeA, "/sse?name=ada");
        HttpEventClient onB = connect(nodeB, "/sse?name=bob");
        onA.next("online", WAIT);
        onB.next("online", WAIT);

        assertThat(post(nodeA, "from A").statusCode()).isEqualTo(202);
        assertThat(post(nodeB, "from B").statusCode()).isEqualTo(202);

        for (HttpEventClient client : List.of(onA, onB)) {
            Event first = client.next("message", WAIT);
            Event second = client.next("message", WAIT);
            assertThat(List.of(content(first), content(second))).containsExactly("from A", "from B");
            assertThat(first.id()).as("one log, one id for both nodes").isNotEmpty();
        }
    }

    @Test
    void messagesOfOneRoomStayInItOnEveryNode() throws Exception {
        HttpEventClient lobbyOnB = connect(nodeB, "/sse?name=bob");
        lobbyOnB.next("online", WAIT);

        post(nodeA, "{\"content\":\"for other\",\"room\":\"other\"}");
        post(nodeA, "for lobby");

        assertThat(content(lobbyOnB.next("message", WAIT))).isEqualTo("for lobby");
        assertThat(nodeB.rooms().history("other"))
                .extracting(ChatMessage::content)
                .containsExactly("for other");
    }

    @Test
    void anEntryThatIsNoChatMessageIsLeftOutOfTheHistory() throws Exception {
        post(nodeA, "before");
        // Another program writes to the room's channel of the same log.
        try (EventHub other = EventHub.builder()
                .backplane(RedisBackplane.builder()
                        .uri(redis.uri())
                        .streamKey(streamKey)
                        .build())
                .build()) {
            other.publish("room:lobby", Event.of("{\"content\":\"no author, no id\"}"))
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
        }
        post(nodeA, "after");

        assertThat(nodeB.rooms().history("lobby"))
                .extracting(ChatMessage::content)
                .containsExactly("before", "after");
    }

    @Test
    void clientOfAThatReconnectsToBReceivesExactlyWhatItMissed() throws Exception {
        HttpEventClient onA = connect(nodeA, "/sse?name=ada");
        onA.next("online", WAIT);
        post(nodeA, "seen");
        String lastEventId = onA.next("message", WAIT).id();
        post(nodeA, "missed on A");
        post(nodeB, "missed on B");
        assertThat(content(onA.next("message", WAIT))).isEqualTo("missed on A");
        nodeA.close(); // the node the client was on goes away

        HttpEventClient onB = connect(nodeB, "/sse?name=ada", lastEventId);

        assertThat(onB.awaitOpen(WAIT).statusCode()).isEqualTo(200);
        List<String> received = new ArrayList<>();
        received.add(content(onB.next("message", WAIT)));
        received.add(content(onB.next("message", WAIT)));
        post(nodeB, "live");
        received.add(content(onB.next("message", WAIT)));
        assertThat(received)
                .as("the two it missed, nothing it had seen, then live ones")
                .containsExactly("missed on A", "missed on B", "live");
    }

    @Test
    void newClientOfBReceivesTheRecentHistoryIncludingMessagesPostedOnA() throws Exception {
        for (int i = 1; i <= 4; i++) {
            assertThat(post(i % 2 == 0 ? nodeB : nodeA, "m" + i).statusCode()).isEqualTo(202);
        }

        HttpEventClient late = connect(nodeB, "/sse?name=late");

        // The history holds the last three, wherever they were posted.
        assertThat(content(late.next("message", WAIT))).isEqualTo("m2");
        assertThat(content(late.next("message", WAIT))).isEqualTo("m3");
        assertThat(content(late.next("message", WAIT))).isEqualTo("m4");
        assertThat(nodeB.rooms().history("lobby"))
                .extracting(ChatMessage::content)
                .containsExactly("m2", "m3", "m4");
    }

    @Test
    void nodeStartedLaterServesTheHistoryPostedBeforeIt() throws Exception {
        post(nodeA, "early 1");
        post(nodeA, "early 2");

        ChatServer nodeC = startNode();
        HttpEventClient onC = connect(nodeC, "/sse?name=carol");

        assertThat(content(onC.next("message", WAIT))).isEqualTo("early 1");
        assertThat(content(onC.next("message", WAIT))).isEqualTo("early 2");
        post(nodeC, "from C");
        assertThat(content(onC.next("message", WAIT))).isEqualTo("from C");
        assertThat(nodeA.rooms().history("lobby"))
                .extracting(ChatMessage::content)
                .containsExactly("early 1", "early 2", "from C");
    }

    @Test
    void lastEventIdTheLogCannotResumeFromGetsTheSharedHistory() throws Exception {
        post(nodeA, "a");
        post(nodeB, "b");

        HttpEventClient client = connect(nodeB, "/sse?name=ada", "oldepoch-7-0");

        assertThat(List.of(content(client.next("message", WAIT)), content(client.next("message", WAIT))))
                .containsExactly("a", "b");
    }

    @Test
    void messageThatRedisDidNotTakeAnswers503AndReachesNoOne() throws Exception {
        ChatServer alone;
        try (RedisProcess own = RedisProcess.start()) {
            alone = ChatServer.builder()
                    .port(0)
                    .httpsPort(-1)
                    .redis(own.uri())
                    .historySize(3)
                    .start();
            servers.add(alone);
            assertThat(post(alone, "before").statusCode()).isEqualTo(202);
        }

        HttpResponse<String> response = post(alone, "while Redis is down");

        assertThat(response.statusCode()).isEqualTo(503);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("error").asText())
                .startsWith("the message was not sent")
                .endsWith("send it again later");
    }

    private ChatServer startNode() throws Exception {
        ChatServer node = ChatServer.builder()
                .port(0)
                .httpsPort(-1)
                .redis(redis.uri())
                .redisKey(streamKey)
                .historySize(3)
                .start();
        servers.add(node);
        return node;
    }

    private HttpEventClient connect(ChatServer node, String path) {
        return connect(node, path, "");
    }

    private HttpEventClient connect(ChatServer node, String path, String lastEventId) {
        HttpEventClient client = HttpEventClient.connect(http, node.uri().resolve(path), lastEventId);
        clients.add(client);
        return client;
    }

    /** Posts {@code message}: a JSON body as it is, anything else as the content of one. */
    private HttpResponse<String> post(ChatServer node, String message) throws Exception {
        String json = message.startsWith("{") ? message : JSON.writeValueAsString(new Content(message));
        HttpRequest request = HttpRequest.newBuilder(URI.create(node.uri() + "messages"))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(15))
                .POST(HttpRequest.BodyPublishers.ofString(json, UTF_8))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private record Content(String content) {}

    private static String content(Event event) {
        try {
            return JSON.readTree(event.data()).get("content").asText();
        } catch (Exception e) {
            throw new AssertionError("not a chat message: " + event, e);
        }
    }
}
