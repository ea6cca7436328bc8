package io.sseline.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sseline.core.Event;
import io.sseline.servlet.hub.spi.Backplane;
import io.sseline.servlet.hub.spi.BackplaneEntry;
import io.sseline.servlet.hub.spi.BackplaneHistory;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InMemoryBackplaneTest {
    static String publish(Backplane log, String channel, String data) {
        return log.publish(channel, Event.of(data)).toCompletableFuture().join();
    }

    static BackplaneHistory read(Backplane log, String after, String... channels) {
        return log.readAfter(after, Set.of(channels)).toCompletableFuture().join();
    }

    static BackplaneHistory latest(Backplane log, int limit, String... channels) {
        return log.readLatest(Set.of(channels), limit).toCompletableFuture().join();
    }

    @Test
    void idsNameTheEpochAndOneSequenceAcrossChannels() {
        InMemoryBackplane log = InMemoryBackplane.builder().epoch("e1").build();
        log.start(entry -> {});
        assertThat(publish(log, "a", "1")).isEqualTo("e1-1");
        assertThat(publish(log, "b", "2")).isEqualTo("e1-2");
        assertThat(publish(log, "a", "3")).isEqualTo("e1-3");
        assertThat(log.compare("e1-2", "e1-10")).isNegative();
        assertThat(log.compare("e1-3", "e1-3")).isZero();
        assertThat(log.compare("e1-3", "e1-0")).isPositive();
        assertThatThrownBy(() -> log.compare("e2-1", "e1-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("e2-1");
    }

    @Test
    void readAfterReturnsExactlyTheLaterEntriesOfTheRequestedChannelsInOrder() {
        InMemoryBackplane log = InMemoryBackplane.builder().epoch("e").build();
        log.start(entry -> {});
        for (int i = 1; i <= 10; i++) {
            publish(log, i % 2 == 0 ? "even" : "odd", Integer.toString(i));
        }
        BackplaneHistory history = read(log, "e-4", "even");
        assertThat(history.isGap()).isFalse();
        assertThat(history.head()).isEqualTo("e-10");
        assertThat(history.entries()).extracting(e -> e.event().data()).containsExactly("6", "8", "10");
        assertThat(history.entries()).extracting(BackplaneEntry::id).containsExactly("e-6", "e-8", "e-10");
        assertThat(read(log, "e-4", "even", "odd").entries())
                .extracting(e -> e.event().data())
                .containsExactly("5", "6", "7", "8", "9", "10");
        assertThat(read(log, "e-10", "even").entries()).isEmpty();
    }

    @Test
    void noLastEventIdMeansNoReplayButTheHead() {
        InMemoryBackplane log = InMemoryBackplane.builder().epoch("e").build();
        log.start(entry -> {});
        assertThat(read(log, "", "a").head()).isEqualTo("e-0");
        publish(log, "a", "1");
        BackplaneHistory history = read(log, "", "a");
        assertThat(history.isGap()).isFalse();
        assertThat(history.entries()).isEmpty();
        assertThat(history.head()).isEqualTo("e-1");
        // An empty log's head resumes from the very start.
        assertThat(read(log, "e-0", "a").entries()).hasSize(1);
    }

    @Test
    void readLatestReturnsTheLastRetainedEntriesOfTheRequestedChannelsInOrderAndNeverAGap() {
        InMemoryBackplane log =
                InMemoryBackplane.builder().epoch("e").maxEntries(5).build();
        log.start(entry -> {});
        BackplaneHistory empty = latest(log, 3, "a");
        assertThat(empty.isGap()).isFalse();
        assertThat(empty.entries()).isEmpty();
        assertThat(empty.head()).isEqualTo("e-0");
        for (String data : List.of("a1", "b2", "a3", "b4", "a5", "a6", "a7")) {
            publish(log, data.substring(0, 1), data); // e-1 .. e-7; the bound keeps e-3 .. e-7
        }

        BackplaneHistory two = latest(log, 2, "a");
        assertThat(two.entries()).extracting(e -> e.event().data()).containsExactly("a6", "a7");
        assertThat(two.entries()).extracting(BackplaneEntry::id).containsExactly("e-6", "e-7");
        assertThat(two.head()).isEqualTo("e-7");
        BackplaneHistory all = latest(log, 10, "a");
        assertThat(all.isGap())
                .as("a1 was trimmed, yet nothing is missing for a new client")
                .isFalse();
        assertThat(all.entries()).extracting(e -> e.event().data()).containsExactly("a3", "a5", "a6", "a7");
        assertThat(latest(log, 3, "a", "b").entries())
                .extracting(e -> e.event().data())
                .containsExactly("a5", "a6", "a7");
        assertThat(latest(log, 1, "b").entries())
                .extracting(e -> e.event().data())
                .containsExactly("b4");
        assertThatThrownBy(() -> log.readLatest(Set.of("a"), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("limit must be at least 1: 0");
    }

    @Test
    void unknownForeignOrFutureIdsAreGapsNotReplays() {
        InMemoryBackplane log = InMemoryBackplane.builder().epoch("e").build();
        log.start(entry -> {});
        publish(log, "a", "1");
        for (String id : List.of("x-1", "e-", "e-9", "e-1x", "1", "garbage", "e-99999999999999999999")) {
            BackplaneHistory history = read(log, id, "a");
            assertThat(history.isGap()).as(id).isTrue();
            assertThat(history.entries()).isEmpty();
            assertThat(history.head()).isEqualTo("e-1");
        }
    }

    @Test
    void countBoundTrimsOldEntriesAndReportsAGapOnlyToChannelsThatLostSome() {
        InMemoryBackplane log =
                InMemoryBackplane.builder().epoch("e").maxEntries(5).build();
        log.start(entry -> {});
        publish(log, "quiet", "q1"); // e-1
        for (int i = 2; i <= 10; i++) {
            publish(log, "busy", "b" + i); // e-2 .. e-10
        }
        assertThat(log.size()).isEqualTo(5);
        // busy entries e-2 .. e-5 were trimmed: a busy client at e-2 cannot be resumed.
        assertThat(read(log, "e-2", "busy").isGap()).isTrue();
        // e-5 was the last trimmed busy entry: from e-5 on, the history is complete.
        assertThat(read(log, "e-5", "busy").entries()).hasSize(5);
        // The quiet channel lost q1 (e-1) only; a client that had it misses nothing.
        assertThat(read(log, "e-1", "quiet").isGap()).isFalse();
        assertThat(read(log, "e-0", "quiet").isGap()).isTrue();
    }

    @Test
    void ageBoundTrimsEntriesOlderThanMaxAge() {
        Instant[] now = {Instant.parse("2026-01-01T00:00:00Z")};
        InstantSource clock = () -> now[0];
        InMemoryBackplane log = InMemoryBackplane.builder()
                .epoch("e")
                .maxAge(Duration.ofSeconds(60))
                .clock(clock)
                .build();
        log.start(entry -> {});
        publish(log, "a", "old");
        now[0] = now[0].plusSeconds(30);
        publish(log, "a", "new");
        assertThat(read(log, "e-0", "a").entries()).hasSize(2);
        now[0] = now[0].plusSeconds(31);
        assertThat(log.size()).isEqualTo(1);
        assertThat(read(log, "e-0", "a").isGap()).isTrue();
        assertThat(read(log, "e-1", "a").entries())
                .extracting(e -> e.event().data())
                .containsExactly("new");
    }

    @Test
    void entryHandlerSeesEveryEntryOnceInLogOrderWithConcurrentPublishers() throws Exception {
        InMemoryBackplane log = InMemoryBackplane.builder().epoch("e").build();
        List<BackplaneEntry> seen = new CopyOnWriteArrayList<>();
        log.start(seen::add);
        int threads = 4;
        int each = 2_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < each; i++) {
                        publish(log, "c" + thread, Integer.toString(i));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(seen).hasSize(threads * each);
        for (int i = 0; i < seen.size(); i++) {
            assertThat(seen.get(i).id()).isEqualTo("e-" + (i + 1));
        }
    }

    @Test
    void aBackplaneServesOneHubAndRefusesBadOptions() {
        InMemoryBackplane log = InMemoryBackplane.create();
        log.start(entry -> {});
        assertThatThrownBy(() -> log.start(entry -> {}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already started");
        assertThatThrownBy(() -> InMemoryBackplane.builder().maxEntries(-1))
                .hasMessageContaining("maxEntries")
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> InMemoryBackplane.builder().maxEntries(0))
                .hasMessage("maxEntries must be at least 1: 0");
        assertThatThrownBy(() -> InMemoryBackplane.builder().maxAge(Duration.ofSeconds(-1)))
                .hasMessageContaining("maxAge");
        assertThatThrownBy(() -> InMemoryBackplane.builder().epoch("a-b")).hasMessageContaining("a-b");
        log.close();
        assertThat(log.publish("a", Event.of("x")).toCompletableFuture())
                .failsWithin(Duration.ZERO)
                .withThrowableThat()
                .withMessageContaining("closed");
    }
}
