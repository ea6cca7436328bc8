package io.sseline.examples.chat;

import io.sseline.core.Event;
import io.sseline.servlet.EventStream;
import io.sseline.servlet.EventStreams;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code GET /ping}: the tutorial's minimal stream, {@code event: ping} with {@code data: 1}, {@code
 * 2}, … every two seconds, the first at once. Each event carries its number as its id, so a client
 * that reconnects with {@code Last-Event-ID: 7} goes on with 8. {@code ?count=N} ends the stream
 * after the N-th ping (for {@code sse-cat --once}).
 */
final class PingServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient EventStreams streams;
    private final transient ScheduledExecutorService scheduler;
    private final Duration interval;

    PingServlet(EventStreams streams, ScheduledExecutorService scheduler, Duration interval) {
        this.streams = streams;
        this.scheduler = scheduler;
        this.interval = interval;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long count;
        try {
            String value = request.getParameter("count");
            count = value == null ? Long.MAX_VALUE : Long.parseLong(value);
            if (count < 1) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            ChatJson.sendError(response, new InvalidMessageException("count", "count must be a positive integer"));
            return;
        }
        EventStream stream = streams.open(request, response);
        AtomicLong last = new AtomicLong(resumeFrom(stream.lastEventId()));
        long end = count;
        Runnable tick = () -> {
            long n = last.incrementAndGet();
            String value = Long.toString(n);
            stream.send(Event.of(value).withType("ping").withId(value));
            if (n >= end) {
                stream.close();
            }
        };
        ScheduledFuture<?> task = scheduler.scheduleAtFixedRate(tick, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
        stream.onClose((s, reason) -> task.cancel(false));
    }

    private static long resumeFrom(String lastEventId) {
        try {
            return Math.max(0, Long.parseLong(lastEventId));
        } catch (NumberFormatException e) {
            return 0; // none, or not one of ours: start over
        }
    }
}
