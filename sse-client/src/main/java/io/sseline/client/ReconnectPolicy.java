package io.sseline.client;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides, after each failed or ended connection, whether and when an {@link EventSource} connects
 * again. The source proposes a decision that follows the protocol rules and its backoff settings
 * (see {@link EventSource}); the policy may keep it, change the delay, or stop.
 *
 * <pre>{@code
 * // Also retry 401, after the header supplier had a chance to refresh the token.
 * ReconnectPolicy policy = failure -> failure.error() instanceof UnexpectedResponseException e && e.statusCode() == 401
 *         ? Optional.of(Duration.ofSeconds(1))
 *         : failure.proposedDelay();
 * }</pre>
 *
 * <p>The policy runs in the source's callback sequence (see {@link EventSourceListener}), before
 * {@link EventSourceListener#onError}. An exception it throws stops the source; it is added to the
 * reported error as suppressed.
 */
@FunctionalInterface
public interface ReconnectPolicy {
    /** The policy that keeps every proposal. */
    static ReconnectPolicy defaults() {
        return Failure::proposedDelay;
    }

    /**
     * Returns the delay before the next connection attempt, or empty to close the source.
     *
     * @param failure what went wrong and what the source proposes
     */
    Optional<Duration> decide(Failure failure);

    /**
     * A failed or ended connection and the source's proposal. Immutable.
     *
     * <pre>{@code
     * ReconnectPolicy.Failure failure =
     *         ReconnectPolicy.Failure.of(new EOFException(), 1, Duration.ZERO, Optional.of(Duration.ofSeconds(3)));
     * }</pre>
     */
    final class Failure {
        private final Throwable error;
        private final int attempt;
        private final Duration elapsed;
        private final Optional<Duration> proposedDelay;

        private Failure(Throwable error, int attempt, Duration elapsed, Optional<Duration> proposedDelay) {
            this.error = error;
            this.attempt = attempt;
            this.elapsed = elapsed;
            this.proposedDelay = proposedDelay;
        }

        /**
         * Returns a failure, as an event source reports it; for testing policies.
         *
         * @throws IllegalArgumentException if {@code attempt} is not positive or {@code elapsed} is negative
         */
        public static Failure of(Throwable error, int attempt, Duration elapsed, Optional<Duration> proposedDelay) {
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(elapsed, "elapsed");
            Objects.requireNonNull(proposedDelay, "proposedDelay");
            if (attempt <= 0) {
                throw new IllegalArgumentException("attempt must be positive: " + attempt);
            }
            if (elapsed.isNegative()) {
                throw new IllegalArgumentException("elapsed must not be negative: " + elapsed);
            }
            return new Failure(error, attempt, elapsed, proposedDelay);
        }

        /** What ended the connection; see {@link EventSourceListener#onError}. */
        public Throwable error() {
            return error;
        }

        /**
         * How many connections in a row have now failed: 1 after the first failure, reset when a
         * stream stays open for {@link Backoff#resetAfter()}.
         */
        public int attempt() {
            return attempt;
        }

        /** The time since the first failure of this run of failures. */
        public Duration elapsed() {
            return elapsed;
        }

        /**
         * The delay the source would wait before reconnecting, or empty when it would close: the
         * response or error is not one to retry, or a reconnect limit was reached.
         */
        public Optional<Duration> proposedDelay() {
            return proposedDelay;
        }

        @Override
        public String toString() {
            return "Failure{attempt=" + attempt + ", elapsed=" + elapsed + ", proposedDelay="
                    + proposedDelay.map(Duration::toString).orElse("none") + ", error=" + error + "}";
        }
    }
}
