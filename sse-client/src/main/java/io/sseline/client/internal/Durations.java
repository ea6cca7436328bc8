package io.sseline.client.internal;

import java.time.Duration;

/** Durations as the scheduler takes them. */
final class Durations {
    private Durations() {}

    /**
     * The duration in nanoseconds, saturated at {@link Long#MAX_VALUE} (about 292 years): a server's
     * {@code retry} field or a caller's setting may name a longer time than a long can count.
     */
    static long nanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }
}
