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
 * that reconnects with {@code Last-Event-ID: 7} goes on with 8; an id past {@value #MAX_ID} gets
 * {@code 400}. {@code ?count=N} ends the stream after the ping numbered N, or after the first one
 * when it resumes past N (for {@code sse-cat --once}).
 */
final class PingServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    /** The largest ping number: 2^53 - 1, the largest integer a browser's number holds exactly. */
    static final long MAX_ID = (1L << 53) - 1;

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
        long after;
        try {
            count = positive("count", request.getParameter("count"), Long.MAX_VALUE);
            after = resumeFrom(request.getHeader("Last-Event-ID"));
        } catch (InvalidMessageException e) {
            ChatJson.sendError(response, e);
            return;
        }
        EventStream stream = streams.open(request, response);
        if (!stream.isOpen()) {
            return; // HEAD, or shutting down: answered already
        }
        // after <= MAX_ID, so the ping numbers never overflow and the one numbered count ends it.
        AtomicLong last = new AtomicLong(after);
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

    /** The headers the stream gets, without one. */
    @Override
    protected void doHead(HttpServletRequest request, HttpServletResponse response) throws IOException {
        doGet(request, response);
    }

    private static long positive(String name, String value, long fallback) throws InvalidMessageException {
        if (value == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(value);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new InvalidMessageException(name, name + " must be a positive integer; got \"" + value + "\"");
    }

    /**
     * The ping a client resumes after: its {@code Last-Event-ID}, or 0 for none or for an id that is
     * not a ping number (it starts over). A ping number past {@link #MAX_ID} is refused, as no ping
     * ever had it.
     */
    private static long resumeFrom(String lastEventId) throws InvalidMessageException {
        if (lastEventId == null || lastEventId.isEmpty() || !lastEventId.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return 0;
        }
        if (lastEventId.length() > 16 || Long.parseLong(lastEventId) > MAX_ID) {
            throw new InvalidMessageException(
                    "Last-Event-ID",
                    "Last-Event-ID " + lastEventId + " is past the last ping number, " + MAX_ID
                            + "; reconnect without it");
        }
        return Long.parseLong(lastEventId);
    }
}
