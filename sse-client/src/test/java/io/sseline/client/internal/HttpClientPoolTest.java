package io.sseline.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Which lane the pool grants, decided without a network: the grants of requests to one origin, with
 * the answers, refusals and late answers that the sources would report. StreamLimitsIT runs the
 * same rules against real servers.
 */
class HttpClientPoolTest {
    private static final URI URI_A = URI.create("http://example.com/events");

    private final List<HttpClient> made = new ArrayList<>();
    private final Supplier<HttpClient> factory = () -> {
        HttpClient client = HttpClient.newBuilder().build();
        made.add(client);
        return client;
    };
    private final HttpClientPool pool = HttpClientPool.growing(factory, "the test's factory");
    private final List<HttpClientPool.Lease> granted = new ArrayList<>();

    private void request(int count) {
        for (int i = 0; i < count; i++) {
            pool.acquire(URI_A, granted::add, e -> {
                throw new AssertionError(e);
            });
        }
    }

    @Test
    void requestsToAClientWithoutAResponseWaitForTheFirstOnesAnswer() {
        request(50);

        assertThat(granted).hasSize(1);
        assertThat(granted.get(0).probe()).isTrue();

        granted.get(0).confirm(HttpClient.Version.HTTP_2);

        assertThat(granted).hasSize(50);
        assertThat(granted).allMatch(lease -> lease.client() == made.get(0));
        assertThat(granted.subList(1, 50)).noneMatch(HttpClientPool.Lease::probe);
    }

    /**
     * The client learns the server's stream limit from the SETTINGS frame that comes before the first
     * response. A late first response used to release every waiting request onto the lane at once,
     * a burst beyond the limit that the server refused, and that Tomcat answered with GOAWAY for the
     * whole connection (and Jetty by closing it) under load.
     */
    @Test
    void aLateAnswerLetsTwiceAsManyGoNotEveryRequestThatWaits() {
        request(50);
        assertThat(granted.get(0).patienceNanos())
                .as("a lane of an origin whose protocol is not known yet")
                .isEqualTo(HttpClientPool.PATIENCE_NANOS);

        granted.get(0).patienceExpired();
        assertThat(granted).as("after the first request's patience").hasSize(2);

        granted.get(0).patienceExpired();
        assertThat(granted).as("the same patience, reported twice").hasSize(2);

        granted.get(1).patienceExpired();
        assertThat(granted).as("after the second request's patience").hasSize(4);

        granted.get(2).patienceExpired();
        granted.get(3).patienceExpired();
        assertThat(granted)
                .as("the third and fourth requests' patience, one doubling")
                .hasSize(8);
        assertThat(granted).allMatch(HttpClientPool.Lease::probe);

        granted.get(5).confirm(HttpClient.Version.HTTP_2);
        assertThat(granted).as("an answer on the lane").hasSize(50);
        assertThat(made).as("clients").hasSize(1);

        granted.get(0).patienceExpired();
        assertThat(granted).as("patience after the answer").hasSize(50);
    }

    @Test
    void aRefusalTeachesTheLimitAndANewClientStartsWithOneRequest() {
        request(10);
        granted.get(0).confirm(HttpClient.Version.HTTP_2);
        assertThat(granted).hasSize(10);

        HttpClientPool.Refusal refusal = granted.get(9).refused(false);

        assertThat(refusal).isEqualTo(HttpClientPool.Refusal.MOVE);
        request(1); // the refused request, sent again
        assertThat(made).hasSize(2);
        assertThat(granted).hasSize(11);
        assertThat(granted.get(10).client()).isSameAs(made.get(1));
        assertThat(granted.get(10).probe()).isTrue();

        request(20);
        assertThat(granted)
                .as("the new client's first request is not answered yet")
                .hasSize(11);

        assertThat(granted.get(10).patienceNanos())
                .as("a lane of a server that showed its HTTP/2 limit waits longer for its answer")
                .isEqualTo(HttpClientPool.HTTP2_PATIENCE_NANOS);
        granted.get(10).patienceExpired();
        assertThat(granted).hasSize(12);

        granted.get(10).confirm(HttpClient.Version.HTTP_2);
        assertThat(granted)
                .as("the new client fills up to the limit its peer showed, then a third takes one")
                .hasSize(20);
        assertThat(granted.subList(10, 19)).allMatch(lease -> lease.client() == made.get(1));
        assertThat(made).hasSize(3);
        assertThat(granted.get(19).client()).isSameAs(made.get(2));
        assertThat(granted.get(19).probe()).isTrue();
    }

    /**
     * Until a lane shows its limit, each answer lets it carry two more streams beyond the first 100:
     * an HTTP/2 client refuses a few dozen requests before the lane learns its limit, where it used
     * to be handed every waiting request (thousands of refused exchanges at 10,000 sources).
     */
    @Test
    void aLaneOfUnknownLimitGrowsWithItsAnswers() {
        request(1000);
        granted.get(0).confirm(HttpClient.Version.HTTP_2);
        assertThat(granted).as("the first answer").hasSize(HttpClientPool.UNKNOWN_LIMIT_STREAMS);

        for (int i = 1; i < 60; i++) {
            granted.get(i).confirm(HttpClient.Version.HTTP_2);
        }
        granted.get(0).confirm(HttpClient.Version.HTTP_2);
        assertThat(granted).as("60 answers").hasSize(120);

        HttpClientPool.Refusal refusal = granted.get(119).refused(false);
        assertThat(refusal).isEqualTo(HttpClientPool.Refusal.MOVE);
        for (int i = 60; i < 119; i++) {
            granted.get(i).confirm(HttpClient.Version.HTTP_2);
        }
        assertThat(granted)
                .as("answers on a lane that showed its limit of 119, and a new lane's first request")
                .hasSize(121);
        assertThat(granted.get(120).client()).isSameAs(made.get(1));
    }

    @Test
    void anAnswerOverHttp11LetsEveryWaitingRequestGo() {
        request(1000);
        granted.get(0).confirm(HttpClient.Version.HTTP_1_1);

        assertThat(granted).hasSize(1000);
        assertThat(made).hasSize(1);
    }

    @Test
    void aRefusalAloneOnItsConnectionIsTheAttemptsFailure() {
        request(1);
        granted.get(0).confirm(HttpClient.Version.HTTP_2);

        assertThat(granted.get(0).refused(false)).isEqualTo(HttpClientPool.Refusal.FAIL);
        assertThat(HttpClientPool.isStreamLimitRefusal(new IOException("too many concurrent streams")))
                .isTrue();
    }
}
