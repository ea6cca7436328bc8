package io.sseline.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {

    @Test
    void tasksFromManyThreadsNeverOverlapAndKeepEachThreadsOrder() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            SerialExecutor serial = new SerialExecutor(pool);
            AtomicBoolean running = new AtomicBoolean();
            AtomicInteger overlaps = new AtomicInteger();
            Map<Integer, List<Integer>> seen = new ConcurrentHashMap<>();
            int threads = 4;
            int perThread = 2000;
            CountDownLatch done = new CountDownLatch(threads * perThread);
            List<Thread> submitters = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                seen.put(thread, new CopyOnWriteArrayList<>());
                submitters.add(new Thread(() -> {
                    for (int i = 0; i < perThread; i++) {
                        int n = i;
                        serial.execute(() -> {
                            if (!running.compareAndSet(false, true)) {
                                overlaps.incrementAndGet();
                            }
                            seen.get(thread).add(n);
                            running.set(false);
                            done.countDown();
                        });
                    }
                }));
            }
            submitters.forEach(Thread::start);

            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(overlaps).hasValue(0);
            for (List<Integer> order : seen.values()) {
                assertThat(order).hasSize(perThread).isSorted();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void taskSubmittedFromATaskRunsAfterItOnTheSameThread() {
        SerialExecutor serial = new SerialExecutor(Runnable::run);
        List<String> order = new ArrayList<>();

        serial.execute(() -> {
            order.add("a starts");
            serial.execute(() -> order.add("b"));
            order.add("a ends");
        });

        assertThat(order).containsExactly("a starts", "a ends", "b");
    }

    @Test
    void throwingTaskDoesNotStopTheOnesAfterIt() {
        SerialExecutor serial = new SerialExecutor(Runnable::run);
        List<String> order = new ArrayList<>();

        serial.execute(() -> {
            serial.execute(() -> order.add("after"));
            throw new IllegalStateException("expected by the test");
        });
        serial.execute(() -> order.add("later"));

        assertThat(order).containsExactly("after", "later");
    }

    @Test
    void refusedDelegateFallsBackToTheCaller() {
        SerialExecutor serial = new SerialExecutor(task -> {
            throw new java.util.concurrent.RejectedExecutionException("shut down");
        });
        List<String> order = new ArrayList<>();

        serial.execute(() -> order.add("ran"));

        assertThat(order).containsExactly("ran");
    }
}
