package io.sseline.client;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How long an {@link EventSource} waits before it connects again: the reconnection time it starts
 * with, the floor under every delay, and how the delay grows over failures in a row. Immutable and
 * thread-safe; start from {@link #defaults()}.
 *
 * <pre>{@code
 * EventSource source = EventSource.builder(uri)
 *         .backoff(Backoff.defaults().withInitialDelay(Duration.ofSeconds(1)).withMaxDelay(Duration.ofMinutes(1)))
 *         .build(listener);
 * }</pre>
 *
 * <h2>The delays</h2>
 *
 * The <i>reconnection time</i> is {@link #initialDelay()} until the server sends a {@code retry:}
 * field, then the last value it sent; the <i>base</i> is the reconnection time, but never less than
 * {@link #minDelay()}.
 *
 * <ul>
 *   <li>A stream that delivered at least one event and then ended, as streams do, is followed by the
 *       base ({@link #delayAfterStream}), as a browser waits the reconnection time.
 *   <li>A failure (an error status, a network error, a timeout) or a stream that ended without an
 *       event is attempt <i>n</i>, counting the connections in a row: it is followed by the base times
 *       {@link #multiplier()}<sup><i>n</i>−1</sup>, at most {@link #maxDelay()} (or the base, if that
 *       is longer), less a random share of up to {@link #jitter()}, but never less than the base
 *       ({@link #delayAfterFailure}).
 *   <li>The count starts over when a stream stays open for {@link #resetAfter()}.
 * </ul>
 *
 * So whatever a server sends, a source never connects more often than once per {@link #minDelay()},
 * and a server that keeps failing, or that answers and closes at once without an event (even with
 * {@code retry: 0}), sees each client's requests thin out exponentially. The source may wait longer
 * than the backoff says when a {@code Retry-After} header asks it to, and its {@link
 * ReconnectPolicy} may change the delay.
 */
public final class Backoff {
    private static final Backoff DEFAULTS = new Backoff(
            Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofSeconds(30), 2, 0.5, Duration.ofSeconds(60));

    private final Duration initialDelay;
    private final Duration minDelay;
    private final Duration maxDelay;
    private final double multiplier;
    private final double jitter;
    private final Duration resetAfter;

    private Backoff(
            Duration initialDelay,
            Duration minDelay,
            Duration maxDelay,
            double multiplier,
            double jitter,
            Duration resetAfter) {
        this.initialDelay = initialDelay;
        this.minDelay = minDelay;
        this.maxDelay = maxDelay;
        this.multiplier = multiplier;
        this.jitter = jitter;
        this.resetAfter = resetAfter;
    }

    /**
     * The defaults: a reconnection time of 3 s until the server sends one, a floor of 1 s, delays that
     * double up to 30 s, less up to half at random, and a count that starts over after 60 s of open
     * stream.
     */
    public static Backoff defaults() {
        return DEFAULTS;
    }

    /**
     * Returns a copy with the given initial reconnection time, which holds until the server sends
     * {@code retry:}; not less than {@link #minDelay()} in effect.
     *
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public Backoff withInitialDelay(Duration delay) {
        return new Backoff(
                requireNonNegative("initialDelay", delay), minDelay, maxDelay, multiplier, jitter, resetAfter);
    }

    /**
     * Returns a copy with the given floor under every delay, whatever the server's {@code retry:}
     * field or {@link #initialDelay()} say; the delay grows from it.
     *
     * <p>A server may send {@code retry: 0} (or a small value) and then close each stream at once, by
     * mistake or under attack; without a floor, each client would then reconnect in a tight loop and
     * all of them together would flood the server. With the default of one second, one source sends
     * at most one request a second to such a server, and fewer and fewer while its responses carry no
     * event. One second is short enough that a server that ends streams on purpose (after a
     * deployment, or to rebalance) has its clients back at once; a server's {@code retry:} of 1 s or
     * more, the usual values, is honoured as it is. Lower it only for a server you control, for
     * example in tests.
     *
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public Backoff withMinDelay(Duration delay) {
        return new Backoff(
                initialDelay, requireNonNegative("minDelay", delay), maxDelay, multiplier, jitter, resetAfter);
    }

    /**
     * Returns a copy with the given longest delay that backoff grows to; a longer reconnection time
     * still counts.
     *
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public Backoff withMaxDelay(Duration delay) {
        return new Backoff(
                initialDelay, minDelay, requireNonNegative("maxDelay", delay), multiplier, jitter, resetAfter);
    }

    /**
     * Returns a copy with the given factor by which the delay grows with each failure in a row; 1
     * keeps it at the base.
     *
     * @throws IllegalArgumentException if {@code multiplier} is not between 1 and 1000
     */
    public Backoff withMultiplier(double multiplier) {
        if (!(multiplier >= 1 && multiplier <= 1000)) {
            throw new IllegalArgumentException("multiplier must be between 1 and 1000: " + multiplier);
        }
        return new Backoff(initialDelay, minDelay, maxDelay, multiplier, jitter, resetAfter);
    }

    /**
     * Returns a copy with the given share of a grown delay that is taken off at random, so that many
     * clients that failed together do not reconnect together; from 0 (none) to 1.
     *
     * @throws IllegalArgumentException if {@code jitter} is not between 0 and 1
     */
    public Backoff withJitter(double jitter) {
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be between 0 and 1: " + jitter);
        }
        return new Backoff(initialDelay, minDelay, maxDelay, multiplier, jitter, resetAfter);
    }

    /**
     * Returns a copy with the given time a stream must stay open for the count of failures in a row
     * to start over.
     *
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    public Backoff withResetAfter(Duration duration) {
        return new Backoff(
                initialDelay, minDelay, maxDelay, multiplier, jitter, requireNonNegative("resetAfter", duration));
    }

    /** The reconnection time until the server sends {@code retry:}. Default 3 s. */
    public Duration initialDelay() {
        return initialDelay;
    }

    /** The floor under every delay. Default 1 s. */
    public Duration minDelay() {
        return minDelay;
    }

    /** The longest delay that backoff grows to. Default 30 s. */
    public Duration maxDelay() {
        return maxDelay;
    }

    /** The factor by which the delay grows with each failure in a row. Default 2. */
    public double multiplier() {
        return multiplier;
    }

    /** The largest share of a grown delay taken off at random. Default 0.5. */
    public double jitter() {
        return jitter;
    }

    /** How long a stream must stay open for the count of failures to start over. Default 60 s. */
    public Duration resetAfter() {
        return resetAfter;
    }

    /**
     * The delay after a stream that delivered at least one event and then ended: the base, that is
     * {@code reconnectionTime}, but not less than {@link #minDelay()}.
     *
     * @param reconnectionTime {@link #initialDelay()}, or the last {@code retry:} the server sent
     */
    public Duration delayAfterStream(Duration reconnectionTime) {
        return Duration.ofMillis(baseMillis(reconnectionTime));
    }

    /**
     * The delay after a failure or a stream that ended without an event: the base times {@link
     * #multiplier()}<sup>{@code attempt}−1</sup>, at most {@link #maxDelay()} or the base, whichever is
     * longer, less {@code random} times {@link #jitter()} of it, but not less than the base. Exact to
     * the millisecond.
     *
     * <pre>{@code
     * Backoff backoff = Backoff.defaults().withJitter(0);
     * backoff.delayAfterFailure(3, Duration.ofSeconds(2), 0.0);   // 8 s: 2 s doubled twice
     * }</pre>
     *
     * @param attempt the number of this connection in the run, 1 for the first; as {@link
     *     ReconnectPolicy.Failure#attempt()} counts it
     * @param reconnectionTime {@link #initialDelay()}, or the last {@code retry:} the server sent
     * @param random a number from 0 (inclusive) to 1 (exclusive), uniformly drawn, that picks the
     *     share of the jitter taken off
     * @throws IllegalArgumentException if {@code attempt} is not positive or {@code random} is not in
     *     [0, 1)
     */
    public Duration delayAfterFailure(int attempt, Duration reconnectionTime, double random) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be positive: " + attempt);
        }
        if (!(random >= 0 && random < 1)) {
            throw new IllegalArgumentException("random must be at least 0 and less than 1: " + random);
        }
        long base = baseMillis(reconnectionTime);
        if (base == 0) {
            return Duration.ZERO;
        }
        double grown = (double) base * Math.pow(multiplier, attempt - 1);
        double capped = Math.min(grown, (double) Math.max(base, millis(maxDelay)));
        double jittered = capped - random * jitter * capped;
        return Duration.ofMillis((long) Math.max((double) base, jittered));
    }

    private long baseMillis(Duration reconnectionTime) {
        return Math.max(millis(requireNonNegative("reconnectionTime", reconnectionTime)), millis(minDelay));
    }

    @Override
    @SuppressWarnings("exports") // JSpecify is compile-time only; readers of the API need not have it
    public boolean equals(@Nullable Object o) {
        return o instanceof Backoff other
                && other.initialDelay.equals(initialDelay)
                && other.minDelay.equals(minDelay)
                && other.maxDelay.equals(maxDelay)
                && Double.compare(other.multiplier, multiplier) == 0
                && Double.compare(other.jitter, jitter) == 0
                && other.resetAfter.equals(resetAfter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(initialDelay, minDelay, maxDelay, multiplier, jitter, resetAfter);
    }

    @Override
    public String toString() {
        return "Backoff{initialDelay=" + initialDelay + ", minDelay=" + minDelay + ", maxDelay=" + maxDelay
                + ", multiplier=" + multiplier + ", jitter=" + jitter + ", resetAfter=" + resetAfter + "}";
    }

    /** The duration in milliseconds, saturated: a server's {@code retry:} may name any number. */
    private static long millis(Duration duration) {
        try {
            return duration.toMillis();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    private static Duration requireNonNegative(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + value);
        }
        return value;
    }
}
