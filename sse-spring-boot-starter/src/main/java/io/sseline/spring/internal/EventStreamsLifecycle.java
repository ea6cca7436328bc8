package io.sseline.spring.internal;

import io.sseline.core.Event;
import io.sseline.servlet.EventStreams;
import java.util.Objects;
import java.util.Optional;
import org.springframework.context.SmartLifecycle;

/**
 * Closes every event stream when the application context stops, before the web server does: each
 * stream receives the final event (when one is configured), the clients get up to the streams'
 * close timeout to read what is queued, and requests for new streams are answered {@code 503} with
 * {@code Retry-After} from then on.
 *
 * <p><b>Phase.</b> Lifecycles stop in descending phase order. Spring Boot stops the web server in
 * two phases: graceful shutdown ({@code WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE}, {@code
 * SmartLifecycle.DEFAULT_PHASE - 1024}), which waits for the requests in progress, and the stop
 * itself below it. An event stream is a request in progress that never ends by itself, so a graceful
 * shutdown that met open streams would wait out its whole timeout and then cut them without a final
 * event. This lifecycle stops at {@link #PHASE}, above the graceful shutdown: by the time that phase
 * begins the streams have ended, and it completes as soon as the other requests have.
 */
public final class EventStreamsLifecycle implements SmartLifecycle {
    /** Above Spring Boot's graceful shutdown phase ({@code DEFAULT_PHASE - 1024}), below the default. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

    private final EventStreams streams;
    private final Optional<Event> finalEvent;
    private volatile boolean running;

    public EventStreamsLifecycle(EventStreams streams, Optional<Event> finalEvent) {
        this.streams = Objects.requireNonNull(streams, "streams");
        this.finalEvent = Objects.requireNonNull(finalEvent, "finalEvent");
    }

    @Override
    public void start() {
        running = true;
    }

    /** Sends the final event to every stream and waits until all have ended; see {@link EventStreams#shutdown()}. */
    @Override
    public void stop() {
        try {
            finalEvent.ifPresentOrElse(streams::shutdown, streams::shutdown);
        } finally {
            running = false;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    @Override
    public String toString() {
        return "EventStreamsLifecycle{" + streams + ", phase " + PHASE + "}";
    }
}
