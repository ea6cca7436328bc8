package io.sseline.servlet.hub;

import io.sseline.servlet.EventStream;

/**
 * Called when a client asks to resume from a {@code Last-Event-ID} that the history cannot serve:
 * the application sends a full snapshot instead, and live events follow it.
 *
 * <pre>{@code
 * hub.subscribe(stream, List.of("board"), (s, lastEventId) ->
 *         s.send(Event.of(board.toJson()).withType("snapshot")));
 * }</pre>
 *
 * <p>Runs once, at the seam: after the subscription is registered and before any live event is
 * sent to the stream, so whatever it sends comes first. It may run on the thread that called {@link
 * EventHub#subscribe} or on one of the backplane's threads; it must not block. An exception it throws
 * closes the stream.
 */
@FunctionalInterface
public interface HistoryGapHandler {
    /**
     * Sends the client what it needs in place of the events it missed since {@code lastEventId} (the
     * id the subscription tried to resume from).
     */
    void onHistoryGap(EventStream stream, String lastEventId);
}
