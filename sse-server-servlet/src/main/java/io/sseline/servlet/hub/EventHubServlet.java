package io.sseline.servlet.hub;

import io.sseline.servlet.EventStream;
import io.sseline.servlet.EventStreamConfig;
import io.sseline.servlet.EventStreamServlet;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A ready-made endpoint that subscribes every stream it opens to channels of an {@link EventHub}:
 * by default the channels given to the constructor; override {@link #channels} to choose them per
 * request, and {@link #onHistoryGap} to send a snapshot to clients the history cannot resume.
 *
 * <pre>{@code
 * EventHub hub = EventHub.create();
 * ServletRegistration.Dynamic chat = servletContext.addServlet("chat",
 *         new EventHubServlet(hub, EventStreamConfig.defaults(), List.of("chat")));
 * chat.setAsyncSupported(true);
 * chat.addMapping("/chat/events");
 *
 * // per request, with a snapshot on a gap:
 * new EventHubServlet(hub, EventStreamConfig.defaults(), List.of()) {
 *     protected Collection<String> channels(HttpServletRequest request) {
 *         return List.of("room:" + request.getParameter("room"));
 *     }
 *     protected void onHistoryGap(EventStream stream, String lastEventId) {
 *         stream.send(Event.of(rooms.snapshotJson()).withType("snapshot"));
 *     }
 * };
 * }</pre>
 *
 * <p>Register it with asynchronous support, as {@link EventStreamServlet} explains. Destroying the
 * servlet closes its streams; the hub stays open.
 */
public class EventHubServlet extends EventStreamServlet {
    private static final long serialVersionUID = 1L;

    /** Never serialized: a hub belongs to one running application. */
    private final transient EventHub hub;

    private final transient List<String> channels;

    /**
     * A servlet whose streams use {@code config} and are subscribed to {@code channels} (which may be
     * empty only if {@link #channels} is overridden).
     */
    public EventHubServlet(EventHub hub, EventStreamConfig config, Collection<String> channels) {
        super(config);
        this.hub = Objects.requireNonNull(hub, "hub");
        this.channels = List.copyOf(channels);
    }

    /** The channels to subscribe the stream of {@code request} to. */
    protected Collection<String> channels(HttpServletRequest request) {
        return channels;
    }

    /**
     * Called when a client's {@code Last-Event-ID} cannot be resumed from; see {@link
     * HistoryGapHandler}. Does nothing by default: the client then continues with live events only.
     */
    protected void onHistoryGap(EventStream stream, String lastEventId) {}

    /** Subscribes the stream to {@link #channels}. */
    @Override
    protected final void onOpen(EventStream stream, HttpServletRequest request) {
        hub.subscribe(stream, channels(request), this::onHistoryGap);
    }
}
