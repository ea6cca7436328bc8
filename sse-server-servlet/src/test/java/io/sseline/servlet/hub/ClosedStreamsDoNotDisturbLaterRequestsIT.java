package io.sseline.servlet.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sseline.core.Event;
import io.sseline.servlet.RecordingServlet;
import io.sseline.testing.Container;
import io.sseline.testing.HttpEventClient;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Regression: a heartbeat write under way on the scheduler thread while the container completed the
 * stream of a client that had gone used to reach the container's recycled response objects, and the
 * next request on the server then failed (Tomcat answered it with an empty event stream). Closing now
 * waits for such a write to return.
 */
class ClosedStreamsDoNotDisturbLaterRequestsIT {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final HttpClient HTTP = HttpEventClient.http11();

    @ParameterizedTest
    @EnumSource(Container.class)
    void everyReconnectOpensItsOwnStreamAfterTheOldOneWasDetectedGone(Container container) throws Exception {
        EventHub hub = EventHubTest.hub(1000);
        BlockingQueue<Subscription> subscriptions = new LinkedBlockingQueue<>();
        RecordingServlet servlet = EventHubTest.hubServlet(hub, subscriptions);
        try (Container.Running server = container.start(servlet)) {
            String lastId = "";
            for (int round = 0; round < 30; round++) {
                try (HttpEventClient client = HttpEventClient.connect(HTTP, server.uri("channels=a"), lastId)) {
                    Subscription subscription = subscriptions.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    assertThat(subscription)
                            .as("subscription of round %d", round)
                            .isNotNull();
                    subscription.replay().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    String id = hub.publish("a", Event.of("round " + round))
                            .toCompletableFuture()
                            .join();
                    assertThat(client.next(WAIT))
                            .isEqualTo(Event.of("round " + round).withId(id));
                    lastId = id;
                }
                // The server notices the closed connection at a heartbeat write.
                await("the stream of round to end").atMost(WAIT).until(() -> hub.subscriberCount("a") == 0);
            }
            assertThat(servlet.eventStreams().openedCount()).isEqualTo(30);
        } finally {
            hub.close();
        }
    }
}
