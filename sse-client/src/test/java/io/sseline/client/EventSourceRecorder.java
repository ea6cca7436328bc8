package io.sseline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.sseline.core.Event;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A listener that records every callback for assertions that wait with a deadline. It also checks
 * the threading contract as it goes: callbacks never overlap, and none follows {@code onClosed}. End
 * each test with {@link #assertNoMoreCallbacks()}.
 */
final class EventSourceRecorder implements EventSourceListener {
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
    private final AtomicBoolean inCallback = new AtomicBoolean();
    private volatile boolean closedSeen;
    private volatile String violation;
    private volatile Consumer<Callback> hook = c -> {};
    private long lastNanoTime;

    /** Runs {@code action} inside every later callback, just before recording it. */
    EventSourceRecorder onEach(Consumer<Callback> action) {
        this.hook = action;
        return this;
    }

    private void record(Callback callback) {
        if (!inCallback.compareAndSet(false, true)) {
            violation = "callbacks overlapped at " + callback;
        }
        try {
            if (closedSeen) {
                violation = "callback after onClosed: " + callback;
            }
            if (callback.kind().equals("closed")) {
                closedSeen = true;
            }
            hook.accept(callback); // before recording, so that a test sees the hook's effects
            callbacks.add(callback);
        } finally {
            inCallback.set(false);
        }
    }

    @Override
    public void onOpen(EventSource source, HttpResponse.ResponseInfo response) {
        record(new Callback("open", response.statusCode(), false));
    }

    @Override
    public void onEvent(EventSource source, Event event) {
        record(new Callback("event", event, false));
    }

    @Override
    public void onComment(EventSource source, String comment) {
        record(new Callback("comment", comment, false));
    }

    @Override
    public void onError(EventSource source, Throwable error, boolean willReconnect) {
        record(new Callback("error", error, willReconnect));
    }

    @Override
    public void onClosed(EventSource source) {
        record(new Callback("closed", null, false));
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

    /** Asserts that no callback arrives within a short while, and that the contract held throughout. */
    void assertNoMoreCallbacks() throws InterruptedException {
        Callback stray = callbacks.poll(100, TimeUnit.MILLISECONDS);
        assertThat(stray).as("stray callback").isNull();
        assertThat(violation).as("threading contract").isNull();
    }
}
