package io.sseline.servlet.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sseline.core.Event;
import io.sseline.servlet.CloseReason;
import io.sseline.servlet.EventStream;
import io.sseline.servlet.EventStreamConfig;
import io.sseline.servlet.RecordingServlet;
import io.sseline.servlet.hub.spi.Backplane;
import io.sseline.servlet.hub.spi.BackplaneHistory;
import io.sseline.servlet.internal.InMemoryBackplane;
import io.sseline.testing.Container;
import io.sseline.testing.HttpEventClient;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EventHubTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final HttpClient HTTP = HttpEventClient.http11();

    /** A servlet that subscribes each stream to the channels named in {@code ?channels=a,b}. */
    static RecordingServlet hubServlet(EventHub hub, BlockingQueue<Subscription> subscriptions) {
        EventStreamConfig config = EventStreamConfig.builder()
                .heartbeatInterval(Duration.ofMillis(100))
                .maxQueuedBytes(8 * 1024 * 1024)
                .build();
        return new RecordingServlet(config, (stream, request) -> {
            List<String> channels = List.of(request.getParameter("channels").split(","));
            subscriptions.add(hub.subscribe(
                    stream,
                    channels,
                    (s, lastEventId) ->
                            s.send(Event.of("state after " + lastEventId).withType("snapshot"))));
        });
    }

    static EventHub hub(int maxEntries) {
        return hub(maxEntries, 0);
    }

    static EventHub hub(int maxEntries, int rewind) {
        return EventHub.builder()
                .backplane(InMemoryBackplane.builder()
                        .epoch("t")
                        .maxEntries(maxEntries)
                        .build())
                .rewind(rewind)
                .build();
    }

    static String publish(EventHub hub, String channel, String data) {
        return hub.publish(channel, Event.of(data)).toCompletableFuture().join();
    }

    static Replay replayOf(BlockingQueue<Subscription> subscriptions) throws Exception {
        Subscription s = subscriptions.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(s).as("subscription").isNotNull();
        return s.replay().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void broadcastReachesTheSubscribersOfItsChannelWithHubAssignedIds(Container container) throws Exception {
        EventHub hub = hub(100);
        BlockingQueue<Subscription> subscriptions = new LinkedBlockingQueue<>();
        try (Container.Running server = container.start(hubServlet(hub, subscriptions));
                HttpEventClient chat = HttpEventClient.connect(HTTP, server.uri("channels=chat"));
                HttpEventClient both = HttpEventClient.connect(HTTP, server.uri("channels=chat,news"));
                HttpEventClient news = HttpEventClient.connect(HTTP, server.uri("channels=news"))) {
            for (int i = 0; i < 3; i++) {
                assertThat(replayOf(subscriptions).outcome()).isEqualTo(Replay.Outcome.NOT_REQUESTED);
            }
            // Each client learns the head at once, so a reconnect before any event still resumes.
            for (HttpEventClient c : List.of(chat, both, news)) {
                await("the head id").atMost(WAIT).until(() -> c.lastEventId().equals("t-0"));
            }
            assertThat(hub.subscriberCount("chat")).isEqualTo(2);
            assertThat(hub.channels()).containsExactlyInAnyOrder("chat", "news");

            assertThat(publish(hub, "chat", "c1")).isEqualTo("t-1");
            assertThat(publish(hub, "news", "n1")).isEqualTo("t-2");
            assertThat(publish(hub, "chat", "c2")).isEqualTo("t-3");

            assertThat(chat.next(2, WAIT))
                    .containsExactly(
                            Event.of("c1").withId("t-1"), Event.of("c2").withId("t-3"));
            assertThat(both.next(3, WAIT))
                    .containsExactly(
                            Event.of("c1").withId("t-1"),
                            Event.of("n1").withId("t-2"),
                            Event.of("c2").withId("t-3"));
            assertThat(news.next(WAIT)).isEqualTo(Event.of("n1").withId("t-2"));
            assertThat(news.poll(Duration.ofMillis(200)))
                    .as("an event of another channel")
                    .isNull();
        } finally {
            hub.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void reconnectWithLastEventIdReceivesExactlyWhatItMissedThenLiveEvents(Container container) throws Exception {
        EventHub hub = hub(100);
        BlockingQueue<Subscription> subscriptions = new LinkedBlockingQueue<>();
        try (Container.Running server = container.start(hubServlet(hub, subscriptions))) {
            String lastId;
            try (HttpEventClient first = HttpEventClient.connect(HTTP, server.uri("channels=a,b"))) {
                replayOf(subscriptions);
                publish(hub, "a", "1");
                lastId = first.next(WAIT).id();
            }
            await("the first stream to close").atMost(WAIT).until(() -> hub.subscriberCount("a") == 0);
            publish(hub, "b", "2");
            publish(hub, "c", "not subscribed");
            publish(hub, "a", "3");

            try (HttpEventClient second = HttpEventClient.connect(HTTP, server.uri("channels=a,b"), lastId)) {
                Replay replay = replayOf(subscriptions);
                assertThat(replay.outcome()).isEqualTo(Replay.Outcome.REPLAYED);
                assertThat(replay.count()).isEqualTo(2);
                assertThat(replay.lastEventId()).isEqualTo(lastId);
                publish(hub, "a", "5");
                assertThat(second.next(3, WAIT))
                        .containsExactly(
                                Event.of("2").withId("t-2"),
                                Event.of("3").withId("t-4"),
                                Event.of("5").withId("t-5"));
            }
        } finally {
            hub.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void replayIsExactAtTheSeamWhileEventsArePublishedContinuously(Container container) throws Exception {
        EventHub hub = hub(1_000_000);
        BlockingQueue<Subscription> subscriptions = new LinkedBlockingQueue<>();
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        ScheduledExecutorService publisher = Executors.newSingleThreadScheduledExecutor();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try (Container.Running server = container.start(hubServlet(hub, subscriptions))) {
            // Two events per millisecond, round-robin over channels a, b and c; data is the position.
            AtomicInteger next = new AtomicInteger();
            publisher.scheduleAtFixedRate(
                    () -> {
                        for (int i = 0; i < 2; i++) {
                            int n = next.getAndIncrement();
                            ids.add(publish(hub, "abc".substring(n % 3, n % 3 + 1), Integer.toString(n)));
                        }
                    },
                    0,
                    1,
                    TimeUnit.MILLISECONDS);

            List<Future<List<Event>>> runs = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                long seed = c;
                runs.add(clients.submit(() -> reconnectRepeatedly(server, new Random(seed))));
            }
            List<List<Event>> received = new ArrayList<>();
            for (Future<List<Event>> run : runs) {
                received.add(run.get(60, TimeUnit.SECONDS));
            }
            publisher.shutdown();
            assertThat(publisher.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

            for (List<Event> events : received) {
                List<Integer> got = new ArrayList<>();
                for (Event e : events) {
                    int n = Integer.parseInt(e.data());
                    assertThat(e.id()).as("id of event %d", n).isEqualTo(ids.get(n));
                    got.add(n);
                }
                assertThat(got).hasSizeGreaterThan(15);
                for (int i = 1; i < got.size(); i++) {
                    int expected = got.get(i - 1) + 1;
                    if (expected % 3 == 2) {
                        expected++; // channel c is not subscribed
                    }
                    assertThat(got.get(i)).as("event after %d", got.get(i - 1)).isEqualTo(expected);
                }
            }
            int replayed = 0;
            for (Subscription s : subscriptions) {
                replayed += s.replay().toCompletableFuture().get().count();
            }
            assertThat(replayed).as("events that came by replay").isPositive();
        } finally {
            publisher.shutdownNow();
            clients.shutdownNow();
            hub.close();
        }
    }

    /** Connects, reads a few events, drops the connection, resumes with Last-Event-ID; 15 times. */
    private static List<Event> reconnectRepeatedly(Container.Running server, Random random) throws Exception {
        List<Event> got = new ArrayList<>();
        String lastId = "";
        for (int round = 0; round < 15; round++) {
            try (HttpEventClient client = HttpEventClient.connect(HTTP, server.uri("channels=a,b"), lastId)) {
                List<Event> events = client.next(1 + random.nextInt(30), WAIT);
                got.addAll(events);
                lastId = events.get(events.size() - 1).id();
            }
        }
        return got;
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void lastEventIdTheHistoryCannotServeRunsTheGapHandlerBeforeLiveEvents(Container container) throws Exception {
        EventHub hub = hub(3);
        BlockingQueue<Subscription> subscriptions = new LinkedBlockingQueue<>();
        try (Container.Running server = container.start(hubServlet(hub, subscriptions))) {
            for (int i = 1; i <= 10; i++) {
                publish(hub, "a", Integer.toString(i));
            }
            for (String lastEventId : List.of("t-2", "old-7", "nonsense")) {
                try (HttpEventClient client = HttpEventClient.connect(HTTP, server.uri("channels=a"), lastEventId)) {
                    Replay replay = replayOf(subscriptions);
                    assertThat(replay.outcome()).isEqualTo(Replay.Outcome.GAP);
                    assertThat(client.next(WAIT))
                            .isEqualTo(Event.of("state after " + lastEventId)
                                    .withType("snapshot")
                                    .withId(lastEventId));
                    String id = publish(hub, "a", "live");
                    assertThat(client.next(WAIT)).isEqualTo(Event.of("live").withId(id));
                }
            }
        } finally {
            hub.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void subscriptionEndsWithItsStreamAndCancelLeavesTheStreamOpen(Container container) throws Exception {
        EventHub hub = hub(100);
        BlockingQueue<Subscription> subscriptions = new LinkedBlockingQueue<>();
        RecordingServlet servlet = hubServlet(hub, subscriptions);
        try (Container.Running server = container.start(servlet)) {
            HttpEventClient gone = HttpEventClient.connect(HTTP, server.uri("channels=a"));
            replayOf(subscriptions);
            assertThat(hub.subscriberCount("a")).isEqualTo(1);
            gone.close();
            await("the subscription to end").atMost(WAIT).until(() -> hub.subscriberCount("a") == 0);
            assertThat(hub.channels()).isEmpty();

            try (HttpEventClient stays = HttpEventClient.connect(HTTP, server.uri("channels=a"))) {
                Subscription subscription = subscriptions.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(subscription).isNotNull();
                subscription.replay().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                subscription.cancel();
                assertThat(subscription.isActive()).isFalse();
                assertThat(subscription.stream().isOpen()).isTrue();
                assertThat(hub.subscriberCount("a")).isZero();
                publish(hub, "a", "nobody listens");
                subscription.stream().send("direct");
                assertThat(stays.next(WAIT)).isEqualTo(Event.of("direct").withId("t-0")); // the head id it got
            }
        } finally {
            hub.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void applicationCanResumeFromAnIdOtherThanTheHeader(Container container) throws Exception {
        EventHub hub = hub(100);
        BlockingQueue<Subscription> subscriptions = new LinkedBlockingQueue<>();
        RecordingServlet servlet = new RecordingServlet(EventStreamConfig.defaults(), (stream, request) -> {
            String fromQuery = request.getParameter("lastEventId");
            String resumeFrom = stream.lastEventId().isEmpty() && fromQuery != null ? fromQuery : stream.lastEventId();
            subscriptions.add(hub.subscribe(stream, List.of("a"), resumeFrom, (s, id) -> {}));
        });
        try (Container.Running server = container.start(servlet)) {
            String first = publish(hub, "a", "1");
            publish(hub, "a", "2");
            publish(hub, "a", "3");
            try (HttpEventClient client = HttpEventClient.connect(HTTP, server.uri("lastEventId=" + first))) {
                Replay replay = replayOf(subscriptions);
                assertThat(replay.outcome()).isEqualTo(Replay.Outcome.REPLAYED);
                assertThat(replay.lastEventId()).isEqualTo(first);
                assertThat(client.next(2, WAIT)).extracting(Event::data).containsExactly("2", "3");
            }
            // The header, when present, wins in this servlet.
            try (HttpEventClient client = HttpEventClient.connect(HTTP, server.uri("lastEventId=" + first), "t-2")) {
                assertThat(replayOf(subscriptions).count()).isEqualTo(1);
                assertThat(client.next(WAIT).data()).isEqualTo("3");
            }
        } finally {
            hub.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void eventHubServletSubscribesEachStreamAndSendsTheSnapshotOnAGap(Container container) throws Exception {
        EventHub hub = hub(2);
        EventHubServlet servlet = new EventHubServlet(hub, EventStreamConfig.defaults(), List.of()) {
            private static final long serialVersionUID = 1L;

            @Override
            protected Collection<String> channels(HttpServletRequest request) {
                return List.of("room:" + request.getParameter("room"));
            }

            @Override
            protected void onHistoryGap(EventStream stream, String lastEventId) {
                stream.send(Event.of("full state").withType("snapshot"));
            }
        };
        try (Container.Running server = container.start(servlet)) {
            for (int i = 0; i < 5; i++) {
                publish(hub, "room:1", "old " + i);
            }
            try (HttpEventClient fresh = HttpEventClient.connect(HTTP, server.uri("room=1"));
                    HttpEventClient stale = HttpEventClient.connect(HTTP, server.uri("room=1"), "t-1");
                    HttpEventClient other = HttpEventClient.connect(HTTP, server.uri("room=2"))) {
                await("three subscribers")
                        .atMost(WAIT)
                        .until(() -> hub.subscriberCount("room:1") == 2 && hub.subscriberCount("room:2") == 1);
                assertThat(stale.next(WAIT))
                        .isEqualTo(Event.of("full state").withType("snapshot").withId("t-1"));
                String id = publish(hub, "room:1", "new");
                assertThat(fresh.next(WAIT)).isEqualTo(Event.of("new").withId(id));
                assertThat(stale.next(WAIT)).isEqualTo(Event.of("new").withId(id));
                String other2 = publish(hub, "room:2", "elsewhere");
                assertThat(other.next(WAIT)).isEqualTo(Event.of("elsewhere").withId(other2));
            }
        } finally {
            hub.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void freshSubscriberReceivesAnEventPublishedWhileItSubscribes(Container container) throws Exception {
        InMemoryBackplane log = InMemoryBackplane.builder().epoch("t").build();
        EventHub hub = EventHub.builder()
                .backplane(new DelegatingBackplane(log) {
                    @Override
                    public CompletionStage<BackplaneHistory> readAfter(String afterId, Set<String> channels) {
                        // Another thread publishes after the subscription registered, before the read.
                        log.publish("a", Event.of("raced"));
                        return log.readAfter(afterId, channels);
                    }
                })
                .build();
        BlockingQueue<Subscription> subscriptions = new LinkedBlockingQueue<>();
        try (Container.Running server = container.start(hubServlet(hub, subscriptions));
                HttpEventClient client = HttpEventClient.connect(HTTP, server.uri("channels=a"))) {
            assertThat(replayOf(subscriptions).outcome()).isEqualTo(Replay.Outcome.NOT_REQUESTED);
            assertThat(client.next(WAIT)).isEqualTo(Event.of("raced").withId("t-1"));
            String id = publish(hub, "a", "next");
            assertThat(client.next(WAIT)).isEqualTo(Event.of("next").withId(id));
        } finally {
            hub.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void historyReadThatNeverAnswersClosesTheStreamOnceTheLiveBufferIsFull(Container container) throws Exception {
        InMemoryBackplane log = InMemoryBackplane.builder().epoch("t").build();
        EventHub hub = EventHub.builder()
                .backplane(new DelegatingBackplane(log) {
                    @Override
                    public CompletionStage<BackplaneHistory> readAfter(String afterId, Set<String> channels) {
                        return new CompletableFuture<>(); // never answers
                    }
                })
                .build();
        BlockingQueue<Subscription> subscriptions = new LinkedBlockingQueue<>();
        RecordingServlet servlet = hubServlet(hub, subscriptions);
        try (Container.Running server = container.start(servlet);
                HttpEventClient client = HttpEventClient.connect(HTTP, server.uri("channels=a"))) {
            Subscription subscription = subscriptions.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(subscription).isNotNull();
            for (int i = 0; i < Subscription.MAX_PENDING; i++) {
                publish(hub, "a", "buffered");
            }
            assertThat(subscription.isActive()).isTrue();
            publish(hub, "a", "one too many");
            assertThat(subscription.replay().toCompletableFuture())
                    .failsWithin(WAIT)
                    .withThrowableThat()
                    .withMessageContaining("did not answer before 10000 live events");
            client.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(client.drainReceived()).isEmpty();
            assertThat(hub.subscriberCount("a")).isZero();
        } finally {
            hub.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void cancelWhileTheHistoryIsReadSendsNothingOfTheReplayAndCountsNone(Container container) throws Exception {
        InMemoryBackplane log = InMemoryBackplane.builder().epoch("t").build();
        CompletableFuture<BackplaneHistory> held = new CompletableFuture<>();
        EventHub hub = EventHub.builder()
                .backplane(new DelegatingBackplane(log) {
                    @Override
                    public CompletionStage<BackplaneHistory> readAfter(String afterId, Set<String> channels) {
                        // Answers only when the test lets it, with what the log held at the call.
                        CompletionStage<BackplaneHistory> read = super.readAfter(afterId, channels);
                        return held.thenCompose(ignored -> read);
                    }
                })
                .build();
        BlockingQueue<Subscription> subscriptions = new LinkedBlockingQueue<>();
        try (Container.Running server = container.start(hubServlet(hub, subscriptions))) {
            String missed = publish(hub, "a", "missed");
            String seen = publish(hub, "a", "seen");
            try (HttpEventClient client = HttpEventClient.connect(HTTP, server.uri("channels=a"), missed)) {
                Subscription subscription = subscriptions.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(subscription).isNotNull();
                subscription.cancel();
                held.complete(null);
                assertThatThrownBy(() ->
                                subscription.replay().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                        .cause()
                        .isInstanceOf(CancellationException.class);
                // The stream stays open and receives what the application sends. Its id is still the
                // one the client resumed from: neither the replay of "seen" nor the head's id reached it.
                subscription.stream().send("after the cancel");
                assertThat(client.next(WAIT))
                        .isEqualTo(Event.of("after the cancel").withId(missed));
                assertThat(client.lastEventId()).isNotEqualTo(seen);
                for (Replay.Outcome outcome : Replay.Outcome.values()) {
                    assertThat(hub.replayCount(outcome)).as("%s", outcome).isZero();
                }
                assertThat(hub.subscriberCount("a")).isZero();
            }
        } finally {
            hub.close();
        }
    }

    /** Passes every call to another backplane; tests override what they need to disturb. */
    static class DelegatingBackplane implements Backplane {
        private final Backplane delegate;

        DelegatingBackplane(Backplane delegate) {
            this.delegate = delegate;
        }

        @Override
        public void start(EntryHandler handler) {
            delegate.start(handler);
        }

        @Override
        public CompletionStage<String> publish(String channel, Event event) {
            return delegate.publish(channel, event);
        }

        @Override
        public CompletionStage<BackplaneHistory> readAfter(String afterId, Set<String> channels) {
            return delegate.readAfter(afterId, channels);
        }

        @Override
        public CompletionStage<BackplaneHistory> readLatest(Set<String> channels, int limit) {
            return delegate.readLatest(channels, limit);
        }

        @Override
        public int compare(String a, String b) {
            return delegate.compare(a, b);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void historyThatCannotBeReadClosesTheStreamSoTheClientRetries(Container container) throws Exception {
        InMemoryBackplane log = InMemoryBackplane.builder().epoch("t").build();
        EventHub hub = EventHub.builder()
                .backplane(new DelegatingBackplane(log) {
                    @Override
                    public CompletionStage<BackplaneHistory> readAfter(String afterId, Set<String> channels) {
                        return CompletableFuture.failedFuture(new IOException("history store unreachable"));
                    }
                })
                .build();
        BlockingQueue<Subscription> subscriptions = new LinkedBlockingQueue<>();
        RecordingServlet servlet = hubServlet(hub, subscriptions);
        try (Container.Running server = container.start(servlet);
                HttpEventClient client = HttpEventClient.connect(HTTP, server.uri("channels=a"), "t-0")) {
            Subscription subscription = subscriptions.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(subscription).isNotNull();
            assertThat(subscription.replay().toCompletableFuture())
                    .failsWithin(WAIT)
                    .withThrowableThat()
                    .withMessageContaining("history store unreachable");
            client.ended().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(servlet.awaitClosed(WAIT).reason()).isEqualTo(CloseReason.CLOSED);
            assertThat(hub.subscriberCount("a")).isZero();
        } finally {
            hub.close();
        }
    }

    @Test
    void historyReadsTheLatestEventsOfAChannelWithTheirIds() throws Exception {
        EventHub hub = hub(100);
        publish(hub, "a", "a1");
        publish(hub, "b", "b1");
        publish(hub, "a", "a2");
        publish(hub, "a", "a3");

        assertThat(hub.history("a", 2).toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .containsExactly(Event.of("a2").withId("t-3"), Event.of("a3").withId("t-4"));
        assertThat(hub.history("a", 10).toCompletableFuture().join())
                .extracting(Event::data)
                .containsExactly("a1", "a2", "a3");
        assertThat(hub.history("nobody", 5).toCompletableFuture().join()).isEmpty();
        assertThatThrownBy(() -> hub.history("a", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("limit must be at least 1: 0");
        assertThatThrownBy(() -> hub.history("", 1)).isInstanceOf(IllegalArgumentException.class);
        hub.close();
        assertThatThrownBy(() -> hub.history("a", 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void rewindSendsANewClientTheLatestEventsOfItsChannelsThenLiveOnes(Container container) throws Exception {
        EventHub hub = hub(100, 2);
        BlockingQueue<Subscription> subscriptions = new LinkedBlockingQueue<>();
        try (Container.Running server = container.start(hubServlet(hub, subscriptions))) {
            publish(hub, "a", "a1");
            publish(hub, "b", "b1");
            publish(hub, "a", "a2");
            publish(hub, "c", "not subscribed");
            try (HttpEventClient client = HttpEventClient.connect(HTTP, server.uri("channels=a,b"))) {
                Replay replay = replayOf(subscriptions);
                assertThat(replay.outcome()).isEqualTo(Replay.Outcome.NOT_REQUESTED);
                assertThat(replay.count()).isEqualTo(2);
                assertThat(client.next(2, WAIT))
                        .containsExactly(
                                Event.of("b1").withId("t-2"), Event.of("a2").withId("t-3"));
                // The head (t-4) is not one of its events: the client learns it, so that it resumes there.
                await("the head id")
                        .atMost(WAIT)
                        .until(() -> client.lastEventId().equals("t-4"));
                String id = publish(hub, "a", "live");
                assertThat(client.next(WAIT)).isEqualTo(Event.of("live").withId(id));
            }
        } finally {
            hub.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void rewindFollowsTheGapHandlerForAClientTheHistoryCannotResume(Container container) throws Exception {
        EventHub hub = hub(3, 2);
        BlockingQueue<Subscription> subscriptions = new LinkedBlockingQueue<>();
        try (Container.Running server = container.start(hubServlet(hub, subscriptions))) {
            for (int i = 1; i <= 10; i++) {
                publish(hub, "a", Integer.toString(i));
            }
            try (HttpEventClient client = HttpEventClient.connect(HTTP, server.uri("channels=a"), "t-2")) {
                Replay replay = replayOf(subscriptions);
                assertThat(replay.outcome()).isEqualTo(Replay.Outcome.GAP);
                assertThat(replay.count()).isEqualTo(2);
                assertThat(client.next(3, WAIT))
                        .containsExactly(
                                Event.of("state after t-2").withType("snapshot").withId("t-2"),
                                Event.of("9").withId("t-9"),
                                Event.of("10").withId("t-10"));
                String id = publish(hub, "a", "live");
                assertThat(client.next(WAIT)).isEqualTo(Event.of("live").withId(id));
            }
        } finally {
            hub.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void rewoundClientReceivesAnEventPublishedWhileItSubscribesOnce(Container container) throws Exception {
        InMemoryBackplane log = InMemoryBackplane.builder().epoch("t").build();
        EventHub hub = EventHub.builder()
                .backplane(new DelegatingBackplane(log) {
                    @Override
                    public CompletionStage<BackplaneHistory> readLatest(Set<String> channels, int limit) {
                        // Another thread publishes after the subscription registered, before the read.
                        log.publish("a", Event.of("raced"));
                        return log.readLatest(channels, limit);
                    }
                })
                .rewind(5)
                .build();
        BlockingQueue<Subscription> subscriptions = new LinkedBlockingQueue<>();
        try (Container.Running server = container.start(hubServlet(hub, subscriptions));
                HttpEventClient client = HttpEventClient.connect(HTTP, server.uri("channels=a"))) {
            assertThat(replayOf(subscriptions).count()).isEqualTo(1);
            String id = publish(hub, "a", "next");
            assertThat(client.next(2, WAIT))
                    .as("raced once, by the rewind, not again live")
                    .containsExactly(
                            Event.of("raced").withId("t-1"), Event.of("next").withId(id));
        } finally {
            hub.close();
        }
    }

    @Test
    void maxEntriesBoundsTheInMemoryHistory() throws Exception {
        EventHub hub = EventHub.builder().maxEntries(2).build();
        BlockingQueue<Subscription> subscriptions = new LinkedBlockingQueue<>();
        try (Container.Running server = Container.JETTY.start(hubServlet(hub, subscriptions))) {
            String first = publish(hub, "a", "1");
            String second = publish(hub, "a", "2");
            publish(hub, "a", "3");
            publish(hub, "a", "4"); // the log keeps 3 and 4: a client that had 1 missed the trimmed 2
            try (HttpEventClient trimmed = HttpEventClient.connect(HTTP, server.uri("channels=a"), first)) {
                assertThat(replayOf(subscriptions).outcome()).isEqualTo(Replay.Outcome.GAP);
                assertThat(trimmed.next(WAIT).type()).isEqualTo("snapshot");
            }
            try (HttpEventClient kept = HttpEventClient.connect(HTTP, server.uri("channels=a"), second)) {
                Replay replay = replayOf(subscriptions);
                assertThat(replay.outcome()).isEqualTo(Replay.Outcome.REPLAYED);
                assertThat(replay.count()).isEqualTo(2);
                assertThat(kept.next(2, WAIT)).extracting(Event::data).containsExactly("3", "4");
            }
        } finally {
            hub.close();
        }
    }

    @Test
    void historyOptionsSizeTheInMemoryLogOnlyAndAreChecked() {
        assertThatThrownBy(() -> EventHub.builder().maxEntries(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxEntries must be at least 1: 0");
        assertThatThrownBy(() -> EventHub.builder().maxAge(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxAge");
        assertThatThrownBy(() -> EventHub.builder().rewind(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rewind must not be negative: -1");
        EventHub.Builder both = EventHub.builder()
                .maxEntries(10)
                .backplane(InMemoryBackplane.builder().build());
        assertThatThrownBy(both::build)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("configure the history on the backplane");
    }

    @Test
    void publishRefusesEventsWithIdsEmptyChannelsAndAClosedHub() {
        EventHub hub = EventHub.create();
        assertThatThrownBy(() -> hub.publish("a", Event.of("x").withId("7")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"7\"")
                .hasMessageContaining("without one");
        assertThatThrownBy(() -> hub.publish("", Event.of("x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("channel");
        hub.close();
        assertThatThrownBy(() -> hub.publish("a", Event.of("x")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
