package io.sseline.examples.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sseline.servlet.EventStreamConfig;
import io.sseline.testing.Protocol;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The relay's two endpoints, every method (GET, HEAD, OPTIONS, POST, PUT and one HTTP does not
 * know), over the HTTP versions it speaks (HTTP/1.0, HTTP/1.1 and h2c; it has no TLS port): each cell
 * gets a defined answer, only a {@code GET} of {@code /relay} reaches the upstream, and no cell leaves
 * an event stream behind. Then what its gate refuses: another site's page, and a name that is not
 * the relay's host.
 */
class RelayMethodMatrixTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> METHODS = List.of("GET", "HEAD", "OPTIONS", "POST", "PUT", "BREW");
    /** Two tokens, then [DONE]: the stream ends by itself. */
    static final String RELAY = "/relay?prompt=hi&max_tokens=2";

    static RelayServer relay;

    @BeforeAll
    static void start() throws Exception {
        relay = RelayServer.start(0, null, "", Duration.ZERO, EventStreamConfig.defaults());
    }

    @AfterAll
    static void stop() throws Exception {
        relay.close();
    }

    static FakeLlm llm() {
        return Objects.requireNonNull(relay.llm(), "the relay's fake model");
    }

    static Stream<Arguments> cells() {
        List<Arguments> cells = new ArrayList<>();
        for (String path : List.of("/", RELAY)) {
            for (String method : METHODS) {
                for (Protocol protocol : List.of(Protocol.HTTP_1_0, Protocol.HTTP_1_1, Protocol.H2C)) {
                    cells.add(Arguments.of(path, method, protocol));
                }
            }
        }
        return cells.stream();
    }

    static Protocol.Response exchange(Protocol protocol, String method, String path, Map<String, String> headers)
            throws Exception {
        return protocol.exchange(relay.port(), -1, method, path, headers);
    }

    @ParameterizedTest(name = "{1} {0} over {2}")
    @MethodSource("cells")
    void everyCellHasADefinedAnswerAndOnlyAGetOfTheRelayGoesUpstream(String path, String method, Protocol protocol)
            throws Exception {
        boolean stream = path.startsWith("/relay");
        int upstreamBefore = llm().requests();
        Protocol.Response response = exchange(protocol, method, path, Map.of());
        String body = new String(response.body(), StandardCharsets.UTF_8);

        switch (method) {
            case "GET", "HEAD" -> {
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.headers().get("content-type"))
                        .startsWith(stream ? "text/event-stream" : "text/html");
                if (method.equals("HEAD")) {
                    assertThat(body).isEmpty();
                } else if (stream) {
                    assertThat(body).contains("data: {").endsWith("data: [DONE]\n\n");
                } else {
                    assertThat(body).startsWith("<!doctype html>");
                }
            }
            case "OPTIONS" -> {
                assertThat(response.status()).isEqualTo(204);
                assertThat(response.headers()).containsEntry("allow", "GET, HEAD, OPTIONS");
                assertThat(body).isEmpty();
            }
            default -> {
                assertThat(response.status()).isEqualTo(405);
                assertThat(response.headers()).containsEntry("allow", "GET, HEAD, OPTIONS");
                assertThat(JSON.readTree(body).get("error").asText()).contains(method + " is not served here");
            }
        }
        int upstream = stream && method.equals("GET") ? 1 : 0;
        assertThat(llm().requests() - upstreamBefore)
                .as("requests sent upstream")
                .isEqualTo(upstream);
        await("no event stream open").atMost(WAIT).until(() -> relay.streams().openCount() == 0);
    }

    /** A browser sends its page's origin with every cross-origin request, an EventSource's included. */
    @ParameterizedTest
    @ValueSource(strings = {"http://evil.example", "null", "http://127.0.0.1:1", "https://127.0.0.1"})
    void anotherOriginsPageCannotSpendTheApiKey(String origin) throws Exception {
        int upstreamBefore = llm().requests();
        Protocol.Response response = exchange(Protocol.HTTP_1_1, "GET", RELAY, Map.of("Origin", origin));

        assertThat(response.status()).isEqualTo(403);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("field").asText()).isEqualTo("Origin");
        assertThat(error.get("error").asText()).contains(origin);
        assertThat(llm().requests()).as("requests sent upstream").isEqualTo(upstreamBefore);
    }

    @Test
    void theRelaysOwnPageAndTheRelaysOwnOriginAreServed() throws Exception {
        int upstreamBefore = llm().requests();
        Protocol.Response response =
                exchange(Protocol.HTTP_1_1, "GET", RELAY, Map.of("Origin", "http://127.0.0.1:" + relay.port()));

        assertThat(response.status()).isEqualTo(200);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).endsWith("data: [DONE]\n\n");
        assertThat(llm().requests()).isEqualTo(upstreamBefore + 1);
        // The page itself is no costlier than any page: another origin may load it.
        Protocol.Response page = exchange(Protocol.HTTP_1_1, "GET", "/", Map.of("Origin", "http://evil.example"));
        assertThat(page.status()).isEqualTo(200);
    }

    /** DNS rebinding: a name the attacker controls, pointed at 127.0.0.1, arrives as the Host. */
    @ParameterizedTest
    @MethodSource("rebinding")
    void aHostThatIsNotTheRelaysIsRefused(Protocol protocol, String path) throws Exception {
        int upstreamBefore = llm().requests();
        Protocol.Response response = exchange(protocol, "GET", path, Map.of("Host", "rebound.example:" + relay.port()));

        assertThat(response.status()).isEqualTo(403);
        assertThat(JSON.readTree(response.body()).get("field").asText()).isEqualTo("Host");
        assertThat(llm().requests()).isEqualTo(upstreamBefore);
    }

    static Stream<Arguments> rebinding() {
        return Stream.of(
                Arguments.of(Protocol.HTTP_1_1, RELAY),
                Arguments.of(Protocol.HTTP_1_1, "/"),
                Arguments.of(Protocol.HTTP_1_0, RELAY));
    }
}
