package io.sseline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sseline.testing.TestCertificate;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Redirects, which the event source follows itself so that credentials stay with their origin. Two
 * MockWebServers on two ports are two origins. Fetch ("HTTP-redirect fetch") sets the rules for
 * methods and bodies; for headers to another origin this client keeps only the protocol's (fetch
 * drops Authorization; a browser's EventSource sends no other credentials or custom headers).
 */
class RedirectTest extends MockServerFixture {
    private final MockWebServer other = new MockWebServer();

    RedirectTest() {
        super(Duration.ofMillis(100));
    }

    @BeforeEach
    void startOther() throws IOException {
        other.start();
    }

    @AfterEach
    void stopOther() {
        other.close();
    }

    private static MockResponse redirect(int status, String location) {
        return new MockResponse.Builder()
                .code(status)
                .setHeader("Location", location)
                .build();
    }

    /** A source that posts a body with credentials and custom headers, and stops after one connection. */
    private EventSource.Builder credentialedPost() {
        return builder()
                .method("POST", HttpRequest.BodyPublishers.ofString("{\"q\":1}"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer secret")
                .header("Cookie", "session=secret")
                .header("Proxy-Authorization", "Basic secret")
                .header("X-Api-Key", "secret")
                .headers(() -> Map.of("X-Computed-Token", "secret"))
                .lastEventId("41")
                .reconnectPolicy(failure -> {
                    failures.add(failure);
                    return Optional.empty();
                });
    }

    static Stream<Arguments> statusesAndOrigins() {
        return Stream.of(301, 302, 303, 307, 308)
                .flatMap(status -> Stream.of(Arguments.of(status, false), Arguments.of(status, true)));
    }

    @ParameterizedTest(name = "{0}, to another origin: {1}")
    @MethodSource("statusesAndOrigins")
    void followsEachRedirectWithFetchsMethodRulesAndKeepsCredentialsAtHome(int status, boolean crossOrigin)
            throws Exception {
        MockWebServer target = crossOrigin ? other : server;
        server.enqueue(redirect(status, target.url("/moved").toString()));
        target.enqueue(stream("data: moved\n\n"));
        source = credentialedPost().connect(recorder);

        recorder.expectOpen();
        assertThat(recorder.expectData()).isEqualTo("moved");
        RecordedRequest first = takeRequest(server);
        RecordedRequest second = takeRequest(target);

        assertThat(first.getMethod()).isEqualTo("POST");
        assertThat(second.getTarget()).isEqualTo("/moved");
        // Fetch, HTTP-redirect fetch: 301 and 302 turn POST into GET; 303 turns every method
        // but GET and HEAD into GET; the body and its headers go. 307 and 308 keep both.
        boolean keepsBody = status == 307 || status == 308;
        assertThat(second.getMethod()).isEqualTo(keepsBody ? "POST" : "GET");
        assertThat(second.getBody() == null ? "" : second.getBody().utf8()).isEqualTo(keepsBody ? "{\"q\":1}" : "");
        assertThat(second.getHeaders().get("Content-Type")).isEqualTo(keepsBody ? "application/json" : null);
        // The protocol's headers go everywhere.
        assertThat(second.getHeaders().get("Accept")).isEqualTo("text/event-stream");
        assertThat(second.getHeaders().get("Accept-Encoding")).isEqualTo("identity");
        assertThat(second.getHeaders().get("Cache-Control")).isEqualTo("no-cache");
        assertThat(second.getHeaders().get("Last-Event-ID")).isEqualTo("41");
        // Credentials, custom and computed headers: to the same origin only (fetch drops
        // Authorization; this client drops every header that is not the protocol's). HttpClient sends
        // Proxy-Authorization to a proxy only, never to a server; HopTest sees it dropped.
        assertThat(second.getHeaders().get("Proxy-Authorization")).isNull();
        for (String name : List.of("Authorization", "Cookie", "X-Api-Key", "X-Computed-Token")) {
            assertThat(first.getHeaders().get(name)).as(name).isNotNull();
            assertThat(second.getHeaders().get(name))
                    .as("%s after a %d to %s", name, status, crossOrigin ? "another origin" : "the same origin")
                    .isEqualTo(crossOrigin ? null : first.getHeaders().get(name));
        }
        recorder.expectError(java.io.EOFException.class, false);
        recorder.expectClosed();
    }

    @Test
    void putStaysPutThroughA302() throws Exception {
        server.enqueue(redirect(302, "/moved"));
        server.enqueue(stream("data: moved\n\n"));
        source = builder()
                .method("PUT", HttpRequest.BodyPublishers.ofString("x"))
                .connect(recorder);

        recorder.expectOpen();
        assertThat(recorder.expectData()).isEqualTo("moved");
        recorder.expectError(java.io.EOFException.class, true);
        takeRequest(server);
        RecordedRequest second = takeRequest(server);
        assertThat(second.getMethod())
                .as("fetch changes only POST on 301 and 302")
                .isEqualTo("PUT");
        assertThat(second.getBody().utf8()).isEqualTo("x");
    }

    @Test
    void credentialsDroppedOnTheWayOutStayDroppedOnTheWayBack() throws Exception {
        server.enqueue(redirect(302, other.url("/away").toString()));
        other.enqueue(redirect(302, server.url("/back").toString()));
        server.enqueue(stream("data: home\n\n"));
        source = builder().header("Authorization", "Bearer secret").connect(recorder);

        recorder.expectOpen();
        assertThat(recorder.expectData()).isEqualTo("home");
        recorder.expectError(java.io.EOFException.class, true);
        assertThat(takeRequest(server).getHeaders().get("Authorization")).isEqualTo("Bearer secret");
        assertThat(takeRequest(other).getHeaders().get("Authorization")).isNull();
        assertThat(takeRequest(server).getHeaders().get("Authorization")).isNull();
    }

    @Test
    void relativeLocationResolvesAgainstTheUrlThatAnswered() throws Exception {
        server.enqueue(redirect(307, "../elsewhere?x=1#fragment"));
        server.enqueue(stream("data: moved\n\n"));
        source = EventSource.builder(server.url("/a/events").uri())
                .httpClient(client)
                .connect(recorder);

        recorder.expectOpen();
        assertThat(recorder.expectData()).isEqualTo("moved");
        recorder.expectError(java.io.EOFException.class, true);
        takeRequest(server);
        assertThat(takeRequest(server).getTarget()).isEqualTo("/elsewhere?x=1");
    }

    @Test
    void eachReconnectionStartsAgainFromTheSourcesUri() throws Exception {
        server.enqueue(redirect(301, "/moved"));
        server.enqueue(stream("data: 1\n\n"));
        server.enqueue(status(204));
        source = builder().connect(recorder);

        recorder.expectOpen();
        recorder.expectData();
        recorder.expectError(java.io.EOFException.class, true);
        recorder.expectClosed();
        assertThat(takeRequest(server).getTarget()).isEqualTo("/events");
        assertThat(takeRequest(server).getTarget()).isEqualTo("/moved");
        assertThat(takeRequest(server).getTarget())
                .as("a permanent redirect holds for one connection")
                .isEqualTo("/events");
    }

    @Test
    void redirectsInARowAreCapped() throws Exception {
        for (int i = 0; i < 5; i++) {
            server.enqueue(redirect(302, "/loop" + i));
        }
        source = builder().maxRedirects(3).connect(recorder);

        UnexpectedResponseException error = recorder.expectError(UnexpectedResponseException.class, false);
        recorder.expectClosed();
        assertThat(error.statusCode()).isEqualTo(302);
        assertThat(error.uri()).isEqualTo(server.url("/loop2").uri());
        assertThat(error.getMessage()).contains("redirect was not followed", "maxRedirects (3)");
        assertThat(server.getRequestCount()).isEqualTo(4);
    }

    @Test
    void maxRedirectsZeroFollowsNone() throws Exception {
        server.enqueue(redirect(302, "/moved"));
        source = builder().maxRedirects(0).connect(recorder);

        UnexpectedResponseException error = recorder.expectError(UnexpectedResponseException.class, false);
        recorder.expectClosed();
        assertThat(error.getMessage()).contains("maxRedirects is 0");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ftp://example.com/events", "http://[bad"})
    void redirectWithoutAUsableLocationFailsWithoutRetry(String location) throws Exception {
        server.enqueue(location.isEmpty() ? new MockResponse.Builder().code(302).build() : redirect(302, location));
        source = builder().connect(recorder);

        UnexpectedResponseException error = recorder.expectError(UnexpectedResponseException.class, false);
        recorder.expectClosed();
        assertThat(error.statusCode()).isEqualTo(302);
        assertThat(error.getMessage())
                .contains("redirect was not followed")
                .contains(
                        location.isEmpty() ? "no Location" : location.startsWith("ftp") ? "not an http" : "not a URL");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    /** A downgrade would send the request, its headers and the stream in clear text. */
    @Test
    void redirectFromHttpsToHttpIsNeverFollowed() throws Exception {
        try (StreamServer tls = StreamServer.Kind.JETTY_H2.start()) {
            tls.replyWith(headers -> new StreamServer.Reply(
                    302, Map.of("Location", server.url("/plain").toString()), new byte[0], true));
            source = EventSource.builder(tls.uri("/events"))
                    .httpClient(HttpClient.newBuilder()
                            .sslContext(TestCertificate.clientContext())
                            .build())
                    .connect(recorder);

            UnexpectedResponseException error = recorder.expectError(UnexpectedResponseException.class, false);
            recorder.expectClosed();
            assertThat(error.statusCode()).isEqualTo(302);
            assertThat(error.getMessage()).contains("from https to " + server.url("/plain"), "unencrypted");
            assertThat(server.getRequestCount()).isZero();
        }
    }

    @Test
    void clientThatFollowsRedirectsItselfIsRefused() {
        HttpClient following = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();

        assertThatThrownBy(() -> builder().httpClient(following))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("followRedirects(HttpClient.Redirect.NEVER)");
    }

    @Test
    void factoryThatMakesAClientThatFollowsRedirectsClosesTheSource() throws Exception {
        source = builder()
                .httpClients(() -> HttpClient.newBuilder()
                        .followRedirects(HttpClient.Redirect.ALWAYS)
                        .build())
                .connect(recorder);

        assertThat(recorder.expectError(IllegalArgumentException.class, false).getMessage())
                .contains("EventSource.Builder#httpClients", "ALWAYS");
        recorder.expectClosed();
        assertThat(server.getRequestCount()).isZero();
    }
}
