package io.sseline.servlet.hub;

import java.util.Objects;

/**
 * How a subscription began: whether the client asked to resume, and whether the history could
 * resume it. Immutable.
 *
 * <pre>{@code
 * hub.subscribe(stream, List.of("chat")).replay().thenAccept(replay -> {
 *     if (replay.outcome() == Replay.Outcome.GAP) {
 *         metrics.increment("sse.resume.gap");
 *     }
 * });
 * }</pre>
 */
public final class Replay {
    /**
     * What happened to the client's {@code Last-Event-ID}.
     *
     * <pre>{@code
     * boolean resumed = replay.outcome() == Replay.Outcome.REPLAYED;
     * }</pre>
     */
    public enum Outcome {
        /**
         * The client sent no {@code Last-Event-ID}; it receives live events from now on, after the
         * latest ones ({@link #count()} of them) if the hub {@link EventHub.Builder#rewind rewinds}.
         */
        NOT_REQUESTED,
        /** The client received exactly the events it missed ({@link #count()} of them), then live ones. */
        REPLAYED,
        /**
         * The history could not resume the client (id unknown, from before a restart, or trimmed);
         * the {@link HistoryGapHandler} ran, then live events followed (after the latest ones if the
         * hub {@link EventHub.Builder#rewind rewinds}).
         */
        GAP
    }

    private final Outcome outcome;
    private final String lastEventId;
    private final int count;

    private Replay(Outcome outcome, String lastEventId, int count) {
        this.outcome = outcome;
        this.lastEventId = lastEventId;
        this.count = count;
    }

    static Replay of(Outcome outcome, String lastEventId, int count) {
        return new Replay(Objects.requireNonNull(outcome), Objects.requireNonNull(lastEventId), count);
    }

    /** What happened. */
    public Outcome outcome() {
        return outcome;
    }

    /**
     * The id the subscription resumed from: the client's {@code Last-Event-ID} unless the application
     * chose another, or {@code ""}.
     */
    public String lastEventId() {
        return lastEventId;
    }

    /**
     * How many events of the history were sent before live ones: the missed ones for {@link
     * Outcome#REPLAYED}, the latest ones on a {@link EventHub.Builder#rewind rewind}; otherwise 0.
     */
    public int count() {
        return count;
    }

    @Override
    public String toString() {
        return "Replay{" + outcome + (lastEventId.isEmpty() ? "" : ", after " + lastEventId) + ", " + count
                + " events}";
    }
}
