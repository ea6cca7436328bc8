package io.sseline.redis.internal;

import org.jspecify.annotations.Nullable;

/**
 * A position in the backplane's log: the epoch of the stream and a Redis stream entry id ({@code
 * <milliseconds>-<sequence>}). Written {@code <epoch>-<milliseconds>-<sequence>}, which is the SSE
 * event id. Immutable.
 */
public record LogId(String epoch, long millis, long sequence) {
    /** The position before the first entry of a stream. */
    public static LogId start(String epoch) {
        return new LogId(epoch, 0, 0);
    }

    /** Parses {@code <epoch>-<millis>-<sequence>}; null if {@code id} has another form. */
    public static @Nullable LogId parse(String id) {
        int dash = id.indexOf('-');
        if (dash <= 0) {
            return null;
        }
        String epoch = id.substring(0, dash);
        if (!isEpoch(epoch)) {
            return null;
        }
        StreamId entry = StreamId.parse(id.substring(dash + 1));
        return entry == null ? null : new LogId(epoch, entry.millis(), entry.sequence());
    }

    /** Combines an epoch and a Redis stream entry id; null if the entry id is not one. */
    public static @Nullable LogId of(String epoch, String streamId) {
        StreamId entry = StreamId.parse(streamId);
        return entry == null || !isEpoch(epoch) ? null : new LogId(epoch, entry.millis(), entry.sequence());
    }

    /** Whether {@code epoch} is non-empty ASCII letters and digits. */
    public static boolean isEpoch(String epoch) {
        if (epoch.isEmpty()) {
            return false;
        }
        for (int i = 0; i < epoch.length(); i++) {
            char c = epoch.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                return false;
            }
        }
        return true;
    }

    /** The Redis stream entry id, {@code <millis>-<sequence>}. */
    public String streamId() {
        return millis + "-" + sequence;
    }

    /** Orders the stream entry ids of two positions; the epochs are not compared. */
    public int compareEntry(LogId other) {
        int c = Long.compare(millis, other.millis);
        return c != 0 ? c : Long.compare(sequence, other.sequence);
    }

    /** Orders this position's stream entry id against a parsed stream id. */
    public int compareEntry(StreamId other) {
        int c = Long.compare(millis, other.millis());
        return c != 0 ? c : Long.compare(sequence, other.sequence());
    }

    @Override
    public String toString() {
        return epoch + "-" + millis + "-" + sequence;
    }
}
