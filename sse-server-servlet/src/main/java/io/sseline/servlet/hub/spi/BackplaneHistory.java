package io.sseline.servlet.hub.spi;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link Backplane} answers to {@link Backplane#readAfter} and {@link Backplane#readLatest}:
 * either exactly the entries asked for (those after the requested id, or the latest ones), or a gap
 * (the id is unknown or older than what the history still holds), and in both cases the head, the
 * id of the last entry in the log when the read happened. Immutable.
 *
 * <pre>{@code
 * BackplaneHistory history = entries.isEmpty() && tooOld
 *         ? BackplaneHistory.gap(head)
 *         : BackplaneHistory.exact(entries, head);
 * }</pre>
 */
public final class BackplaneHistory {
    private final List<BackplaneEntry> entries;
    private final String head;
    private final boolean gap;

    private BackplaneHistory(List<BackplaneEntry> entries, String head, boolean gap) {
        this.entries = entries;
        this.head = head;
        this.gap = gap;
    }

    /**
     * Every entry asked for in the requested channels (after the requested id, or the latest ones), in
     * log order, none after {@code head}.
     */
    public static BackplaneHistory exact(List<BackplaneEntry> entries, String head) {
        return new BackplaneHistory(List.copyOf(entries), requireHead(head), false);
    }

    /** The requested id cannot be resumed from: it is unknown, from another epoch, or trimmed away. */
    public static BackplaneHistory gap(String head) {
        return new BackplaneHistory(List.of(), requireHead(head), true);
    }

    /** The entries to send, in log order; empty for a gap. */
    public List<BackplaneEntry> entries() {
        return entries;
    }

    /**
     * The id of the last entry in the log at the time of the read (or the backplane's id for an empty
     * log): live entries up to it are covered by this answer, later ones are not.
     */
    public String head() {
        return head;
    }

    /** Whether the requested id could not be resumed from. */
    public boolean isGap() {
        return gap;
    }

    @Override
    public String toString() {
        return gap
                ? "BackplaneHistory{gap, head=" + head + "}"
                : "BackplaneHistory{" + entries.size() + " entries, head=" + head + "}";
    }

    private static String requireHead(String head) {
        Objects.requireNonNull(head, "head");
        if (head.isEmpty()) {
            throw new IllegalArgumentException("head must not be empty; an empty log needs an id of its own");
        }
        return head;
    }
}
