package io.sseline.micrometer;

import io.sseline.servlet.EventStream;
import io.sseline.servlet.EventStreamConfig;
import io.sseline.servlet.EventStreamServlet;
import io.sseline.servlet.EventStreams;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An {@link EventStreamServlet} whose streams the tests drive: each new stream is handed to the
 * test's {@link OnOpen} and then queued for {@link #awaitOpened}; {@link #eventStreams()} is what a
 * binder instruments.
 */
final class StreamServlet extends EventStreamServlet {
    private static final long serialVersionUID = 1L;

    /** What a test does with each new stream, on the request thread. */
    interface OnOpen {
        void onOpen(EventStream stream, HttpServletRequest request) throws IOException;
    }

    private final transient BlockingQueue<EventStream> opened = new LinkedBlockingQueue<>();
    private final transient OnOpen onOpen;

    StreamServlet(EventStreamConfig config, OnOpen onOpen) {
        super(config);
        this.onOpen = onOpen;
    }

    StreamServlet(EventStreamConfig config) {
        this(config, (stream, request) -> {});
    }

    EventStreams eventStreams() {
        return streams();
    }

    @Override
    protected void onOpen(EventStream stream, HttpServletRequest request) throws IOException {
        onOpen.onOpen(stream, request);
        opened.add(stream);
    }

    EventStream awaitOpened(Duration timeout) throws InterruptedException {
        EventStream stream = opened.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (stream == null) {
            throw new AssertionError("no stream opened within " + timeout);
        }
        return stream;
    }
}
