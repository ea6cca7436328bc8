package io.sseline.examples.ssecat;

import static org.assertj.core.api.Assertions.assertThat;

import io.sseline.core.Event;
import org.junit.jupiter.api.Test;

class EventFormatTest {
    @Test
    void jsonEscapesLineBreaksAndControlCharactersSoOneEventIsOneLine() {
        String line = EventFormat.JSON.format(Event.of("a\nb\r\u0000\u2028\"").withType("t"));

        assertThat(line).isEqualTo("{\"type\":\"t\",\"data\":\"a\\nb\\r\\u0000\u2028\\\"\",\"id\":\"\"}");
        assertThat(line).doesNotContain("\n").doesNotContain("\r");
    }

    @Test
    void textShowsTheIdOnlyWhenThereIsOne() {
        assertThat(EventFormat.TEXT.format(Event.of("x"))).isEqualTo("event: message\nx\n");
        assertThat(EventFormat.TEXT.format(Event.of("x").withId("5"))).isEqualTo("event: message   id: 5\nx\n");
    }
}
