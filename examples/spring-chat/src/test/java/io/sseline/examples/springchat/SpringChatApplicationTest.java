package io.sseline.examples.springchat;

import static org.assertj.core.api.Assertions.assertThat;

import io.sseline.core.Event;
import io.sseline.testing.HttpEventClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/** The example as it ships: the page is served, a posted message reaches a stream, newcomers get the latest. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SpringChatApplicationTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Value("${local.server.port}")
    int port;

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
