package io.sseline.servlet.hub;

import io.sseline.servlet.EventStream;
import io.sseline.servlet.SerializedEvent;
import io.sseline.servlet.hub.spi.BackplaneEntry;
import io.sseline.servlet.hub.spi.BackplaneHistory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * One stream's subscription to channels of an {@link EventHub}. It ends by itself when the stream
 * closes; {@link #cancel()} ends it earlier and leaves the stream open.
 *
 * <pre>{@code
 * Subscription subscription = hub.subscribe(stream, List.of("chat", "presence"));
 * subscription.replay().thenAccept(replay -> log.fine("resumed: " + replay));
 * }</pre>
 *
 * <p><b>The seam between replay and live.</b> The subscription is registered for live entries
 * before the history is read, and buffers them until the replay has been queued on the stream. It
 * then sends the buffered entries that come after the head of the history it read, and from then on
 * every live entry at once. An entry appended while the client reconnects is thus sent exactly once:
 * by the replay if the read saw it, live otherwise. A client that resumes from nothing gets every
 * entry delivered live after the subscription was registered; or, when the hub {@link
 * EventHub.Builder#rewind rewinds}, the latest entries of its channels as the read saw them, then
 * the live ones after its head, with the same care at the seam.
 *
 * <p>Thread-safe.
 */
public final class Subscription {
    private record Pending(String id, SerializedEvent bytes) {}

    /**
     * What the hub read for a new subscription: {@code history} holds what to send before live
     * events (the missed events, or with {@code rewound} the latest ones) and the head; {@code gap}
     * says that the client's id could not be resumed from.
     */
    record Start(boolean gap, boolean rewound, BackplaneHistory history) {}

    /** Live entries buffered while the history is read; past this, the stream is closed. */
    static final int MAX_PENDING = 10_000;

    private final EventHub hub;
    private final EventStream stream;
    private final Set<String> channels;
    private final String resumeFrom;
    private final CompletableFuture<Replay> replay = new CompletableFuture<>();

    // Guarded by lock.
    private final Object lock = new Object();
    /** Live entries that arrived during the replay; null once live. */
    private @Nullable List<Pending> pending = new ArrayList<>();
    /** The head of the history read: live entries up to it were replayed or are not ours. */
    private @Nullable String seam;
    /** Set once a live entry after the seam was sent: later ones need no comparison. */
    private boolean pastSeam;

    private volatile boolean cancelled;

    Subscription(EventHub hub, EventStream stream, Set<String> channels, String resumeFrom) {
        this.hub = hub;
        this.stream = stream;
        this.channels = channels;
        this.resumeFrom = resumeFrom;
    }

    /** The stream this subscription sends to. */
    public EventStream stream() {
        return stream;
    }

    /** The channels, as given to {@link EventHub#subscribe}. */
    public Set<String> channels() {
        return channels;
    }

    /**
     * Completes once the replay (or the gap handler) has been queued on the stream and live delivery
     * has begun; completes exceptionally if the history could not be read, in which case the stream
     * has been closed so that the client reconnects.
     */
    public CompletionStage<Replay> replay() {
        return replay.minimalCompletionStage();
    }

    /** Whether this subscription still delivers events. */
    public boolean isActive() {
        return !cancelled && stream.isOpen();
    }

    /** Stops delivery to the stream and forgets the subscription; the stream stays open. Idempotent. */
    public void cancel() {
        if (cancelled) {
            return;
        }
        cancelled = true;
        synchronized (lock) {
            pending = null;
        }
        hub.remove(this);
    }

    @Override
    public String toString() {
        return "Subscription{" + channels + (cancelled ? ", cancelled}" : "}");
    }

    /** A live entry for one of our channels; called one at a time, in log order. */
    void deliver(String id, SerializedEvent bytes) {
        synchronized (lock) {
            if (cancelled) {
                return;
            }
            List<Pending> buffer = pending;
            if (buffer == null) {
                if (!pastSeam) {
                    if (seam != null && hub.compare(id, seam) <= 0) {
                        return; // replayed already, or appended before we began
                    }
                    pastSeam = true;
                }
                stream.send(bytes);
                return;
            }
            if (buffer.size() < MAX_PENDING) {
                buffer.add(new Pending(id, bytes));
                return;
            }
            // The history read has not answered while this many live entries arrived: closing keeps
            // memory bounded, and the client reconnects and tries again.
            pending = null;
            cancelled = true;
        }
        hub.remove(this);
        stream.close();
        failed(new IllegalStateException("the history read did not answer before " + MAX_PENDING
                + " live events arrived; the stream was closed so that the client reconnects"));
    }

    /**
     * Runs the gap handler if the client's id could not be resumed from, queues the events read
     * (the replay, or the latest events on a rewind), then switches to live delivery.
     */
    void begin(@Nullable Start start, @Nullable Throwable failure, HistoryGapHandler onGap) {
        String lastEventId = resumeFrom;
        if (start == null) {
            cancel();
            stream.close();
            failed(failure != null ? failure : new IllegalStateException("no history"));
            return;
        }
        if (start.gap()) {
            try {
                onGap.onHistoryGap(stream, lastEventId);
            } catch (RuntimeException e) {
                cancel();
                stream.close();
                failed(e);
                return;
            }
        }
        BackplaneHistory history = start.history();
        String lastSent = lastEventId;
        for (BackplaneEntry entry : history.entries()) {
            stream.send(hub.serialize(entry));
            lastSent = entry.id();
        }
        Replay.Outcome outcome = start.gap()
                ? Replay.Outcome.GAP
                : lastEventId.isEmpty() ? Replay.Outcome.NOT_REQUESTED : Replay.Outcome.REPLAYED;
        Replay result = Replay.of(outcome, lastEventId, history.entries().size());
        String head = history.head();
        // A client that asked for nothing, and got no rewind, receives every entry delivered live since
        // the subscription was registered, even one the read already counts in the head: nothing
        // replays those. A resumed client received the entries up to the head from the history, a
        // rewound one the latest of them; a client past a gap received a snapshot taken now.
        boolean fresh = !start.gap() && !start.rewound() && lastEventId.isEmpty();
        if (!lastSent.equals(head)) {
            // The client's last event id becomes the head, so that a reconnect before the next event
            // resumes from here rather than from an older position or from nothing.
            stream.send(SerializedEvent.idOnly(head));
        }
        synchronized (lock) {
            List<Pending> buffer = pending;
            seam = head;
            pastSeam = fresh;
            pending = null;
            if (buffer != null && !cancelled) {
                for (Pending p : buffer) {
                    if (pastSeam || hub.compare(p.id(), head) > 0) {
                        pastSeam = true;
                        stream.send(p.bytes());
                    }
                }
            }
        }
        hub.replayed(result);
        replay.complete(result);
    }

    private void failed(Throwable failure) {
        hub.replayFailed();
        replay.completeExceptionally(failure);
    }
}
