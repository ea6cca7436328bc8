package io.sseline.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What each redirect hop sends, decided without a network; RedirectTest follows real ones. */
class HopTest {
    private static final URI START = URI.create("https://api.example.com/v1/events?topic=a");

    private static Hop first(String method) {
        return Hop.first(
                START,
                method,
                HttpRequest.BodyPublishers.ofString("{}"),
                Map.of(
                        "content-type", List.of("application/json"),
                        "authorization", List.of("Bearer secret"),
                        "Proxy-Authorization", List.of("Basic secret"),
                        "COOKIE", List.of("a=1", "b=2"),
                        "X-Api-Key", List.of("secret")),
                Map.of("X-Token", "secret"));
    }

    private static Map<String, List<String>> headers(Hop hop) {
        return hop.request(Optional.of("7")).headers().map();
    }

    @Test
    void sameOriginKeepsEveryHeaderWhateverItsCase() throws Exception {
        Hop next = first("POST").redirect(307, Optional.of("/v2/events"), 20);

        assertThat(next.uri()).isEqualTo(URI.create("https://api.example.com/v2/events"));
        assertThat(headers(next))
                .containsKeys("authorization", "Proxy-Authorization", "COOKIE", "X-Api-Key", "X-Token", "content-type")
                .containsEntry("Last-Event-ID", List.of("7"));
    }

    @Test
    void anotherOriginGetsTheProtocolsHeadersAndTheBodysOnly() throws Exception {
        for (String location : List.of(
                "https://other.example.com/events", // host
                "https://api.example.com:8443/events", // port
                "https://API.example.com:443/elsewhere")) { // the same origin, written otherwise
            Hop next = first("POST").redirect(308, Optional.of(location), 20);
            Map<String, List<String>> headers = headers(next);
            boolean same = location.contains("API.");

            assertThat(headers.containsKey("authorization")).as(location).isEqualTo(same);
            assertThat(headers.containsKey("Proxy-Authorization")).as(location).isEqualTo(same);
            assertThat(headers.containsKey("COOKIE")).as(location).isEqualTo(same);
            assertThat(headers.containsKey("X-Api-Key")).as(location).isEqualTo(same);
            assertThat(headers.containsKey("X-Token")).as(location).isEqualTo(same);
            assertThat(headers)
                    .as(location)
                    .containsKeys("Accept", "Accept-Encoding", "Cache-Control", "Last-Event-ID", "content-type");
            assertThat(next.request(Optional.empty()).method()).isEqualTo("POST");
        }
    }

    @Test
    void httpToHttpsIsAnotherOriginAndHttpsToHttpIsRefused() throws Exception {
        Hop plain = Hop.first(
                        URI.create("http://api.example.com/events"),
                        "GET",
                        HttpRequest.BodyPublishers.noBody(),
                        Map.of("Authorization", List.of("x")),
                        Map.of())
                .redirect(301, Optional.of("https://api.example.com/events"), 20);
        assertThat(headers(plain)).doesNotContainKey("Authorization");

        assertThatThrownBy(() -> first("GET").redirect(302, Optional.of("http://api.example.com/events"), 20))
                .isInstanceOf(Hop.RedirectRefusedException.class)
                .hasMessageContaining("from https to http://api.example.com/events")
                .hasMessageContaining("unencrypted");
    }

    @Test
    void postBecomesGetWithoutBodyHeadersOn301302And303() throws Exception {
        for (int status : new int[] {301, 302, 303}) {
            Hop next = first("POST").redirect(status, Optional.of("/moved"), 20);
            HttpRequest request = next.request(Optional.empty());

            assertThat(request.method()).isEqualTo("GET");
            assertThat(request.bodyPublisher().orElseThrow().contentLength()).isZero();
            assertThat(request.headers().map()).doesNotContainKey("content-type");
        }
        assertThat(first("DELETE")
                        .redirect(303, Optional.of("/moved"), 20)
                        .request(Optional.empty())
                        .method())
                .isEqualTo("GET");
        assertThat(first("DELETE")
                        .redirect(302, Optional.of("/moved"), 20)
                        .request(Optional.empty())
                        .method())
                .isEqualTo("DELETE");
    }

    @Test
    void locationInUtf8IsReadAsUtf8AndPercentEncoded() throws Exception {
        // HttpClient hands header bytes over as ISO-8859-1 characters.
        String raw = new String("/caf\u00e9/\u2713".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);

        Hop next = first("GET").redirect(302, Optional.of(raw), 20);

        assertThat(next.uri().toString()).isEqualTo("https://api.example.com/caf%C3%A9/%E2%9C%93");
    }

    @Test
    void theSourcesLastEventIdReplacesAFixedOne() {
        Hop hop = Hop.first(
                START, "GET", HttpRequest.BodyPublishers.noBody(), Map.of("last-event-id", List.of("stale")), Map.of());

        assertThat(hop.request(Optional.of("7")).headers().allValues("Last-Event-ID"))
                .containsExactly("7");
        assertThat(hop.request(Optional.empty()).headers().allValues("Last-Event-ID"))
                .isEmpty();
    }

    @Test
    void fragmentIsNotSent() throws Exception {
        Hop next = first("GET").redirect(302, Optional.of("/moved#part"), 20);

        assertThat(next.request(Optional.empty()).uri()).isEqualTo(URI.create("https://api.example.com/moved"));
    }

    @Test
    void hopsAreCountedAcrossTheChain() throws Exception {
        Hop hop = first("GET");
        for (int i = 0; i < 3; i++) {
            hop = hop.redirect(302, Optional.of("/hop" + i), 3);
        }
        Hop last = hop;

        assertThatThrownBy(() -> last.redirect(302, Optional.of("/hop3"), 3))
                .hasMessageContaining("redirect number 4 in a row")
                .hasMessageContaining("maxRedirects (3)");
    }
}
