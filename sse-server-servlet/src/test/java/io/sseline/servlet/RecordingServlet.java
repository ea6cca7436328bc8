package io.sseline.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** An {@link EventStreamServlet} that records each stream it opens and every close callback. */
public final class RecordingServlet extends EventStreamServlet {
    private static final long serialVersionUID = 1L;

    /** What a test does with each new stream, on the request thread. */
    public interface OnOpen {
        void onOpen(EventStream stream, HttpServletRequest request) throws java.io.IOException;
    }

    public record Closed(EventStream stream, CloseReason reason) {}

    public final transient BlockingQueue<EventStream> opened = new LinkedBlockingQueue<>();
    public final transient BlockingQueue<Closed> closed = new LinkedBlockingQueue<>();
    /** How many times each stream's close handler ran. */
    public final transient Map<EventStream, Integer> closeCounts = new ConcurrentHashMap<>();

    private final transient OnOpen onOpen;

    public RecordingServlet(EventStreamConfig config, OnOpen onOpen) {
        super(config);
        this.onOpen = onOpen;
    }

    public RecordingServlet(EventStreamConfig config) {
        this(config, (stream, request) -> {});
    }

    public EventStreams eventStreams() {
        return streams();
    }

    @Override
    protected void onOpen(EventStream stream, HttpServletRequest request) throws java.io.IOException {
        stream.onClose((s, reason) -> {
            closeCounts.merge(s, 1, Integer::sum);
            closed.add(new Closed(s, reason));
        });
        onOpen.onOpen(stream, request);
        opened.add(stream);
    }

    public EventStream awaitOpened(Duration timeout) throws InterruptedException {
        EventStream s = opened.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (s == null) {
            throw new AssertionError("no stream opened within " + timeout);
        }
        return s;
    }

    public Closed awaitClosed(Duration timeout) throws InterruptedException {
        Closed c = closed.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (c == null) {
            throw new AssertionError("no stream closed within " + timeout);
        }
        return c;
    }
}
