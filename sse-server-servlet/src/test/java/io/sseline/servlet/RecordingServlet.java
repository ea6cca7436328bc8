package io.sseline.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** An {@link EventStreamServlet} that records each stream it opens and every close callback. */
final class RecordingServlet extends EventStreamServlet {
    private static final long serialVersionUID = 1L;

    /** What a test does with each new stream, on the request thread. */
    interface OnOpen {
        void onOpen(EventStream stream, HttpServletRequest request) throws java.io.IOException;
    }

    record Closed(EventStream stream, CloseReason reason) {}

    final transient BlockingQueue<EventStream> opened = new LinkedBlockingQueue<>();
    final transient BlockingQueue<Closed> closed = new LinkedBlockingQueue<>();
    /** How many times each stream's close handler ran. */
    final transient Map<EventStream, Integer> closeCounts = new ConcurrentHashMap<>();

    private final transient OnOpen onOpen;

    RecordingServlet(EventStreamConfig config, OnOpen onOpen) {
        super(config);
        this.onOpen = onOpen;
    }

    RecordingServlet(EventStreamConfig config) {
        this(config, (stream, request) -> {});
    }

    EventStreams eventStreams() {
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

    EventStream awaitOpened(Duration timeout) throws InterruptedException {
        EventStream s = opened.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (s == null) {
            throw new AssertionError("no stream opened within " + timeout);
        }
        return s;
    }

    Closed awaitClosed(Duration timeout) throws InterruptedException {
        Closed c = closed.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (c == null) {
            throw new AssertionError("no stream closed within " + timeout);
        }
        return c;
    }
}
