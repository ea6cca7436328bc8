package io.sseline.examples.chat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sseline.client.Backoff;
import io.sseline.client.EventBodyHandlers;
import io.sseline.client.EventSource;
import io.sseline.core.Event;
import io.sseline.redis.RedisBackplane;
import io.sseline.servlet.hub.EventHub;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
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
    private static final AtomicInteger STREAMS = new AtomicInteger();

    private static RedisServer redis;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final List<EventSource> sources = new ArrayList<>();
    private final List<ChatServer> servers = new ArrayList<>();
    /** A stream of its own for each test, so that no test sees another's messages. */
    private String streamKey;

    private ChatServer nodeA;
    private ChatServer nodeB;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
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
        sources.forEach(EventSource::close);
        servers.forEach(ChatServer::close);
    }

    @Test
    void messagePostedOnOneNodeReachesTheClientsOfTheOther() throws Exception {
        Recorder onA = connect(nodeA, "/sse?name=ada");
        Recorder onB = connect(nodeB, "/sse?name=bob");
        onA.next("online");
        onB.next("online");

        assertThat(post(nodeA, "from A").statusCode()).isEqualTo(202);
        assertThat(post(nodeB, "from B").statusCode()).isEqualTo(202);

        for (Recorder client : List.of(onA, onB)) {
            Event first = client.next("message");
            Event second = client.next("message");
            assertThat(List.of(content(first), content(second))).containsExactly("from A", "from B");
            assertThat(first.id()).as("one log, one id for both nodes").isNotEmpty();
        }
    }

    @Test
    void messagesOfOneRoomStayInItOnEveryNode() throws Exception {
        Recorder lobbyOnB = connect(nodeB, "/sse?name=bob");
        lobbyOnB.next("online");

        post(nodeA, "{\"content\":\"for other\",\"room\":\"other\"}");
        post(nodeA, "for lobby");

        assertThat(content(lobbyOnB.next("message"))).isEqualTo("for lobby");
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
        Recorder onA = connect(nodeA, "/sse?name=ada");
        onA.next("online");
        post(nodeA, "seen");
        String lastEventId = onA.next("message").id();
        post(nodeA, "missed on A");
        post(nodeB, "missed on B");
        assertThat(content(onA.next("message"))).isEqualTo("missed on A");
        nodeA.close(); // the node the client was on goes away

        HttpRequest request = HttpRequest.newBuilder(nodeB.uri().resolve("/sse?name=ada"))
                .header("Last-Event-ID", lastEventId)
                .build();
        HttpResponse<Stream<Event>> response = http.send(request, EventBodyHandlers.ofStream());

        assertThat(response.statusCode()).isEqualTo(200);
        try (Stream<Event> events = response.body()) {
            Iterator<Event> messages =
                    events.filter(e -> e.type().equals("message")).iterator();
            List<String> received = new ArrayList<>();
            received.add(content(next(messages)));
            received.add(content(next(messages)));
            post(nodeB, "live");
            received.add(content(next(messages)));
            assertThat(received)
                    .as("the two it missed, nothing it had seen, then live ones")
                    .containsExactly("missed on A", "missed on B", "live");
        }
    }

    @Test
    void newClientOfBReceivesTheRecentHistoryIncludingMessagesPostedOnA() throws Exception {
        for (int i = 1; i <= 4; i++) {
            assertThat(post(i % 2 == 0 ? nodeB : nodeA, "m" + i).statusCode()).isEqualTo(202);
        }

        Recorder late = connect(nodeB, "/sse?name=late");

        // The history holds the last three, wherever they were posted.
        assertThat(content(late.next("message"))).isEqualTo("m2");
        assertThat(content(late.next("message"))).isEqualTo("m3");
        assertThat(content(late.next("message"))).isEqualTo("m4");
        assertThat(nodeB.rooms().history("lobby"))
                .extracting(ChatMessage::content)
                .containsExactly("m2", "m3", "m4");
    }

    @Test
    void nodeStartedLaterServesTheHistoryPostedBeforeIt() throws Exception {
        post(nodeA, "early 1");
        post(nodeA, "early 2");

        ChatServer nodeC = startNode();
        Recorder onC = connect(nodeC, "/sse?name=carol");

        assertThat(content(onC.next("message"))).isEqualTo("early 1");
        assertThat(content(onC.next("message"))).isEqualTo("early 2");
        post(nodeC, "from C");
        assertThat(content(onC.next("message"))).isEqualTo("from C");
        assertThat(nodeA.rooms().history("lobby"))
                .extracting(ChatMessage::content)
                .containsExactly("early 1", "early 2", "from C");
    }

    @Test
    void lastEventIdTheLogCannotResumeFromGetsTheSharedHistory() throws Exception {
        post(nodeA, "a");
        post(nodeB, "b");

        HttpRequest request = HttpRequest.newBuilder(nodeB.uri().resolve("/sse?name=ada"))
                .header("Last-Event-ID", "oldepoch-7-0")
                .build();
        HttpResponse<Stream<Event>> response = http.send(request, EventBodyHandlers.ofStream());

        try (Stream<Event> events = response.body()) {
            Iterator<Event> messages =
                    events.filter(e -> e.type().equals("message")).iterator();
            assertThat(List.of(content(next(messages)), content(next(messages))))
                    .containsExactly("a", "b");
        }
    }

    @Test
    void messageThatRedisDidNotTakeAnswers503AndReachesNoOne() throws Exception {
        ChatServer alone;
        try (RedisServer own = RedisServer.start()) {
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

    private Recorder connect(ChatServer node, String path) {
        Recorder recorder = new Recorder();
        EventSource source = EventSource.builder(node.uri().resolve(path))
                .backoff(Backoff.defaults().withInitialDelay(Duration.ofMillis(50)))
                .build(recorder);
        sources.add(source);
        source.connect();
        return recorder;
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

    /** The next element, failing the test if none comes within {@link Recorder#TIMEOUT}. */
    private static Event next(Iterator<Event> events) throws Exception {
        // A thread of its own: a read that never ends must not hold up a shared pool.
        return CompletableFuture.supplyAsync(events::next, task -> {
                    Thread thread = new Thread(task, "next-event");
                    thread.setDaemon(true);
                    thread.start();
                })
                .get(Recorder.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static String content(Event event) {
        try {
            return JSON.readTree(event.data()).get("content").asText();
        } catch (Exception e) {
            throw new AssertionError("not a chat message: " + event, e);
        }
    }
}
