package io.sseline.servlet.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sseline.servlet.CloseReason;
import io.sseline.servlet.SlowConsumerPolicy;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Who writes a stream's events, and how many go into one write: the engine on an output that
 * records each call and the thread that made it. Whole streams in real containers are tested in
 * {@code EventStreamTest} and the hub's tests; these tests hold the writer threads back to look at
 * the moments in between, which a real socket cannot be made to show reliably.
 */
class StreamEngineWritersTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final WriterPool writers = WriterPool.create(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final RecordingOutput out = new RecordingOutput();
    private final AtomicInteger slowConsumers = new AtomicInteger();
    private final List<CloseReason> closed = new ArrayList<>();

    @AfterEach
    void stopWriters() {
        release.countDown();
        writers.shutdown(WAIT);
    }

    @Test
    void aSendOnlyQueuesAndAWriterThreadWritesAndFlushes() throws Exception {
        StreamEngine<String> engine = open(256 * 1024);

        assertThat(engine.send(bytes("a"))).isTrue();

        await("the event to be flushed").atMost(WAIT).until(() -> out.flushes.get() == 1);
        assertThat(out.written()).isEqualTo("a");
        assertThat(out.writerThreads).containsOnly("writer");
    }

    @Test
    void anEventCostsTwoReadinessChecksAWriteAndAFlush() throws Exception {
        StreamEngine<String> engine = open(256 * 1024);
        int before = out.readies.get(); // the container's first onWritePossible found nothing queued

        engine.send(bytes("a"));
        await("the first event to be flushed").atMost(WAIT).until(() -> out.flushes.get() == 1);
        engine.send(bytes("b"));
        await("the second event to be flushed").atMost(WAIT).until(() -> out.flushes.get() == 2);

        // One check before the write, one before the flush; none after it: with nothing queued the
        // role is released, and the next writer checks before it writes.
        assertThat(out.readies.get() - before).isEqualTo(4);
        assertThat(out.writes).hasValue(2);
        assertThat(out.written()).isEqualTo("ab");
    }

    @Test
    void eventsQueuedWhileTheStreamWaitsForItsTurnGoOutInOneWrite() throws Exception {
        StreamEngine<String> engine = open(256 * 1024);
        holdTheWriterThread();

        for (int i = 0; i < 10; i++) {
            engine.send(bytes(Integer.toString(i)));
        }
        assertThat(out.writes).hasValue(0);
        release.countDown();

        await("the events to be flushed").atMost(WAIT).until(() -> out.flushes.get() == 1);
        assertThat(out.writes).hasValue(1);
        assertThat(out.written()).isEqualTo("0123456789");
    }

    @Test
    void aSenderThatOutrunsTheWriterThreadsWritesItselfAndNoClientIsCut() throws Exception {
        StreamEngine<String> engine = open(1000); // a sender takes over past 250 queued bytes
        holdTheWriterThread();
        String event = "x".repeat(99) + "\n";

        for (int i = 0; i < 100; i++) {
            assertThat(engine.send(bytes(event))).isTrue();
        }

        assertThat(out.writerThreads).contains(Thread.currentThread().getName());
        assertThat(slowConsumers).hasValue(0);
        release.countDown();
        await("the last event to be written")
                .atMost(WAIT)
                .until(() -> out.written().length() == 100 * event.length());
        assertThat(out.written()).isEqualTo(event.repeat(100)); // each once, in order
        assertThat(engine.isOpen()).isTrue();
    }

    @Test
    void aTurnThatWaitsInThePoolForAStreamClosedMeanwhileWritesNothing() throws Exception {
        StreamEngine<String> engine = open(256 * 1024);
        holdTheWriterThread();
        engine.send(bytes("lost"));

        engine.closeNow(CloseReason.SHUTDOWN, true);
        release.countDown();
        CountDownLatch passed = new CountDownLatch(1);
        writers.submit(passed::countDown);
        assertThat(passed.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        assertThat(out.writes).hasValue(0);
        assertThat(closed).containsExactly(CloseReason.SHUTDOWN);
    }

    @Test
    void aFeedsEventWaitsForAWriterThreadWhichAlsoRunsTheFeedsRequestForMore() throws Exception {
        StreamEngine<String> engine = open(256 * 1024);
        holdTheWriterThread();
        CompletableFuture<String> askedOn = new CompletableFuture<>();

        assertThat(engine.sendIfRoom(bytes("fed"))).isTrue();
        engine.whenQueuedBelow(1, () -> askedOn.complete(Thread.currentThread().getName()));

        // Queued only: a feed's thread never writes, so it cannot write at the same time as a sender
        // that takes the role over from the pool.
        assertThat(out.writes).hasValue(0);
        assertThat(askedOn).isNotDone();
        release.countDown();
        await("the event to be flushed").atMost(WAIT).until(() -> out.flushes.get() == 1);
        assertThat(out.written()).isEqualTo("fed");
        assertThat(out.writerThreads).containsOnly("writer");
        assertThat(askedOn.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).startsWith("sseline-writer-");
    }

    @Test
    void aFeedsEventAndALargeSendRacingItAreEachWrittenOnceInOrder() throws Exception {
        StreamEngine<String> engine = open(1000); // a sender takes over past 250 queued bytes
        holdTheWriterThread();
        String event = "x".repeat(99) + "\n";

        assertThat(engine.sendIfRoom(bytes("fed\n"))).isTrue();
        for (int i = 0; i < 20; i++) {
            assertThat(engine.send(bytes(event))).isTrue();
        }
        release.countDown();

        await("every event to be written")
                .atMost(WAIT)
                .until(() -> out.written().length() == 4 + 20 * event.length());
        assertThat(out.written()).isEqualTo("fed\n" + event.repeat(20));
        assertThat(out.overlaps).hasValue(0);
        assertThat(slowConsumers).hasValue(0);
    }

    @Test
    void closeHandlersRunOnceInTheOrderRegisteredAndALateOneRunsAtOnce() {
        StreamEngine<String> engine = open(256 * 1024); // registers one handler, recording into closed
        List<String> ran = new ArrayList<>();
        engine.onClose((s, reason) -> ran.add("second " + reason));
        engine.onClose((s, reason) -> ran.add("third " + reason));

        engine.closeNow(CloseReason.SHUTDOWN, true);
        engine.closeNow(CloseReason.CLIENT_GONE, true);
        engine.onClose((s, reason) -> ran.add("late " + reason));

        assertThat(closed).containsExactly(CloseReason.SHUTDOWN);
        assertThat(ran).containsExactly("second SHUTDOWN", "third SHUTDOWN", "late SHUTDOWN");
    }

    @Test
    void withThePoolShutDownTheSenderWrites() throws Exception {
        StreamEngine<String> engine = open(256 * 1024);
        writers.shutdown(WAIT);

        engine.send(bytes("late"));

        assertThat(out.written()).isEqualTo("late");
        assertThat(out.writerThreads).containsOnly(Thread.currentThread().getName());
    }

    /** Keeps the only writer thread busy until {@link #release}. */
    private void holdTheWriterThread() throws InterruptedException {
        CountDownLatch holding = new CountDownLatch(1);
        writers.submit(() -> {
            holding.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(holding.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    }

    private StreamEngine<String> open(int maxQueuedBytes) {
        StreamOwner<String> owner = new StreamOwner<>() {
            @Override
            public @Nullable ScheduledFuture<?> scheduleCloseTimeout(Runnable cut) {
                cut.run();
                return null;
            }

            @Override
            public void closed(StreamEngine<String> stream, CloseReason reason) {}

            @Override
            public void slowConsumer(StreamEngine<String> stream, SlowConsumerPolicy policy) {
                slowConsumers.incrementAndGet();
            }
        };
        StreamEngine<String> engine = StreamEngine.open(
                owner,
                new StubAsyncContext(),
                out,
                writers,
                maxQueuedBytes,
                SlowConsumerPolicy.DISCONNECT,
                e -> "stream");
        engine.onClose((s, reason) -> closed.add(reason));
        engine.start();
        return engine;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    /** The calls the engine makes on its async context: a listener, and complete. */
    private static final class StubAsyncContext implements AsyncContext {
        @Override
        public void addListener(AsyncListener listener) {}

        @Override
        public void complete() {}

        @Override
        public ServletRequest getRequest() {
            throw new UnsupportedOperationException();
        }

        @Override
        public ServletResponse getResponse() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean hasOriginalRequestAndResponse() {
            return true;
        }

        @Override
        public void dispatch() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void dispatch(String path) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void dispatch(ServletContext context, String path) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void start(Runnable run) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void addListener(AsyncListener listener, ServletRequest request, ServletResponse response) {}

        @Override
        public <T extends AsyncListener> T createListener(Class<T> type) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setTimeout(long timeout) {}

        @Override
        public long getTimeout() {
            return 0;
        }
    }
}
