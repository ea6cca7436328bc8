package io.sseline.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.sseline.core.Event;
import io.sseline.core.EventCodec;
import io.sseline.servlet.hub.spi.BackplaneEntry;
import io.sseline.servlet.hub.spi.BackplaneHistory;
import io.sseline.testing.HttpEventClient;
import io.sseline.testing.RedisProcess;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** Two nodes (two hubs, each on its own backplane, one stream) in one JVM, on a real Redis. */
class RedisBackplaneTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpEventClient.http11();

    private static RedisProcess redis;
    private static ClientResources resources;

    private final Deque<AutoCloseable> cleanup = new ArrayDeque<>();
    private String key;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisProcess.start();
        resources = DefaultClientResources.create();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        resources.shutdown(0, 2, TimeUnit.SECONDS).get();
        redis.close();
    }

    @BeforeEach
    void name(TestInfo test) {
        key = "test:" + test.getTestMethod().orElseThrow().getName();
    }

    @AfterEach
    void close() throws Exception {
        while (!cleanup.isEmpty()) {
            cleanup.pop().close();
        }
    }

    private RedisBackplane.Builder backplane(String uri) {
        return RedisBackplane.builder()
                .uri(uri)
                .streamKey(key)
                .clientResources(resources)
                .commandTimeout(Duration.ofSeconds(5))
                .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(200));
    }

    private <T extends AutoCloseable> T closing(T resource) {
        cleanup.push(resource);
        return resource;
    }

    private Node node() throws Exception {
        return closing(Node.start(backplane(redis.uri()).build()));
    }

    private HttpEventClient subscribe(Node node, String channel, String lastEventId) throws Exception {
        return closing(Node.subscribe(
                HTTP, node.events(channel), lastEventId, () -> node.hub().subscriberCount(channel), WAIT));
    }

    @Test
    void eventPublishedOnOneNodeReachesSubscribersOfEveryNode() throws Exception {
        Node a = node();
        Node b = node();
        HttpEventClient onA = subscribe(a, "chat", "");
        HttpEventClient onB = subscribe(b, "chat", "");

        String id = a.publish("chat", "hello from A");

        Event got = onB.next(WAIT);
        assertThat(got.data()).isEqualTo("hello from A");
        assertThat(got.id()).isEqualTo(id);
        assertThat(onA.next(WAIT).id()).isEqualTo(id);
    }

    @Test
    void aValuePublishedThroughACodecIsEncodedOnceForEveryNodeAndSubscriber() throws Exception {
        AtomicInteger encodes = new AtomicInteger();
        EventCodec<UUID> counting = EventCodec.of(
                UUID.class,
                value -> {
                    encodes.incrementAndGet();
                    return value.toString();
                },
                UUID::fromString);
        Node a = node();
        Node b = node();
        List<HttpEventClient> clients = new ArrayList<>();
        for (Node node : List.of(a, b, a, b)) {
            clients.add(subscribe(node, "ids", ""));
        }
        UUID value = UUID.randomUUID();

        String id =
                a.hub().publish("ids", value, counting).toCompletableFuture().get(30, TimeUnit.SECONDS);

        for (HttpEventClient client : clients) {
            Event got = client.next(WAIT);
            assertThat(counting.decode(got)).isEqualTo(value);
            assertThat(got.id()).isEqualTo(id);
        }
        assertThat(encodes).as("encodings for two nodes and four subscribers").hasValue(1);
    }

    @Test
    void everyNodeReceivesEachChannelInOneOrder() throws Exception {
        Node a = node();
        Node b = node();
        HttpEventClient xOnA = subscribe(a, "x", "");
        HttpEventClient xOnB = subscribe(b, "x", "");
        HttpEventClient yOnB = subscribe(b, "y", "");

        // Two publishers at once, one per node, each on both channels.
        CompletableFuture<List<String>> fromA = CompletableFuture.supplyAsync(() -> publishMany(a, "a", 50));
        CompletableFuture<List<String>> fromB = CompletableFuture.supplyAsync(() -> publishMany(b, "b", 50));
        fromA.get(30, TimeUnit.SECONDS);
        fromB.get(30, TimeUnit.SECONDS);

        List<Event> xa = xOnA.next(100, WAIT);
        List<Event> xb = xOnB.next(100, WAIT);
        List<Event> yb = yOnB.next(100, WAIT);
        assertThat(xa).isEqualTo(xb);
        assertThat(ids(xa)).isSortedAccordingTo(a.backplane()::compare);
        assertThat(ids(yb)).isSortedAccordingTo(b.backplane()::compare);
        // Each publisher's events keep its order.
        assertThat(data(xa).stream().filter(d -> d.startsWith("a")).toList())
                .containsExactly(expected("a", 0, 50, 2).toArray(String[]::new));
        assertThat(data(xa).stream().filter(d -> d.startsWith("b")).toList())
                .containsExactly(expected("b", 0, 50, 2).toArray(String[]::new));
        assertThat(data(yb).stream().filter(d -> d.startsWith("b")).toList())
                .containsExactly(expected("b", 1, 50, 2).toArray(String[]::new));
        assertThat(data(yb).stream().filter(d -> d.startsWith("a")).toList())
                .containsExactly(expected("a", 1, 50, 2).toArray(String[]::new));
        assertThat(xOnA.poll(Duration.ofMillis(200))).as("nothing more").isNull();
    }

    private static List<String> publishMany(Node node, String prefix, int n) {
        List<String> ids = new ArrayList<>();
        try {
            for (int i = 0; i < n * 2; i++) {
                ids.add(node.publish(i % 2 == 0 ? "x" : "y", prefix + i));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return ids;
    }

    private static List<String> expected(String prefix, int from, int count, int step) {
        List<String> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(prefix + (from + i * step));
        }
        return list;
    }

    private static List<String> ids(List<Event> events) {
        return events.stream().map(Event::id).toList();
    }

    private static List<String> data(List<Event> events) {
        return events.stream().map(Event::data).toList();
    }

    @Test
    void clientResumesOnAnotherNodeWithNothingLostOrRepeated() throws Exception {
        Node a = node();
        Node b = node();
        HttpEventClient first = subscribe(a, "chat", "");
        a.publish("chat", "m1");
        Event m1 = first.next(WAIT);
        first.close();

        a.publish("chat", "m2");
        b.publish("other", "not for chat");
        String m3 = b.publish("chat", "m3");

        HttpEventClient resumed = subscribe(b, "chat", m1.id());
        List<Event> replayed = resumed.next(2, WAIT);
        assertThat(data(replayed)).containsExactly("m2", "m3");
        assertThat(replayed.get(1).id()).isEqualTo(m3);
        a.publish("chat", "m4");
        assertThat(resumed.next(WAIT).data()).isEqualTo("m4");
        assertThat(resumed.poll(Duration.ofMillis(200))).as("no duplicate").isNull();
    }

    @Test
    void idOfATrimmedEntryIsAnsweredWithAGap() throws Exception {
        RedisBackplane log = closing(backplane(redis.uri()).maxEntries(10).build());
        String first = publish(log, "c", "first");
        List<CompletableFuture<String>> more = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            more.add(log.publish("c", Event.of("e" + i)).toCompletableFuture());
        }
        String last = more.get(more.size() - 1).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        String retained = more.get(more.size() - 3).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(read(log, first, "c").isGap()).isTrue();
        BackplaneHistory recent = read(log, retained, "c");
        assertThat(recent.isGap()).isFalse();
        assertThat(recent.entries()).extracting(e -> e.event().data()).containsExactly("e398", "e399");
        assertThat(recent.head()).isEqualTo(last);

        Node node = closing(Node.start(backplane(redis.uri()).maxEntries(10).build()));
        HttpEventClient client = subscribe(node, "c", first);
        Event snapshot = client.next(WAIT);
        assertThat(snapshot.type()).isEqualTo("snapshot");
        assertThat(snapshot.data()).isEqualTo("gap after " + first);
    }

    @Test
    void entriesOlderThanMaxAgeAreTrimmedAndTheirIdsAnsweredWithAGap() throws Exception {
        RedisBackplane log =
                closing(backplane(redis.uri()).maxAge(Duration.ofMillis(200)).build());
        String first = publish(log, "c", "old");
        List<CompletableFuture<String>> old = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            old.add(log.publish("c", Event.of("old" + i)).toCompletableFuture());
        }
        String lastOld = old.get(299).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(read(log, first, "c").isGap()).as("still young").isFalse();

        long publishedBy = System.currentTimeMillis();
        await("the old entries to pass maxAge")
                .atMost(WAIT)
                .until(() -> System.currentTimeMillis() > publishedBy + 400);
        String young = publish(log, "c", "young");

        assertThat(read(log, first, "c").isGap()).isTrue();
        assertThat(read(log, "", "c").head()).isEqualTo(young);
        // Trimmed in whole blocks of entries (MINID ~): most old entries are gone, the young one stays.
        int length = Integer.parseInt(redis.command("XLEN " + key).substring(1));
        assertThat(length).isBetween(1, 200);
        assertThat(log.compare(lastOld, young)).isNegative();
    }

    @Test
    void idsFromAnotherEpochMalformedOrBeyondTheEndAreAnsweredWithAGap() throws Exception {
        RedisBackplane log = closing(backplane(redis.uri()).build());
        String id = publish(log, "c", "one");
        String epoch = id.substring(0, id.indexOf('-'));

        assertThat(read(log, "otherepoch" + "-1-0", "c").isGap()).isTrue();
        assertThat(read(log, "not an id", "c").isGap()).isTrue();
        assertThat(read(log, epoch + "-99999999999999-0", "c").isGap()).isTrue();
        BackplaneHistory fresh = read(log, "", "c");
        assertThat(fresh.isGap()).isFalse();
        assertThat(fresh.entries()).isEmpty();
        assertThat(fresh.head()).isEqualTo(id);
        assertThat(read(log, id, "c").entries()).isEmpty();
    }

    @Test
    void aClientThatSawAnEmptyLogResumesWithoutAGap() throws Exception {
        RedisBackplane log = closing(backplane(redis.uri()).build());
        String head = read(log, "", "quiet").head();
        publish(log, "busy", "b1");
        String q1 = publish(log, "quiet", "q1");

        BackplaneHistory history = read(log, head, "quiet");
        assertThat(history.isGap()).isFalse();
        assertThat(history.entries()).extracting(BackplaneEntry::id).containsExactly(q1);
    }

    @Test
    void readAfterReturnsEveryEntryOfItsChannelsAcrossPages() throws Exception {
        RedisBackplane log = closing(backplane(redis.uri()).build());
        String start = publish(log, "a", "start");
        List<CompletableFuture<String>> ids = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            ids.add(log.publish(i % 2 == 0 ? "a" : "b", Event.of("e" + i).withType("t" + (i % 3)))
                    .toCompletableFuture());
        }
        CompletableFuture.allOf(ids.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        BackplaneHistory history = read(log, start, "a");
        assertThat(history.isGap()).isFalse();
        assertThat(history.head()).isEqualTo(ids.get(2499).get());
        assertThat(history.entries()).hasSize(1250);
        for (int k = 0; k < 1250; k++) {
            BackplaneEntry entry = history.entries().get(k);
            int i = 2 * k;
            assertThat(entry.id()).isEqualTo(ids.get(i).get());
            assertThat(entry.channel()).isEqualTo("a");
            assertThat(entry.event()).isEqualTo(Event.of("e" + i).withType("t" + (i % 3)));
        }
    }

    @Test
    void eventFieldsSurviveTheStream() throws Exception {
        Node a = node();
        Node b = node();
        HttpEventClient client = subscribe(b, "c", "");
        Event event = Event.of("line one\nline two, ünïcödé").withType("update").withRetry(Duration.ofMillis(1500));
        String id = a.hub().publish("c", event).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);

        Event got = client.next(WAIT);
        assertThat(got).isEqualTo(event.withId(id));
        BackplaneHistory history = read(b.backplane(), "", "c");
        assertThat(history.head()).isEqualTo(id);
    }

    @Test
    void compareOrdersIdsAsTheStreamDoesAndRejectsForeignOnes() throws Exception {
        RedisBackplane log = closing(backplane(redis.uri()).build());
        String one = publish(log, "c", "1");
        String two = publish(log, "c", "2");

        assertThat(log.compare(one, two)).isNegative();
        assertThat(log.compare(two, one)).isPositive();
        assertThat(log.compare(one, one)).isZero();
        assertThatThrownBy(() -> log.compare(one, "garbage"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("garbage")
                .hasMessageContaining(key);
        assertThatThrownBy(() -> log.compare("neverseen-1-0", one))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("neverseen-1-0");
    }

    @Test
    void publishFailsLoudlyWhileRedisIsUnreachable() throws Exception {
        TcpProxy proxy = closing(new TcpProxy(redis.port()));
        RedisBackplane log = closing(backplane(proxy.uri()).build());
        publish(log, "c", "before");
        proxy.cut();

        CompletableFuture<String> failed = log.publish("c", Event.of("lost?")).toCompletableFuture();
        assertThatThrownBy(() -> failed.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(RedisBackplaneException.class)
                .hasMessageContaining(key)
                .hasMessageContaining("check that Redis is running");
        assertThat(((RedisBackplaneException)
                                failed.handle((v, e) -> e.getCause()).get())
                        .operation())
                .isEqualTo("append to");
        CompletableFuture<BackplaneHistory> read =
                log.readAfter("", Set.of("c")).toCompletableFuture();
        assertThatThrownBy(() -> read.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(RedisBackplaneException.class);
    }

    @Test
    void entriesAppendedWhileANodeIsCutOffAreDeliveredAfterwards() throws Exception {
        TcpProxy proxy = closing(new TcpProxy(redis.port()));
        Node a = node();
        Node b = closing(Node.start(backplane(proxy.uri()).build()));
        HttpEventClient client = subscribe(b, "chat", "");
        a.publish("chat", "m1");
        assertThat(client.next(WAIT).data()).isEqualTo("m1");

        proxy.cut();
        String m2 = a.publish("chat", "m2");
        String m3 = a.publish("chat", "m3");
        CompletableFuture<String> fromB =
                b.hub().publish("chat", Event.of("from b")).toCompletableFuture();
        assertThatThrownBy(() -> fromB.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(RedisBackplaneException.class);
        proxy.restore();

        List<Event> after = client.next(2, WAIT);
        assertThat(ids(after)).containsExactly(m2, m3);
        String m4 = a.publish("chat", "m4");
        assertThat(client.next(WAIT).id()).isEqualTo(m4);
        assertThat(client.poll(Duration.ofMillis(200))).as("no duplicate").isNull();
    }

    @Test
    void afterARedisRestartNodesGoOnAndIdsFromBeforeGetAGap() throws Exception {
        RedisProcess own = closing(RedisProcess.start());
        Node a = closing(Node.start(backplane(own.uri()).build()));
        Node b = closing(Node.start(backplane(own.uri()).build()));
        HttpEventClient client = subscribe(b, "chat", "");
        String m1 = a.publish("chat", "m1");
        assertThat(client.next(WAIT).id()).isEqualTo(m1);

        own.stop();
        CompletableFuture<String> during =
                a.hub().publish("chat", Event.of("during")).toCompletableFuture();
        assertThatThrownBy(() -> during.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(RedisBackplaneException.class);
        own.startAgain();

        String m2 = publishWhenBack(a, "m2");
        Event got = client.next(WAIT);
        assertThat(got.data()).isEqualTo("m2");
        assertThat(got.id()).isEqualTo(m2);
        assertThat(epochOf(m2)).isNotEqualTo(epochOf(m1));
        // The new epoch orders after the old one, as the tail delivered them.
        assertThat(b.backplane().compare(m1, m2)).isNegative();
        assertThat(b.backplane().compare(m2, m1)).isPositive();

        HttpEventClient late = subscribe(a, "chat", m1);
        Event snapshot = late.next(WAIT);
        assertThat(snapshot.type()).isEqualTo("snapshot");
        String m3 = publishWhenBack(b, "m3");
        assertThat(late.next(WAIT).id()).isEqualTo(m3);
        assertThat(client.next(WAIT).id()).isEqualTo(m3);
    }

    /**
     * Publishes once the node's own connection to Redis is back: each node reconnects by itself,
     * and until it has, publishing fails loudly.
     */
    private static String publishWhenBack(Node node, String data) throws Exception {
        AtomicReference<String> id = new AtomicReference<>();
        await("a publish to succeed after the Redis restart").atMost(WAIT).until(() -> {
            try {
                id.set(node.publish("chat", data));
                return true;
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(RedisBackplaneException.class);
                return false;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        return id.get();
    }

    @Test
    void builderRejectsBadOptionsNamingThem() {
        assertThatThrownBy(() -> RedisBackplane.builder().uri("http://example.com"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http://example.com");
        assertThatThrownBy(() -> RedisBackplane.builder().maxEntries(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxEntries");
        assertThatThrownBy(() -> RedisBackplane.builder().maxAge(Duration.ofSeconds(-1)))
                .hasMessageContaining("maxAge");
        assertThatThrownBy(() -> RedisBackplane.builder().streamKey("")).hasMessageContaining("streamKey");
        assertThatThrownBy(() -> RedisBackplane.builder().commandTimeout(Duration.ZERO))
                .hasMessageContaining("commandTimeout");
        assertThatThrownBy(() -> RedisBackplane.builder().reconnectDelay(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("reconnectDelay");
        assertThatThrownBy(() -> RedisBackplane.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("uri(");
    }

    @Test
    void buildFailsClearlyWhenRedisCannotBeReached() throws Exception {
        int port = RedisProcess.freePort();
        assertThatThrownBy(() -> RedisBackplane.builder()
                        .uri("redis://127.0.0.1:" + port)
                        .clientResources(resources)
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("127.0.0.1:" + port)
                .hasMessageContaining("start Redis");
    }

    @Test
    void anEntryHandlerThatThrowsDoesNotStopTheTail() throws Exception {
        RedisBackplane log = closing(backplane(redis.uri()).build());
        java.util.concurrent.BlockingQueue<String> seen = new java.util.concurrent.LinkedBlockingQueue<>();
        log.start(entry -> {
            seen.add(entry.id());
            if (entry.event().data().equals("boom")) {
                throw new IllegalStateException("entry handler failure, on purpose");
            }
        });
        String boom = publish(log, "c", "boom");
        String after = publish(log, "c", "after");
        assertThat(seen.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(boom);
        assertThat(seen.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(after);
    }

    @Test
    void startTwiceOrAfterCloseAndPublishAfterCloseAreRefused() throws Exception {
        RedisBackplane log = backplane(redis.uri()).build();
        log.start(entry -> {});
        assertThatThrownBy(() -> log.start(entry -> {}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already started");
        log.close();
        log.close(); // idempotent
        assertThatThrownBy(() ->
                        log.publish("c", Event.of("late")).toCompletableFuture().get())
                .cause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        RedisBackplane unused = backplane(redis.uri()).build();
        unused.close();
        assertThatThrownBy(() -> unused.start(entry -> {}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void readLatestReadsTheLastEntriesOfTheChannelsBackAcrossPages() throws Exception {
        RedisBackplane log = closing(backplane(redis.uri()).build());
        BackplaneHistory empty = latest(log, 3, "quiet");
        assertThat(empty.isGap()).isFalse();
        assertThat(empty.entries()).isEmpty();
        assertThat(empty.head()).endsWith("-0-0");

        String q1 = publish(log, "quiet", "q1");
        List<CompletableFuture<String>> busy = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) { // more than two pages of 1,000 between the quiet entries
            busy.add(log.publish("busy", Event.of("b" + i)).toCompletableFuture());
        }
        busy.get(busy.size() - 1).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        String q2 = publish(log, "quiet", "q2");

        BackplaneHistory quiet = latest(log, 2, "quiet");
        assertThat(quiet.entries()).extracting(BackplaneEntry::id).containsExactly(q1, q2);
        assertThat(quiet.entries()).extracting(e -> e.event().data()).containsExactly("q1", "q2");
        assertThat(quiet.head()).isEqualTo(q2);
        assertThat(latest(log, 10, "quiet").entries())
                .as("fewer when the stream holds fewer")
                .hasSize(2);
        assertThat(latest(log, 3, "busy").entries())
                .extracting(e -> e.event().data())
                .containsExactly("b2497", "b2498", "b2499");
        assertThat(latest(log, 2, "busy", "quiet").entries())
                .extracting(e -> e.event().data())
                .containsExactly("b2499", "q2");
        assertThatThrownBy(() -> log.readLatest(Set.of("quiet"), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("limit must be at least 1: 0");
    }

    @Test
    void publishRejectsEventsThatCarryAnId() throws Exception {
        RedisBackplane log = closing(backplane(redis.uri()).build());
        assertThatThrownBy(() -> log.publish("c", Event.of("x").withId("7")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("id");
    }

    private static String publish(RedisBackplane log, String channel, String data) throws Exception {
        return log.publish(channel, Event.of(data)).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static BackplaneHistory read(io.sseline.servlet.hub.spi.Backplane log, String after, String... channels)
            throws Exception {
        return log.readAfter(after, Set.of(channels)).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static BackplaneHistory latest(RedisBackplane log, int limit, String... channels) throws Exception {
        return log.readLatest(Set.of(channels), limit).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static String epochOf(String id) {
        return id.substring(0, id.indexOf('-'));
    }
}
