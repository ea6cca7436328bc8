package io.sseline.examples.ssecat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SseCatTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String EVENT_STREAM = "text/event-stream";

    private final ScriptedServer server;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    SseCatTest() throws Exception {
        server = new ScriptedServer();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void jsonOncePrintsExactlyOneObjectPerEventWithTypeDataAndLastEventId() throws Exception {
        server.reply(
                200,
                "text/event-stream; charset=utf-8",
                String.join(
                        "\n",
                        ": a comment, not an event",
                        "retry: 1000",
                        "data: first",
                        "",
                        "event: chat",
                        "id: 7",
                        "data: two",
                        "data: lines \"quoted\" \\ and ünïcödé 🎉",
                        "",
                        "data: the id goes on",
                        "",
                        "id",
                        "event: reset",
                        "data:",
                        "",
                        "data: cut off by the end of the stream"));

        int code = run("--json", "--once", server.uri("/events").toString());

        assertThat(code).isZero();
        assertThat(stderr()).isEmpty();
        List<String> lines = stdout().lines().toList();
        assertThat(lines)
                .containsExactly(
                        "{\"type\":\"message\",\"data\":\"first\",\"id\":\"\"}",
                        "{\"type\":\"chat\",\"data\":\"two\\nlines \\\"quoted\\\" \\\\ and ünïcödé 🎉\",\"id\":\"7\"}",
                        "{\"type\":\"message\",\"data\":\"the id goes on\",\"id\":\"7\"}",
                        "{\"type\":\"reset\",\"data\":\"\",\"id\":\"\"}");
        for (String line : lines) {
            JsonNode object = JSON.readTree(line);
            assertThat(object.fieldNames()).toIterable().containsExactly("type", "data", "id");
        }
        assertThat(stdout()).endsWith("\n");
    }

    @Test
    void textOncePrintsTypeIdAndDataReadably() {
        server.reply(200, EVENT_STREAM, "event: ping\nid: 1\ndata: 1\n\ndata: a\ndata: b\n\n");

        int code = run("--once", server.uri("/").toString());

        assertThat(code).isZero();
        assertThat(stdout()).isEqualTo("event: ping   id: 1\n1\n\nevent: message   id: 1\na\nb\n\n");
    }

    @Test
    void onceExitsWithTheHttpErrorCodeOn404AndPrintsNothingOnStdout() {
        server.reply(404, "text/html", "<h1>Not Found</h1>");

        int code = run("--json", "--once", server.uri("/missing").toString());

        assertThat(code).isEqualTo(SseCat.EXIT_HTTP_ERROR).isEqualTo(4);
        assertThat(stdout()).isEmpty();
        assertThat(stderr()).contains("/missing answered HTTP 404: <h1>Not Found</h1>");
    }

    @Test
    void onceExitsWithTheWrongContentTypeCodeWhenTheBodyIsNotAnEventStream() {
        server.reply(200, "text/html;charset=utf-8", "<html>a login page</html>");

        int code = run("--json", "--once", server.uri("/login").toString());

        assertThat(code).isEqualTo(SseCat.EXIT_NOT_AN_EVENT_STREAM).isEqualTo(5);
        assertThat(stdout()).isEmpty();
        assertThat(stderr())
                .contains("is not an event stream")
                .contains("text/html")
                .contains("text/event-stream");
    }

    @Test
    void onceRefusesAGzipEncodedStreamInsteadOfExitingZero() throws Exception {
        server.reply(200, EVENT_STREAM, java.util.Map.of("Content-Encoding", "gzip"), "data: unreadable\n\n");

        int code = run("--once", server.uri("/gzipped").toString());

        assertThat(code).isEqualTo(SseCat.EXIT_NOT_AN_EVENT_STREAM);
        assertThat(stdout()).isEmpty();
        assertThat(stderr()).contains("Content-Encoding gzip", "Accept-Encoding: identity");
        assertThat(server.received.poll(5, TimeUnit.SECONDS).headers()).containsEntry("Accept-Encoding", "identity");
    }

    @Test
    void onceExitsWithTheConnectionCodeWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        int code = run("--once", "http://127.0.0.1:" + port + "/events");

        assertThat(code).isEqualTo(SseCat.EXIT_CONNECTION_FAILED).isEqualTo(3);
        assertThat(stdout()).isEmpty();
        assertThat(stderr()).contains("cannot connect to http://127.0.0.1:" + port);
    }

    @Test
    void onceTreats204AsAnEmptyStream() {
        server.reply(204, "text/plain", "");

        assertThat(run("--once", server.uri("/").toString())).isZero();
        assertThat(stdout()).isEmpty();
    }

    @Test
    void headersMethodBodyAndLastEventIdAreSent() throws Exception {
        server.reply(200, EVENT_STREAM, "data: ok\n\n");

        int code = run(
                "-H",
                "Authorization: Bearer t0k3n",
                "-H",
                "X-Trace:  42 ",
                "-d",
                "{\"q\":1}",
                "--last-event-id",
                "e-9",
                "--once",
                server.uri("/stream").toString());

        assertThat(code).isZero();
        ScriptedServer.Received request = server.received.poll(5, TimeUnit.SECONDS);
        assertThat(request).isNotNull();
        assertThat(request.method()).as("-d without -X posts").isEqualTo("POST");
        assertThat(request.body()).isEqualTo("{\"q\":1}");
        assertThat(request.headers())
                .containsEntry("Authorization", "Bearer t0k3n")
                .containsEntry("X-Trace", "42")
                .containsEntry("Last-Event-ID", "e-9")
                .containsEntry("Accept", "text/event-stream");
    }

    @Test
    void explicitMethodWins() throws Exception {
        server.reply(200, EVENT_STREAM, "data: ok\n\n");

        run("-X", "put", "-d", "x", "--once", server.uri("/").toString());

        assertThat(server.received.poll(5, TimeUnit.SECONDS).method()).isEqualTo("PUT");
    }

    /**
     * A redirect to another origin must not take {@code -H} headers along; the JDK client's own
     * redirects would, so {@code --once} reports the redirect instead of following it.
     */
    @Test
    void onceReportsARedirectInsteadOfTakingTheHeadersToAnotherOrigin() throws Exception {
        try (ScriptedServer other = new ScriptedServer()) {
            String elsewhere = other.uri("/feed").toString();
            server.reply(302, "text/plain", java.util.Map.of("Location", elsewhere), "");

            int code = run(
                    "-H",
                    "Authorization: Bearer t0k3n",
                    "--once",
                    server.uri("/events").toString());

            assertThat(code).isEqualTo(SseCat.EXIT_HTTP_ERROR);
            assertThat(stdout()).isEmpty();
            assertThat(stderr())
                    .contains("answered HTTP 302, a redirect to " + elsewhere)
                    .contains("--once does not follow")
                    .contains("run without --once");
            assertThat(server.received.poll(5, TimeUnit.SECONDS).headers())
                    .containsEntry("Authorization", "Bearer t0k3n");
            assertThat(other.received).as("nothing reached the other origin").isEmpty();
        }
    }

    @Test
    void withoutOnceARedirectToAnotherOriginIsFollowedWithoutTheHeaders() throws Exception {
        try (ScriptedServer other = new ScriptedServer()) {
            server.reply(
                    307,
                    "text/plain",
                    java.util.Map.of("Location", other.uri("/feed").toString()),
                    "");
            other.reply(200, EVENT_STREAM, "id: 1\ndata: moved\n\n").reply(204, "text/plain", "");

            int code = run(
                    "-H",
                    "Authorization: Bearer t0k3n",
                    "-H",
                    "X-Api-Key: k",
                    "--json",
                    server.uri("/").toString());

            assertThat(code).isZero();
            assertThat(stdout().lines()).containsExactly("{\"type\":\"message\",\"data\":\"moved\",\"id\":\"1\"}");
            assertThat(server.received.poll(5, TimeUnit.SECONDS).headers())
                    .containsEntry("Authorization", "Bearer t0k3n");
            ScriptedServer.Received moved = other.received.poll(5, TimeUnit.SECONDS);
            assertThat(moved.path()).isEqualTo("/feed");
            assertThat(moved.headers())
                    .containsEntry("Accept", "text/event-stream")
                    .doesNotContainKeys("Authorization", "X-Api-Key");
        }
    }

    @Test
    void withoutOnceItReconnectsWithTheLastEventIdUntilTheServerSays204() throws Exception {
        server.reply(200, EVENT_STREAM, "retry: 10\nid: 1\ndata: one\n\n")
                .reply(200, EVENT_STREAM, "id: 2\ndata: two\n\n")
                .reply(204, "text/plain", "");

        int code = run("--json", server.uri("/feed").toString());

        assertThat(code).isZero();
        assertThat(stdout().lines())
                .containsExactly(
                        "{\"type\":\"message\",\"data\":\"one\",\"id\":\"1\"}",
                        "{\"type\":\"message\",\"data\":\"two\",\"id\":\"2\"}");
        assertThat(server.received.poll(5, TimeUnit.SECONDS).headers()).doesNotContainKey("Last-Event-ID");
        assertThat(server.received.poll(5, TimeUnit.SECONDS).headers()).containsEntry("Last-Event-ID", "1");
        assertThat(server.received.poll(5, TimeUnit.SECONDS).headers()).containsEntry("Last-Event-ID", "2");
        assertThat(stderr()).contains("reconnecting after id 1");
    }

    @Test
    void withoutOnceA404StopsWithTheHttpErrorCode() {
        server.reply(404, "text/plain", "no");

        assertThat(run("--json", server.uri("/nope").toString())).isEqualTo(SseCat.EXIT_HTTP_ERROR);
        assertThat(stdout()).isEmpty();
        assertThat(stderr()).contains("404");
    }

    @Test
    void usageErrorsExitWith2AndSayWhatIsWrong() {
        assertThat(run()).isEqualTo(SseCat.EXIT_USAGE);
        assertThat(stderr()).contains("sse-cat: no URL given").contains("usage: sse-cat");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void helpPrintsTheUsageOnStdout() {
        assertThat(run("--help")).isZero();
        assertThat(stdout()).startsWith("usage: sse-cat [options] URL").contains("--last-event-id");
    }

    private int run(String... args) {
        PrintStream stdout = new PrintStream(out, true, UTF_8);
        PrintStream stderr = new PrintStream(err, true, UTF_8);
        return SseCat.run(args, new ByteArrayInputStream(new byte[0]), stdout, stderr);
    }

    private String stdout() {
        return out.toString(UTF_8);
    }

    private String stderr() {
        return err.toString(UTF_8);
    }
}
