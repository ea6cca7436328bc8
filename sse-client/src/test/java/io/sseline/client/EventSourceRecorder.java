package io.sseline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.sseline.core.Event;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.awaitility.core.ConditionTimeoutException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A listener that records every callback for assertions that wait with a deadline. It checks the
 * threading contract as it goes, per source: callbacks of one source never overlap, and none follows
 * its {@code onClosed}. Register it as a JUnit extension, {@code @RegisterExtension final
 * EventSourceRecorder recorder = new EventSourceRecorder();}, and right after each test it runs
 * {@link #assertNoMoreCallbacks()}; a test that needs several makes them with {@link #another()},
 * and each is checked too.
 */
final class EventSourceRecorder implements EventSourceListener, AfterTestExecutionCallback {
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    /** One callback: its kind and what it carried. */
    record Callback(String kind, Object value, boolean willReconnect, long nanoTime) {
        Callback(String kind, Object value, boolean willReconnect) {
            this(kind, value, willReconnect, System.nanoTime());
        }

        @Override
        public String toString() {
            return kind
                    + (value == null ? "" : " " + value)
                    + (kind.equals("error") ? " willReconnect=" + willReconnect : "");
        }
    }

    private final BlockingQueue<Callback> callbacks = new LinkedBlockingQueue<>();
    /** The sources that called back, each with whether it is in a callback and whether it closed. */
    private final Map<EventSource, SourceState> sources = new ConcurrentHashMap<>();
    /** Recorders made by {@link #another()}, checked with this one. */
    private final List<EventSourceRecorder> others = new CopyOnWriteArrayList<>();

    private volatile @Nullable String violation;
    private volatile Consumer<Callback> hook = c -> {};
    private long lastNanoTime;

    /** What the contract checks keep for one source. */
    private static final class SourceState {
        final AtomicBoolean inCallback = new AtomicBoolean();
        volatile boolean closed;
    }

    /** Runs {@code action} inside every later callback, just before recording it. */
    EventSourceRecorder onEach(Consumer<Callback> action) {
        this.hook = action;
        return this;
    }

    /** A further recorder for the same test, checked after it as this one is. */
    EventSourceRecorder another() {
        EventSourceRecorder recorder = new EventSourceRecorder();
        others.add(recorder);
        return recorder;
    }

    private void record(EventSource source, Callback callback) {
        SourceState state = sources.computeIfAbsent(source, s -> new SourceState());
        if (!state.inCallback.compareAndSet(false, true)) {
            violation = "callbacks of one source overlapped at " + callback;
        }
        try {
            if (state.closed) {
                violation = "callback after onClosed: " + callback;
            }
            if (callback.kind().equals("closed")) {
                state.closed = true;
            }
            hook.accept(callback); // before recording, so that a test sees the hook's effects
            callbacks.add(callback);
        } finally {
            state.inCallback.set(false);
        }
    }

    @Override
    public void onOpen(EventSource source, HttpResponse.ResponseInfo response) {
        record(source, new Callback("open", response.statusCode(), false));
    }

    @Override
    public void onEvent(EventSource source, Event event) {
        record(source, new Callback("event", event, false));
    }

    @Override
    public void onComment(EventSource source, String comment) {
        record(source, new Callback("comment", comment, false));
    }

    @Override
    public void onError(EventSource source, Throwable error, boolean willReconnect) {
        record(source, new Callback("error", error, willReconnect));
    }

    @Override
    public void onClosed(EventSource source) {
        record(source, new Callback("closed", null, false));
    }

    Callback next() throws InterruptedException {
        Callback callback = callbacks.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        if (callback == null) {
            fail("no callback within " + DEADLINE);
        }
        lastNanoTime = callback.nanoTime();
        return callback;
    }

    /** When the callback that {@link #next()} last returned ran (System.nanoTime), on its thread. */
    long lastCallbackNanoTime() {
        return lastNanoTime;
    }

    int expectOpen() throws InterruptedException {
        Callback callback = next();
        assertThat(callback.kind()).as("callback %s", callback).isEqualTo("open");
        return (Integer) callback.value();
    }

    Event expectEvent() throws InterruptedException {
        Callback callback = next();
        assertThat(callback.kind()).as("callback %s", callback).isEqualTo("event");
        return (Event) callback.value();
    }

    String expectData() throws InterruptedException {
        return expectEvent().data();
    }

    String expectComment() throws InterruptedException {
        Callback callback = next();
        assertThat(callback.kind()).as("callback %s", callback).isEqualTo("comment");
        return (String) callback.value();
    }

    <T extends Throwable> T expectError(Class<T> type, boolean willReconnect) throws InterruptedException {
        Callback callback = next();
        assertThat(callback.kind()).as("callback %s", callback).isEqualTo("error");
        assertThat(callback.value()).as("error").isInstanceOf(type);
        assertThat(callback.willReconnect()).as("willReconnect of %s", callback).isEqualTo(willReconnect);
        return type.cast(callback.value());
    }

    void expectClosed() throws InterruptedException {
        Callback callback = next();
        assertThat(callback.kind()).as("callback %s", callback).isEqualTo("closed");
    }

    /** Skips open and error callbacks of reconnections until the next event, and returns it. */
    Event expectEventSkippingReconnects() throws InterruptedException {
        while (true) {
            Callback callback = next();
            if (callback.kind().equals("event")) {
                return (Event) callback.value();
            }
            assertThat(callback.kind()).as("callback %s", callback).isIn("open", "error");
        }
    }

    /**
     * Takes the callbacks of a source that reconnects again and again (each {@code onOpen} and each
     * {@code onError} that will reconnect) up to and including its {@code onClosed}.
     */
    void expectReconnectsUntilClosed() throws InterruptedException {
        while (true) {
            Callback callback = next();
            if (callback.kind().equals("closed")) {
                return;
            }
            assertThat(callback.kind()).as("callback %s", callback).isIn("open", "error");
            if (callback.kind().equals("error")) {
                assertThat(callback.willReconnect())
                        .as("willReconnect of %s", callback)
                        .isTrue();
            }
        }
    }

    /**
     * Closes every source that called back, waits for its {@code onClosed} (after which the contract
     * allows no callback, so what is recorded is all there will be), and asserts that the test took
     * every callback but the last {@code onClosed} of each source, and that the contract held
     * throughout. No pause: it waits for the sources' ends, not for time to pass.
     */
    void assertNoMoreCallbacks() {
        try {
            await("onClosed of every source").atMost(DEADLINE).until(() -> {
                // Closed again at each poll: a source's first callback may come during the wait.
                sources.keySet().forEach(EventSource::close);
                return sources.values().stream().allMatch(state -> state.closed);
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    "no onClosed within " + DEADLINE + " of close(); recorded and not taken: "
                            + callbacks + "; sources: "
                            + sources.keySet().stream()
                                    .map(s -> s.readyState() + (sources.get(s).closed ? " (onClosed seen)" : ""))
                                    .toList(),
                    e);
        }
        List<Callback> stray = new ArrayList<>(callbacks);
        long closes = stray.stream().filter(c -> c.kind().equals("closed")).count();
        assertThat(stray)
                .as("callbacks the test did not take")
                .hasSize((int) closes)
                .allMatch(c -> c.kind().equals("closed"));
        assertThat(violation).as("threading contract").isNull();
    }

    /**
     * After each test, before its {@code @AfterEach} methods stop the servers (which would make the
     * sources report errors): this recorder and those made by {@link #another()} have nothing left
     * over. After a test that failed, it only closes the sources.
     */
    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isPresent()) {
            sources.keySet().forEach(EventSource::close);
            others.forEach(other -> other.sources.keySet().forEach(EventSource::close));
            return;
        }
        assertNoMoreCallbacks();
        others.forEach(EventSourceRecorder::assertNoMoreCallbacks);
    }
}
