package io.sseline.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

class EventStreamConfigTest {
    @Test
    void defaultsSuitLongLivedStreams() {
        EventStreamConfig config = EventStreamConfig.defaults();
        assertThat(config.maxQueuedBytes()).isEqualTo(256 * 1024);
        assertThat(config.slowConsumerPolicy()).isEqualTo(SlowConsumerPolicy.DISCONNECT);
        assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(config.asyncTimeout()).isEqualTo(Duration.ZERO);
        assertThat(config.closeTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.scheduler()).isEmpty();
    }

    @Test
    void toBuilderKeepsEveryOption() {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            SlowConsumerHandler handler = (stream, policy) -> {};
            EventStreamConfig config = EventStreamConfig.builder()
                    .maxQueuedBytes(1000)
                    .slowConsumerPolicy(SlowConsumerPolicy.DROP)
                    .slowConsumerHandler(handler)
                    .heartbeatInterval(Duration.ofMillis(250))
                    .asyncTimeout(Duration.ofMinutes(30))
                    .closeTimeout(Duration.ZERO)
                    .scheduler(scheduler)
                    .build()
                    .toBuilder()
                    .build();
            assertThat(config.maxQueuedBytes()).isEqualTo(1000);
            assertThat(config.slowConsumerPolicy()).isEqualTo(SlowConsumerPolicy.DROP);
            assertThat(config.slowConsumerHandler()).isSameAs(handler);
            assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofMillis(250));
            assertThat(config.asyncTimeout()).isEqualTo(Duration.ofMinutes(30));
            assertThat(config.closeTimeout()).isZero();
            assertThat(config.scheduler()).containsSame(scheduler);
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void badOptionsAreRefusedNamingTheOptionAndValue() {
        EventStreamConfig.Builder b = EventStreamConfig.builder();
        assertThatThrownBy(() -> b.maxQueuedBytes(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxQueuedBytes must be positive: 0");
        assertThatThrownBy(() -> b.heartbeatInterval(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("heartbeatInterval")
                .hasMessageContaining("PT-0.001S");
        assertThatThrownBy(() -> b.heartbeatInterval(Duration.ofNanos(10)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one millisecond");
        assertThatThrownBy(() -> b.asyncTimeout(Duration.ofSeconds(-5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("asyncTimeout");
        assertThatThrownBy(() -> b.closeTimeout(Duration.ofSeconds(-5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("closeTimeout");
        assertThatThrownBy(() -> b.slowConsumerPolicy(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> EventStreams.create().shutdown(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("grace");
    }
}
