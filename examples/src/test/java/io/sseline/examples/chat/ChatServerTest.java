package io.sseline.examples.chat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sseline.client.Backoff;
import io.sseline.client.EventBodyHandlers;
import io.sseline.client.EventSource;
import io.sseline.client.EventSourceListener;
import io.sseline.core.Event;
import io.sseline.testing.HttpEventClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChatServerTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-05-01T22:00:30Z"), ZoneId.of("UTC"));

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final List<HttpEventClient> clients = new ArrayList<>();
    private ChatServer server;

    @BeforeEach
    void start() throws Exception {
        server = ChatServer.builder()
                .port(0)
                .httpsPort(-1)
                .historySize(3)
                .clock(CLOCK)
                .pingInterval(Duration.ofMillis(20))
                .start();
    }

    @AfterEach
    void stop() {
        clients.forEach(HttpEventClient::close);
        server.close();
    }

    @Test
    void postedMessageReachesEveryClientAsMessageEventWithContentAndTimestamp() throws Exception {
        HttpEventClient ada = connect("/sse?name=ada");
        // Over HTTP/2 (h2c), where going away resets the stream and the server sees it at once; over
        // HTTP/1.1 it would see it only at its next write.
        HttpEventClient bob =
                HttpEventClient.connect(HttpClient.newHttpClient(), server.uri().resolve("/sse?name=bob"));
        clients.add(bob);
        ada.next("online", WAIT);
        bob.next("online", WAIT);

        HttpResponse<String> response = post("{\"content\":\"Hello!\",\"author\":\"ada\"}");

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode accepted = JSON.readTree(response.body());
        for (HttpEventClient client : List.of(ada, bob)) {
            Event event = client.next("message", WAIT);
            JsonNode message = JSON.readTree(event.data());
            assertThat(message.get("content").asText()).isEqualTo("Hello!");
            assertThat(message.get("timestamp").asText()).isEqualTo("2025-05-01 22:00");
            assertThat(message.get("author").asText()).isEqualTo("ada");
            assertThat(message.get("room").asText()).isEqualTo("lobby");
            assertThat(message.get("id").asText()).isEqualTo(accepted.get("id").asText());
            assertThat(event.id()).endsWith("-1");
        }
    }

    @Test
    void messagesStayInTheirRoom() throws Exception {
        HttpEventClient lobby = connect("/sse?name=ada");
        HttpEventClient other = connect("/sse?name=bob&room=other");
        lobby.next("online", WAIT);
        other.next("online", WAIT);

        post("{\"content\":\"for other\",\"room\":\"other\"}");
        post("{\"content\":\"for lobby\"}");

        assertThat(content(lobby.next("message", WAIT))).isEqualTo("for lobby");
        assertThat(content(other.next("message", WAIT))).isEqualTo("for other");
    }

    @Test
    void presenceAnnouncesJoinAndLeaveWithTheNumberOnline() throws Exception {
        HttpEventClient ada = connect("/sse?name=ada");
        Event online = ada.next("online", WAIT);
        assertThat(presence(online)).isEqualTo(new Presence("ada", "lobby", 1));
        assertThat(online.retry()).as("the reconnection time for the client").contains(Duration.ofSeconds(1));

        // Over HTTP/2 (h2c), where going away resets the stream and the server sees it at once; over
        // HTTP/1.1 it would see it only at its next write.
        HttpEventClient bob =
                HttpEventClient.connect(HttpClient.newHttpClient(), server.uri().resolve("/sse?name=bob"));
        clients.add(bob);
        assertThat(presence(ada.next("join", WAIT))).isEqualTo(new Presence("bob", "lobby", 2));
        assertThat(server.rooms().online("lobby")).isEqualTo(2);

        bob.close();

        assertThat(presence(ada.next("leave", WAIT))).isEqualTo(new Presence("bob", "lobby", 1));
        assertThat(server.rooms().online("lobby")).isEqualTo(1);
    }

    @Test
    void secondConnectionOfTheSameUserIsNoNewJoin() throws Exception {
        HttpEventClient watcher = connect("/sse?name=watcher");
        watcher.next("online", WAIT);
        HttpEventClient first = connect("/sse?name=ada");
        first.next("online", WAIT);
        assertThat(presence(watcher.next("join", WAIT)).user()).isEqualTo("ada");

        HttpEventClient second = connect("/sse?name=ada");

        assertThat(presence(second.next("online", WAIT))).isEqualTo(new Presence("ada", "lobby", 2));
        post("{\"content\":\"marker\"}");
        Event next = watcher.next(e -> !e.type().equals("online"), "the next event", WAIT);
        assertThat(next.type()).as("no second join for ada before the marker").isEqualTo("message");
    }

    @Test
    void newClientReceivesTheRecentHistory() throws Exception {
        for (int i = 1; i <= 4; i++) {
            assertThat(post("{\"content\":\"m" + i + "\"}").statusCode()).isEqualTo(202);
        }

        HttpEventClient late = connect("/sse?name=late");

        // The history holds the last three.
        assertThat(content(late.next("message", WAIT))).isEqualTo("m2");
        assertThat(content(late.next("message", WAIT))).isEqualTo("m3");
        assertThat(content(late.next("message", WAIT))).isEqualTo("m4");
        assertThat(server.rooms().history("lobby"))
                .extracting(ChatMessage::content)
                .containsExactly("m2", "m3", "m4");
    }

    @Test
    void reconnectWithLastEventIdReceivesOnlyTheMissedMessages() throws Exception {
        HttpEventClient first = connect("/sse?name=ada");
        post("{\"content\":\"seen\"}");
        String lastEventId = first.next("message", WAIT).id();
        post("{\"content\":\"missed 1\"}");
        post("{\"content\":\"missed 2\"}");

        HttpRequest request = HttpRequest.newBuilder(server.uri().resolve("/sse?name=ada"))
                .header("Last-Event-ID", lastEventId)
                .build();
        HttpResponse<Stream<Event>> response = http.send(request, EventBodyHandlers.ofStream());

        try (Stream<Event> events = response.body()) {
            List<String> replayed = events.filter(e -> e.type().equals("message"))
                    .limit(2)
                    .map(ChatServerTest::content)
                    .toList();
            assertThat(replayed).containsExactly("missed 1", "missed 2");
        }
    }

    @Test
    void eventSourceReconnectsAfterARestartOnTheSamePortAndGetsWhatWasSentMeanwhile() throws Exception {
        // The demo's own client, sse-client's EventSource, reconnects by itself with Last-Event-ID.
        BlockingQueue<HttpResponse.ResponseInfo> opens = new LinkedBlockingQueue<>();
        BlockingQueue<Event> messages = new LinkedBlockingQueue<>();
        EventSource source = EventSource.builder(server.uri().resolve("/sse?name=ada"))
                .backoff(Backoff.defaults().withInitialDelay(Duration.ofMillis(50)))
                .build(new EventSourceListener() {
                    @Override
                    public void onOpen(EventSource source, HttpResponse.ResponseInfo response) {
                        opens.add(response);
                    }

                    @Override
                    public void onEvent(EventSource source, Event event) {
                        if (event.type().equals("message")) {
                            messages.add(event);
                        }
                    }
                });
        try (source) {
            source.connect();
            assertThat(opens.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                    .as("connected")
                    .isNotNull();
            post("{\"content\":\"before\"}");
            assertThat(content(messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)))
                    .isEqualTo("before");
            int port = server.uri().getPort();

            server.close();
            server = ChatServer.builder().port(port).httpsPort(-1).clock(CLOCK).start();
            post("{\"content\":\"while away\"}");

            assertThat(opens.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                    .as("reconnected")
                    .isNotNull();
            assertThat(content(messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)))
                    .isEqualTo("while away");
        }
    }

    @Test
    void lastEventIdFromAnotherRunOfTheServerGetsTheWholeHistory() throws Exception {
        post("{\"content\":\"a\"}");
        post("{\"content\":\"b\"}");

        HttpRequest request = HttpRequest.newBuilder(server.uri().resolve("/sse?name=ada"))
                .header("Last-Event-ID", "oldepoch-7")
                .build();
        HttpResponse<Stream<Event>> response = http.send(request, EventBodyHandlers.ofStream());

        try (Stream<Event> events = response.body()) {
            assertThat(events.filter(e -> e.type().equals("message")).limit(2).map(ChatServerTest::content))
                    .containsExactly("a", "b");
        }
    }

    @Test
    void lastEventIdQueryParameterResumesLikeTheHeader() throws Exception {
        HttpEventClient first = connect("/sse?name=ada");
        post("{\"content\":\"seen\"}");
        String lastEventId = first.next("message", WAIT).id();
        post("{\"content\":\"missed\"}");

        HttpEventClient page = connect("/sse?name=ada&lastEventId=" + lastEventId);

        assertThat(content(page.next("message", WAIT))).isEqualTo("missed");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Hello!",
                "[]",
                "{\"content\":\"\"}",
                "{\"content\":\"   \"}",
                "{\"author\":\"ada\"}",
                "{\"content\":\"Hi\",\"extra\":1}",
                "OVERSIZED_MESSAGE",
                "OVERSIZED_BODY",
                "LARGE_BODY"
            })
    void badInputAnswers400WithAJsonErrorAndBroadcastsNothing(String body) throws Exception {
        String sent = switch (body) {
            case "OVERSIZED_MESSAGE" -> "{\"content\":\"" + "x".repeat(MessageRequest.MAX_CONTENT_LENGTH + 1) + "\"}";
            case "OVERSIZED_BODY" -> "{\"content\":\"" + "x".repeat(MessageRequest.MAX_BODY_BYTES) + "\"}";
            case "LARGE_BODY" -> "{\"content\":\"" + "x".repeat(512 * 1024) + "\"}";
            default -> body;
        };
        HttpEventClient client = connect("/sse?name=ada");
        client.next("online", WAIT);

        HttpResponse<String> response = post(sent);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("error").asText()).isNotBlank();
        assertThat(error.has("field")).isTrue();
        post("{\"content\":\"valid\"}");
        assertThat(content(client.next(e -> !e.type().equals("join"), "the next event", WAIT)))
                .isEqualTo("valid");
        assertThat(server.rooms().history("lobby"))
                .extracting(ChatMessage::content)
                .containsExactly("valid");
    }

    @Test
    void emptyMessageErrorNamesTheField() throws Exception {
        HttpResponse<String> response = post("{\"content\":\"\"}");

        assertThat(JSON.readTree(response.body()))
                .isEqualTo(JSON.readTree("{\"error\":\"content must not be empty\",\"field\":\"content\"}"));
    }

    @Test
    void malformedRoomOrNameOfAStreamAnswers400() throws Exception {
        HttpResponse<String> badRoom = http.send(
                HttpRequest.newBuilder(server.uri().resolve("/sse?room=no%20spaces"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> badName = http.send(
                HttpRequest.newBuilder(server.uri().resolve("/sse?name=" + "n".repeat(40)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(badRoom.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badRoom.body()).get("field").asText()).isEqualTo("room");
        assertThat(badName.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badName.body()).get("field").asText()).isEqualTo("name");
    }

    @Test
    void pingSendsNumberedPingEventsUntilTheCount() throws Exception {
        HttpResponse<Stream<Event>> response = http.send(
                HttpRequest.newBuilder(server.uri().resolve("/ping?count=3")).build(), EventBodyHandlers.ofStream());

        try (Stream<Event> events = response.body()) {
            assertThat(events.toList())
                    .containsExactly(
                            Event.of("1").withType("ping").withId("1"),
                            Event.of("2").withType("ping").withId("2"),
                            Event.of("3").withType("ping").withId("3"));
        }
    }

    @Test
    void pingGoesOnAfterTheLastEventId() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(server.uri().resolve("/ping?count=9"))
                .header("Last-Event-ID", "7")
                .build();

        HttpResponse<Stream<Event>> response = http.send(request, EventBodyHandlers.ofStream());

        try (Stream<Event> events = response.body()) {
            assertThat(events.map(Event::data)).containsExactly("8", "9");
        }
    }

    @Test
    void pingEveryTwoSecondsByDefault() throws Exception {
        try (ChatServer defaults = ChatServer.builder().port(0).httpsPort(-1).start()) {
            long start = System.nanoTime();
            HttpResponse<Stream<Event>> response = http.send(
                    HttpRequest.newBuilder(defaults.uri().resolve("/ping?count=2"))
                            .build(),
                    EventBodyHandlers.ofStream());
            try (Stream<Event> events = response.body()) {
                assertThat(events.map(Event::data)).containsExactly("1", "2");
            }
            // The first ping comes at once, the second two seconds later: had the first waited an
            // interval too, the two would take four seconds.
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isBetween(Duration.ofMillis(1900), Duration.ofMillis(3900));
        }
    }

    @Test
    void rootServesTheChatPageAndItsScript() throws Exception {
        HttpResponse<String> page = get("/");
        HttpResponse<String> script = get("/chat.js");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body()).contains("<script src=\"chat.js\"");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.body()).contains("new EventSource(").contains("addEventListener(\"pagehide\"");
    }

    @Test
    void plainHttpAlsoSpeaksH2c() throws Exception {
        HttpClient h2c =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();

        HttpResponse<String> response = h2c.send(
                HttpRequest.newBuilder(server.uri().resolve("/chat.css")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    }

    @Test
    void httpsSpeaksHttp2WithTheDevelopmentCertificate() throws Exception {
        try (ChatServer tls = ChatServer.builder().port(0).httpsPort(0).start()) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("chat", tls.certificate().orElseThrow());
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            HttpClient client = HttpClient.newBuilder().sslContext(context).build();
            URI secure = tls.secureUri().orElseThrow();

            HttpResponse<Stream<Event>> response = client.send(
                    HttpRequest.newBuilder(secure.resolve("/ping?count=1")).build(), EventBodyHandlers.ofStream());

            assertThat(secure.getScheme()).isEqualTo("https");
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
            try (Stream<Event> events = response.body()) {
                assertThat(events.map(Event::data)).containsExactly("1");
            }
        }
    }

    private HttpEventClient connect(String path) {
        HttpEventClient client = HttpEventClient.connect(http, server.uri().resolve(path));
        clients.add(client);
        return client;
    }

    private HttpResponse<String> post(String json) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(server.uri().resolve("/messages"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, UTF_8))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(server.uri().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String content(Event event) {
        try {
            return JSON.readTree(event.data()).get("content").asText();
        } catch (Exception e) {
            throw new AssertionError("not a chat message: " + event, e);
        }
    }

    private static Presence presence(Event event) {
        try {
            return JSON.readValue(event.data(), Presence.class);
        } catch (Exception e) {
            throw new AssertionError("not a presence event: " + event, e);
        }
    }
}
