package io.sseline.examples.springchat;

import static org.assertj.core.api.Assertions.assertThat;

import io.sseline.core.Event;
import io.sseline.servlet.hub.EventHub;
import io.sseline.servlet.hub.Replay;
import io.sseline.testing.HttpEventClient;
import io.sseline.testing.Protocol;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/** The example as it ships: the page is served, a posted message reaches a stream, newcomers get the latest. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SpringChatApplicationTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Value("${local.server.port}")
    int port;

    @Autowired
    EventHub hub;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theChatRunsEndToEnd() throws Exception {
        HttpResponse<String> page = http.send(request("/").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.body()).contains("new EventSource('/chat')");

        post("{\"from\":\"ada\",\"text\":\"before you came\"}");
        try (HttpEventClient client = HttpEventClient.connect(http, URI.create("http://127.0.0.1:" + port + "/chat"))) {
            // The rewind: a newcomer first gets the latest messages.
            assertThat(client.next(WAIT).data()).contains("before you came");
            post("{\"from\":\"bob\",\"text\":\"hello\"}");
            Event live = client.next(WAIT);
            assertThat(live.data()).isEqualTo("{\"from\":\"bob\",\"text\":\"hello\"}");
            assertThat(live.id()).isNotEmpty();
        }
    }

    /** Answers the page's EventSource would never send, over HTTP/1.0 and 1.1: each defined, none subscribed. */
    @ParameterizedTest
    @EnumSource(
            value = Protocol.class,
            names = {"HTTP_1_0", "HTTP_1_1"})
    void headOpensNoStreamAndUnservedMethodsGet405(Protocol protocol) throws Exception {
        Map<Replay.Outcome, Long> replaysBefore = replays();
        Protocol.Response head = protocol.exchange(port, -1, "HEAD", "/chat", Map.of("Accept", "text/event-stream"));
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.headers().get("content-type")).startsWith("text/event-stream");
        assertThat(head.body()).isEmpty();

        for (String method : List.of("PUT", "DELETE")) {
            Protocol.Response refused = protocol.exchange(port, -1, method, "/chat", Map.of());
            assertThat(refused.status()).as(method).isEqualTo(405);
            assertThat(refused.headers().get("allow"))
                    .as(method)
                    .contains("GET")
                    .contains("POST");
        }
        // The HEAD request's stream never opened: the hub did not read its history or replay to it.
        assertThat(replays()).isEqualTo(replaysBefore);
    }

    private Map<Replay.Outcome, Long> replays() {
        Map<Replay.Outcome, Long> counts = new EnumMap<>(Replay.Outcome.class);
        for (Replay.Outcome outcome : Replay.Outcome.values()) {
            counts.put(outcome, hub.replayCount(outcome));
        }
        return counts;
    }

    private void post(String json) throws Exception {
        HttpResponse<String> response = http.send(
                request("/chat")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    }
}
