package io.sseline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The reconnection delay as arithmetic, without a server: the random share of the jitter is passed
 * in, so every delay is exact. {@link ReconnectDelayTest} checks the same rules on the wire.
 */
class BackoffTest {
    private static final Duration SECOND = Duration.ofSeconds(1);

    @Test
    void defaultsAreTheDocumentedOnes() {
        Backoff defaults = Backoff.defaults();

        assertThat(defaults.initialDelay()).isEqualTo(Duration.ofSeconds(3));
        assertThat(defaults.minDelay()).isEqualTo(SECOND);
        assertThat(defaults.maxDelay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.multiplier()).isEqualTo(2);
        assertThat(defaults.jitter()).isEqualTo(0.5);
        assertThat(defaults.resetAfter()).isEqualTo(Duration.ofSeconds(60));
    }

    /** Spec: a stream that ends is reestablished after "the event stream's reconnection time". */
    @Test
    void afterAStreamThatDeliveredEventsTheDelayIsTheReconnectionTimeAboveTheFloor() {
        Backoff backoff = Backoff.defaults();

        assertThat(backoff.delayAfterStream(Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(5));
        assertThat(backoff.delayAfterStream(Duration.ofMillis(1500))).isEqualTo(Duration.ofMillis(1500));
        assertThat(backoff.delayAfterStream(Duration.ofMillis(20)))
                .as("retry: 20")
                .isEqualTo(SECOND);
        assertThat(backoff.delayAfterStream(Duration.ZERO)).as("retry: 0").isEqualTo(SECOND);
    }

    @Test
    void failuresInARowGrowTheDelayFromTheBaseUpToTheCap() {
        Backoff backoff = Backoff.defaults();

        List<Duration> delays = new ArrayList<>();
        for (int attempt = 1; attempt <= 7; attempt++) {
            delays.add(backoff.delayAfterFailure(attempt, SECOND, 0));
        }

        assertThat(delays)
                .containsExactly(
                        SECOND,
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(4),
                        Duration.ofSeconds(8),
                        Duration.ofSeconds(16),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(30));
        assertThat(backoff.delayAfterFailure(Integer.MAX_VALUE, SECOND, 0)).isEqualTo(Duration.ofSeconds(30));
    }

    /** {@code retry: 0} and an immediate close, again and again: the floor holds, then the growth. */
    @Test
    void aReconnectionTimeBelowTheFloorGrowsFromTheFloor() {
        Backoff backoff = Backoff.defaults().withJitter(0);

        assertThat(backoff.delayAfterFailure(1, Duration.ZERO, 0)).isEqualTo(SECOND);
        assertThat(backoff.delayAfterFailure(2, Duration.ZERO, 0)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.delayAfterFailure(3, Duration.ofMillis(10), 0)).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void aReconnectionTimeAboveTheCapIsKeptAndDoesNotGrow() {
        Backoff backoff = Backoff.defaults().withMaxDelay(SECOND);

        assertThat(backoff.delayAfterFailure(1, Duration.ofSeconds(5), 0)).isEqualTo(Duration.ofSeconds(5));
        assertThat(backoff.delayAfterFailure(4, Duration.ofSeconds(5), 0.9)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void jitterTakesOffUpToItsShareOfTheGrownDelayButNeverGoesBelowTheBase() {
        Backoff backoff = Backoff.defaults();

        assertThat(backoff.delayAfterFailure(6, SECOND, 0.5))
                .as("30 s less a quarter")
                .isEqualTo(Duration.ofMillis(22_500));
        assertThat(backoff.delayAfterFailure(6, SECOND, 0.999_999)).isEqualTo(Duration.ofMillis(15_000));
        assertThat(backoff.delayAfterFailure(2, SECOND, 0.999_999))
                .as("2 s less half, not below 1 s")
                .isEqualTo(SECOND);
        assertThat(backoff.delayAfterFailure(1, SECOND, 0.999_999)).isEqualTo(SECOND);
        assertThat(backoff.withJitter(1).delayAfterFailure(6, SECOND, 0.999_999))
                .isEqualTo(SECOND);
        assertThat(backoff.withJitter(0).delayAfterFailure(6, SECOND, 0.999_999))
                .isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aMultiplierOfOneKeepsTheBase() {
        Backoff backoff = Backoff.defaults().withMultiplier(1);

        assertThat(backoff.delayAfterFailure(50, Duration.ofMillis(40), 0)).isEqualTo(SECOND);
        assertThat(backoff.withMinDelay(Duration.ZERO).delayAfterFailure(50, Duration.ofMillis(40), 0))
                .isEqualTo(Duration.ofMillis(40));
    }

    @Test
    void withoutAFloorRetryZeroMeansNoDelayAtAnyAttempt() {
        Backoff backoff = Backoff.defaults().withMinDelay(Duration.ZERO);

        assertThat(backoff.delayAfterStream(Duration.ZERO)).isEqualTo(Duration.ZERO);
        assertThat(backoff.delayAfterFailure(1, Duration.ZERO, 0.3)).isEqualTo(Duration.ZERO);
        assertThat(backoff.delayAfterFailure(Integer.MAX_VALUE, Duration.ZERO, 0.3))
                .isEqualTo(Duration.ZERO);
    }

    /** A server's {@code retry:} may hold any number of digits; the parser saturates, so does this. */
    @Test
    void hugeTimesSaturateInsteadOfOverflowing() {
        Backoff backoff = Backoff.defaults();
        Duration longest = Duration.ofMillis(Long.MAX_VALUE);

        assertThat(backoff.delayAfterStream(longest)).isEqualTo(longest);
        assertThat(backoff.delayAfterStream(Duration.ofSeconds(Long.MAX_VALUE))).isEqualTo(longest);
        assertThat(backoff.delayAfterFailure(3, longest, 0.5)).isEqualTo(longest);
        assertThat(backoff.withMinDelay(Duration.ofSeconds(Long.MAX_VALUE)).delayAfterFailure(1, SECOND, 0))
                .isEqualTo(longest);
    }

    @Test
    void withersReturnChangedCopiesAndLeaveTheOriginal() {
        Backoff changed = Backoff.defaults()
                .withInitialDelay(Duration.ofMillis(1))
                .withMinDelay(Duration.ofMillis(2))
                .withMaxDelay(Duration.ofMillis(3))
                .withMultiplier(4)
                .withJitter(0.25)
                .withResetAfter(Duration.ofMillis(6));

        assertThat(changed)
                .hasToString("Backoff{initialDelay=PT0.001S, minDelay=PT0.002S, maxDelay=PT0.003S, multiplier=4.0,"
                        + " jitter=0.25, resetAfter=PT0.006S}");
        assertThat(Backoff.defaults().initialDelay()).isEqualTo(Duration.ofSeconds(3));
        assertThat(changed)
                .isEqualTo(Backoff.defaults()
                        .withResetAfter(Duration.ofMillis(6))
                        .withJitter(0.25)
                        .withMultiplier(4)
                        .withMaxDelay(Duration.ofMillis(3))
                        .withMinDelay(Duration.ofMillis(2))
                        .withInitialDelay(Duration.ofMillis(1)))
                .hasSameHashCodeAs(changed.withJitter(0.25))
                .isNotEqualTo(changed.withJitter(0.5))
                .isNotEqualTo(changed.withMultiplier(3))
                .isNotEqualTo(changed.withResetAfter(SECOND));
    }

    @Test
    void badValuesAreRefusedNamingTheParameter() {
        Backoff backoff = Backoff.defaults();

        assertThatThrownBy(() -> backoff.withMinDelay(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("minDelay must not be negative: PT-0.001S");
        assertThatThrownBy(() -> backoff.withMaxDelay(Duration.ofMillis(-1))).hasMessageStartingWith("maxDelay");
        assertThatThrownBy(() -> backoff.withResetAfter(Duration.ofMillis(-1))).hasMessageStartingWith("resetAfter");
        assertThatThrownBy(() -> backoff.withInitialDelay(null)).hasMessage("initialDelay");
        assertThatThrownBy(() -> backoff.withMultiplier(Double.NaN)).hasMessageStartingWith("multiplier");
        assertThatThrownBy(() -> backoff.withMultiplier(1001)).hasMessageStartingWith("multiplier");
        assertThatThrownBy(() -> backoff.withJitter(-0.1)).hasMessageStartingWith("jitter");
        assertThatThrownBy(() -> backoff.delayAfterFailure(0, SECOND, 0)).hasMessage("attempt must be positive: 0");
        assertThatThrownBy(() -> backoff.delayAfterFailure(1, SECOND, 1))
                .hasMessage("random must be at least 0 and less than 1: 1.0");
        assertThatThrownBy(() -> backoff.delayAfterFailure(1, SECOND, -0.5)).hasMessageStartingWith("random");
        assertThatThrownBy(() -> backoff.delayAfterStream(Duration.ofMillis(-1)))
                .hasMessageStartingWith("reconnectionTime");
    }
}
