package io.sseline.servlet.hub.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sseline.core.Event;
import org.junit.jupiter.api.Test;

/** An entry's id becomes the SSE event id, so it is refused where an event would refuse it. */
class BackplaneEntryTest {
    @Test
    void anIdThatCouldBreakTheStreamIsRefusedNamingTheProblem() {
        Event event = Event.of("x");

        assertThatThrownBy(() -> BackplaneEntry.of("", "c", event))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> BackplaneEntry.of("7\ndata: forged", "c", event))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("id must not contain CR or LF");
        assertThatThrownBy(() -> BackplaneEntry.of("7\0", "c", event))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("id must not contain NUL");
        assertThatThrownBy(() -> BackplaneEntry.of("7", "c", event.withId("8")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not carry an id");
        assertThat(BackplaneEntry.of("7", "c", event).id()).isEqualTo("7");
    }
}
