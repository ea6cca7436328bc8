package io.sseline.servlet.hub.spi;

import io.sseline.core.Event;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The shared, ordered log behind an {@link io.sseline.servlet.hub.EventHub}: where published events
 * are appended, where every node of a cluster hears about them, and where history is read for
 * replay. The hub's default, an in-memory log, serves one node; a backplane on a distributed log
 * (for example one Redis stream, appended with {@code XADD}, tailed with {@code XREAD} and read back
 * with {@code XRANGE}, its entry ids serving as event ids) lets several nodes share channels,
 * history and replay.
 *
 * <pre>{@code
 * Backplane backplane = new LogBackplane(log);    // an implementation of this contract
 * EventHub hub = EventHub.builder().backplane(backplane).build();   // the hub starts it, once
 * }</pre>
 *
 * <p><b>One log for all channels.</b> Every entry, whatever its channel, takes the next position in
 * one log, and its id names that position. A client subscribed to several channels therefore
 * resumes from one {@code Last-Event-ID}. Ids are opaque to clients and to the hub, which only
 * compares them with {@link #compare}.
 *
 * <p><b>Contract</b> that implementations must keep, because the hub's replay relies on it:
 *
 * <ul>
 *   <li>{@link #start} is called once, before anything else. From then on, every entry appended (by
 *       this node or any other) is passed to the handler exactly once or more (duplicates are
 *       tolerated: the hub drops entries at or before what a client already has), one call at a time,
 *       in log order.
 *   <li>A {@link #readAfter} that starts after an entry was appended includes it (when it is after
 *       the requested id and in a requested channel), even if the handler has not yet seen it; so
 *       does a {@link #readLatest} (when it is among the latest of the requested channels). Both
 *       answer with a head, and return no entry after it.
 *   <li>{@link #readAfter} answers with a gap, never with a wrong replay, when it cannot return
 *       every entry after the requested id: the id is malformed, from another epoch of the log (the
 *       log was wiped since), or entries after it in the requested channels were trimmed away.
 *   <li>{@link #readLatest} returns the last entries of the requested channels that the log still
 *       holds, never a gap: a client with nothing to resume from cannot have missed anything.
 *   <li>{@link #compare} orders ids as the log does.
 * </ul>
 *
 * <p>All methods are thread-safe. Futures may complete on any thread; the hub does little work on
 * them.
 */
public interface Backplane extends AutoCloseable {
    /**
     * Receives the entries of the log. Called one at a time, in log order; must not block for long,
     * since it delays every later entry.
     *
     * <pre>{@code
     * backplane.start(entry -> deliverToLocalSubscribers(entry.channel(), entry));
     * }</pre>
     */
    @FunctionalInterface
    interface EntryHandler {
        /** Called for each entry appended to the log, by any node. */
        void onEntry(BackplaneEntry entry);
    }

    /** Starts passing every entry appended from now on to {@code handler}. Called once. */
    void start(EntryHandler handler);

    /**
     * Appends {@code event} (which carries no id) to the log under {@code channel}; completes with the
     * id the entry got, or exceptionally if the entry could not be appended (the caller must learn it:
     * an event is never lost silently).
     */
    CompletionStage<String> publish(String channel, Event event);

    /**
     * Reads the entries of {@code channels} after {@code afterId}, in log order, together with the
     * current head; or a gap. With {@code afterId} empty (a client that has seen nothing), answers
     * {@link BackplaneHistory#exact} with no entries and the head.
     */
    CompletionStage<BackplaneHistory> readAfter(String afterId, Set<String> channels);

    /**
     * Reads the last {@code limit} entries of {@code channels} that the log holds, in log order,
     * together with the current head; fewer when the log holds fewer. The hub sends them to a client
     * that has no position to resume from (see {@code EventHub.Builder#rewind}) and serves them as a
     * channel's recent history ({@code EventHub#history}).
     *
     * @throws IllegalArgumentException if {@code limit} is less than 1
     */
    CompletionStage<BackplaneHistory> readLatest(Set<String> channels, int limit);

    /**
     * Compares two ids this log assigned (including heads): negative if {@code a} comes first, zero if
     * they are the same position, positive if {@code a} comes later.
     *
     * @throws IllegalArgumentException if either id is not one of this log's
     */
    int compare(String a, String b);

    /** Stops listening and releases resources. Idempotent. */
    @Override
    void close();
}
