package io.sseline.redis.internal;

import java.util.List;

/**
 * What {@link Scripts#READ} answered: the epoch, the first and last entry ids of the stream, whether
 * entries were ever removed from it, and a page of entries.
 *
 * @param first the first entry id, or {@code ""} if the stream is empty
 * @param last the last entry id, or {@code "0-0"} if the stream is empty
 * @param removed whether entries were trimmed or deleted (true also when Redis cannot tell)
 * @param page entries as {@code [id, [field, value, ...]]}
 */
public record LogState(String epoch, String first, String last, boolean removed, List<?> page) {
    /** Reads the script's answer. */
    public static LogState of(List<Object> reply) {
        if (reply.size() != 5
                || !(reply.get(0) instanceof String epoch)
                || !(reply.get(1) instanceof String first)
                || !(reply.get(2) instanceof String last)
                || !(reply.get(3) instanceof Long removed)
                || !(reply.get(4) instanceof List<?> page)) {
            throw new IllegalStateException("unexpected answer from the read script: " + reply);
        }
        return new LogState(epoch, first, last, removed != 0, page);
    }

    /** The last entry as a position of this epoch. */
    public LogId head() {
        LogId head = LogId.of(epoch, last);
        if (head == null) {
            throw new IllegalStateException("unexpected stream state in Redis: epoch " + epoch + ", last " + last);
        }
        return head;
    }
}
