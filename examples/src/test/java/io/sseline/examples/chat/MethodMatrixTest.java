package io.sseline.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sseline.testing.Protocol;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every endpoint of the chat, every method (GET, HEAD, OPTIONS, POST, PUT and one HTTP does not
 * know), over HTTP/1.0, HTTP/1.1, h2c and h2: each cell gets a defined answer, and no cell leaves an
 * event stream, a room or a user behind.
 */
class MethodMatrixTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final List<String> METHODS = List.of("GET", "HEAD", "OPTIONS", "POST", "PUT", "BREW");
    /** The endpoints; the streams end by themselves (count=1) or are read up to their first event. */
    static final List<String> PATHS = List.of("/", "/sse?room=matrix", "/messages", "/ping?count=1");

    static ChatServer server;

    @BeforeAll
    static void start() throws Exception {
        server = ChatServer.builder()
                .port(0)
                .httpsPort(0)
                .pingInterval(Duration.ofMillis(10))
                .heartbeatInterval(Duration.ofMillis(50))
                .start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Stream<Arguments> cells() {
        List<Arguments> cells = new ArrayList<>();
        for (String path : PATHS) {
            for (String method : METHODS) {
                for (Protocol protocol : Protocol.values()) {
                    cells.add(Arguments.of(path, method, protocol));
                }
            }
        }
        return cells.stream();
    }

    /** The answer a cell must get: status, Allow when refused, and what the body holds. */
    record Expected(int status, String allow, String body) {}

    static String endpointOf(String path) {
        return path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    }

    static Expected expected(String path, String method) {
        String endpoint = endpointOf(path);
        boolean stream = endpoint.equals("/sse") || endpoint.equals("/ping");
        String allow = endpoint.equals("/messages") ? "POST, OPTIONS" : "GET, HEAD, OPTIONS";
        return switch (method) {
            case "OPTIONS" -> new Expected(204, allow, "");
            case "GET", "HEAD" -> {
                if (endpoint.equals("/messages")) {
                    yield new Expected(405, allow, method.equals("HEAD") ? "" : "{\"error\"");
                }
                String body = method.equals("HEAD")
                        ? ""
                        : stream ? (endpoint.equals("/sse") ? "event: online" : "event: ping") : "<!doctype html>";
                yield new Expected(200, null, body);
            }
            case "POST" ->
                endpoint.equals("/messages")
                        ? new Expected(415, null, "{\"error\"") // no Content-Type
                        : new Expected(405, allow, "{\"error\"");
            default -> new Expected(405, allow, "{\"error\"");
        };
    }

    @ParameterizedTest(name = "{1} {0} over {2}")
    @MethodSource("cells")
    void everyCellHasADefinedAnswerAndLeavesNoStreamBehind(String path, String method, Protocol protocol)
            throws Exception {
        Expected expected = expected(path, method);
        int port = server.uri().getPort();
        int tlsPort = server.secureUri().orElseThrow().getPort();
        // /sse does not end by itself: the client reads its first event and goes (the heartbeat finds it gone).
        Protocol.Response response = path.startsWith("/sse") && method.equals("GET")
                ? protocol.firstBytes(port, tlsPort, method, path, Map.of(), 64)
                : protocol.exchange(port, tlsPort, method, path, Map.of());

        assertThat(response.status()).isEqualTo(expected.status());
        if (expected.allow() != null) {
            assertThat(response.headers()).containsEntry("allow", expected.allow());
        }
        String body = new String(response.body(), StandardCharsets.UTF_8);
        if (expected.body().isEmpty()) {
            assertThat(body).isEmpty();
        } else {
            assertThat(body).containsIgnoringCase(expected.body());
        }
        if (expected.status() == 200 && !endpointOf(path).equals("/")) {
            assertThat(response.headers().get("content-type")).startsWith("text/event-stream");
        }
        await("no event stream open").atMost(WAIT).until(() -> server.streams().openCount() == 0);
        await("no room live").atMost(WAIT).until(() -> server.rooms().liveRooms() == 0);
        assertThat(server.rooms().online("matrix")).isZero();
    }
}
