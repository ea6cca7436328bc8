package io.sseline.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResponsesTest {
    private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 11, 25, 8, 0, 0, 0, ZoneOffset.UTC);

    private static HttpResponse.ResponseInfo response(int status, String... headerPairs) {
        Map<String, List<String>> map = new java.util.HashMap<>();
        for (int i = 0; i < headerPairs.length; i += 2) {
            map.put(headerPairs[i], List.of(headerPairs[i + 1]));
        }
        HttpHeaders headers = HttpHeaders.of(map, (name, value) -> true);
        return new HttpResponse.ResponseInfo() {
            @Override
            public int statusCode() {
                return status;
            }

            @Override
            public HttpHeaders headers() {
                return headers;
            }

            @Override
            public HttpClient.Version version() {
                return HttpClient.Version.HTTP_1_1;
            }
        };
    }

    @Test
    void eventStreamTypeIgnoresParametersCaseAndSpaces() {
        assertThat(Responses.isEventStream(response(200, "Content-Type", "text/event-stream")))
                .isTrue();
        assertThat(Responses.isEventStream(response(200, "Content-Type", " Text/Event-Stream ; charset=utf-8")))
                .isTrue();
        assertThat(Responses.isEventStream(response(200, "Content-Type", "text/event-streams")))
                .isFalse();
        assertThat(Responses.isEventStream(response(200, "Content-Type", "text/plain")))
                .isFalse();
        assertThat(Responses.isEventStream(response(200))).isFalse();
        assertThat(Responses.isEventStream(response(201, "Content-Type", "text/event-stream")))
                .isFalse();
    }

    @Test
    void contentCodingOtherThanIdentityIsNotAnEventStream() {
        assertThat(Responses.isEventStream(
                        response(200, "Content-Type", "text/event-stream", "Content-Encoding", "identity")))
                .isTrue();
        assertThat(Responses.isEventStream(
                        response(200, "Content-Type", "text/event-stream", "Content-Encoding", " Identity ")))
                .isTrue();
        assertThat(Responses.isEventStream(
                        response(200, "Content-Type", "text/event-stream", "Content-Encoding", "gzip")))
                .isFalse();
        assertThat(Responses.isEventStream(
                        response(200, "Content-Type", "text/event-stream", "Content-Encoding", "identity, br")))
                .isFalse();
    }

    @Test
    void contentCodingNamesWhatTheServerApplied() {
        assertThat(Responses.contentCoding(response(200).headers())).isEmpty();
        assertThat(Responses.contentCoding(
                        response(200, "Content-Encoding", "identity").headers()))
                .isEmpty();
        assertThat(Responses.contentCoding(
                        response(200, "Content-Encoding", "gzip").headers()))
                .isEqualTo("gzip");
        assertThat(Responses.contentCoding(
                        response(200, "Content-Encoding", "deflate, br").headers()))
                .isEqualTo("deflate, br");
    }

    @Test
    void retryAfterReadsDeltaSeconds() {
        assertThat(Responses.retryAfter(response(429, "Retry-After", "120"), NOW))
                .hasValue(Duration.ofSeconds(120));
        assertThat(Responses.retryAfter(response(429, "Retry-After", " 0 "), NOW))
                .hasValue(Duration.ZERO);
    }

    @Test
    void retryAfterReadsAnHttpDate() {
        String inThirtySeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(30));
        String anHourAgo = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.minusHours(1));

        assertThat(Responses.retryAfter(response(503, "Retry-After", inThirtySeconds), NOW))
                .hasValue(Duration.ofSeconds(30));
        assertThat(Responses.retryAfter(response(503, "Retry-After", anHourAgo), NOW))
                .as("a date in the past asks for no wait")
                .hasValue(Duration.ZERO);
    }

    @Test
    void retryAfterIgnoresWhatItCannotRead() {
        assertThat(Responses.retryAfter(response(429), NOW)).isEmpty();
        assertThat(Responses.retryAfter(response(429, "Retry-After", ""), NOW)).isEmpty();
        assertThat(Responses.retryAfter(response(429, "Retry-After", "soon"), NOW))
                .isEmpty();
        assertThat(Responses.retryAfter(response(429, "Retry-After", "-5"), NOW))
                .isEmpty();
        assertThat(Responses.retryAfter(response(429, "Retry-After", "99999999999999999999999"), NOW))
                .isEmpty();
    }
}
