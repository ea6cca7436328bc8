package io.sseline.redis.internal;

import org.jspecify.annotations.Nullable;

/** A Redis stream entry id, {@code <milliseconds>-<sequence>}, both parts non-negative. Immutable. */
public record StreamId(long millis, long sequence) {
    /** Parses {@code <millis>-<sequence>}; null if {@code id} has another form or is out of range. */
    public static @Nullable StreamId parse(String id) {
        int dash = id.indexOf('-');
        if (dash <= 0 || dash == id.length() - 1) {
            return null;
        }
        long millis = parseDigits(id, 0, dash);
        long sequence = parseDigits(id, dash + 1, id.length());
        return millis < 0 || sequence < 0 ? null : new StreamId(millis, sequence);
    }

    /** The digits of {@code s} between {@code from} and {@code to} as a long; -1 if not all digits or too large. */
    private static long parseDigits(String s, int from, int to) {
        long value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9' || value > (Long.MAX_VALUE - 9) / 10) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    @Override
    public String toString() {
        return millis + "-" + sequence;
    }
}
