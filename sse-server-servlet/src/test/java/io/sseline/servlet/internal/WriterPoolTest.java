package io.sseline.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The writer threads' own life: every task runs once, and nothing outlives {@code shutdown}. */
class WriterPoolTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void everyTaskSubmittedFromManyThreadsRunsExactlyOnce() throws Exception {
        WriterPool writers = WriterPool.create(2);
        int senders = 4;
        int perSender = 20_000;
        AtomicIntegerArray runs = new AtomicIntegerArray(senders * perSender);
        AtomicInteger refused = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int first = s * perSender;
            Thread sender = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = first; i < first + perSender; i++) {
                    int task = i;
                    if (!writers.submit(() -> runs.incrementAndGet(task))) {
                        refused.incrementAndGet();
                    }
                }
            });
            sender.start();
            threads.add(sender);
        }
        go.countDown();
        for (Thread sender : threads) {
            sender.join(WAIT.toMillis());
        }

        assertThat(refused).hasValue(0);
        await("every task to run").atMost(WAIT).until(() -> sum(runs) == runs.length());
        for (int i = 0; i < runs.length(); i++) {
            assertThat(runs.get(i)).as("runs of task %d", i).isEqualTo(1);
        }
        writers.shutdown(WAIT);
    }

    @Test
    void shutdownRunsWhatWaitsOnTheCallerAndReturnsOnceEveryThreadHasEnded() throws Exception {
        WriterPool writers = WriterPool.create(1);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Thread> writer = new CompletableFuture<>();
        writers.submit(() -> {
            writer.complete(Thread.currentThread());
            holding.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(holding.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        List<String> ranOn = new ArrayList<>();
        writers.submit(() -> ranOn.add(Thread.currentThread().getName()));
        // The busy writer thread is released only once shutdown has begun, so shutdown must wait for it.
        Thread releaser = new Thread(() -> {
            await("shutdown to begin").atMost(WAIT).until(writers::isShutdown);
            release.countDown();
        });
        releaser.start();

        boolean ended = writers.shutdown(WAIT);

        assertThat(ended).isTrue();
        assertThat(writer.get().isAlive())
                .as("the writer thread is alive after shutdown")
                .isFalse();
        assertThat(writers.isTerminated()).isTrue();
        assertThat(ranOn).containsExactly(Thread.currentThread().getName());
        assertThat(writers.submit(() -> ranOn.add("late"))).isFalse();
        assertThat(ranOn).hasSize(1);
        releaser.join(WAIT.toMillis());
    }

    @Test
    void shutdownGivesUpAfterItsWaitOnAThreadThatDoesNotEnd() throws Exception {
        WriterPool writers = WriterPool.create(1);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        writers.submit(() -> {
            holding.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(holding.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        long start = System.nanoTime();
        boolean ended = writers.shutdown(Duration.ofMillis(200));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(ended).isFalse();
        assertThat(tookMillis).isBetween(200L, WAIT.toMillis());
        release.countDown();
        assertThat(writers.shutdown(WAIT)).isTrue();
    }

    @Test
    void shutdownCalledOnAWriterThreadWaitsForTheOthersOnly() throws Exception {
        WriterPool writers = WriterPool.create(1);
        CompletableFuture<Boolean> endedOnWriter = new CompletableFuture<>();
        CompletableFuture<Thread> writer = new CompletableFuture<>();
        writers.submit(() -> {
            writer.complete(Thread.currentThread());
            endedOnWriter.complete(writers.shutdown(WAIT)); // a close handler that stops its EventStreams
        });

        assertThat(endedOnWriter.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        writer.get().join(WAIT.toMillis());
        assertThat(writer.get().isAlive()).isFalse();
        assertThat(writers.isTerminated()).isTrue();
    }

    private static int sum(AtomicIntegerArray runs) {
        int sum = 0;
        for (int i = 0; i < runs.length(); i++) {
            sum += runs.get(i);
        }
        return sum;
    }
}
