package io.sseline.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class EventTest {

    @Test
    void newEventIsAMessageWithoutIdOrRetry() {
        Event event = Event.of("x");
        assertThat(event.type()).isEqualTo("message");
        assertThat(event.id()).isEmpty();
        assertThat(event.retry()).isEmpty();
        assertThat(event.data()).isEqualTo("x");
    }

    @Test
    void withersReturnChangedCopiesAndLeaveTheOriginal() {
        Event original = Event.of("x");
        Event changed = original.withType("t")
                .withId("1")
                .withRetry(Duration.ofMillis(5))
                .withData("y");
        assertThat(original).isEqualTo(Event.of("x"));
        assertThat(changed.type()).isEqualTo("t");
        assertThat(changed.id()).isEqualTo("1");
        assertThat(changed.retry()).contains(Duration.ofMillis(5));
        assertThat(changed.data()).isEqualTo("y");
    }

    @Test
    void emptyTypeMeansMessage() {
        assertThat(Event.of("x").withType("t").withType("").type()).isEqualTo("message");
    }

    @Test
    void equalityCoversEveryField() {
        Event base = Event.of("x").withType("t").withId("1").withRetry(Duration.ofMillis(5));
        assertThat(base).isEqualTo(Event.of("x").withType("t").withId("1").withRetry(Duration.ofMillis(5)));
        assertThat(base)
                .hasSameHashCodeAs(Event.of("x").withType("t").withId("1").withRetry(Duration.ofMillis(5)));
        assertThat(base).isNotEqualTo(base.withData("y"));
        assertThat(base).isNotEqualTo(base.withType("u"));
        assertThat(base).isNotEqualTo(base.withId("2"));
        assertThat(base).isNotEqualTo(base.withRetry(Duration.ofMillis(6)));
    }

    @Test
    void nullsAreRefusedNamingTheParameter() {
        assertThatThrownBy(() -> Event.of(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("data");
        assertThatThrownBy(() -> Event.of("x").withType(null)).hasMessage("type");
        assertThatThrownBy(() -> Event.of("x").withId(null)).hasMessage("id");
        assertThatThrownBy(() -> Event.of("x").withRetry(null)).hasMessage("retry");
    }

    @Test
    void toStringShowsFieldsWithLineBreaksEscaped() {
        assertThat(Event.of("a\nb").withType("t").withId("1").toString())
                .isEqualTo("Event{type=\"t\", id=\"1\", data=\"a\\nb\"}");
    }

    @Test
    void checkIdReturnsAValidIdAndRefusesWhatAnEventRefusesNamingTheParameter() {
        assertThat(Event.checkId("e-7", "lastEventId")).isEqualTo("e-7");
        assertThat(Event.checkId("", "lastEventId")).isEmpty();
        assertThatThrownBy(() -> Event.checkId("7\ndata: forged", "lastEventId"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("lastEventId must not contain CR or LF");
        assertThatThrownBy(() -> Event.checkId("7\r", "lastEventId")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Event.checkId("7\0", "lastEventId"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("lastEventId must not contain NUL");
        assertThatThrownBy(() -> Event.checkId(null, "lastEventId"))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("lastEventId");
    }
}
