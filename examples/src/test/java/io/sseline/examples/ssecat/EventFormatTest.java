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

    @Test
    void textEscapesWhatWouldDriveTheTerminalAndRawKeepsIt() {
        Event hostile = Event.of("hi\033[2J\nnext line\u009b").withType("t\033").withId("1\u202e");

        assertThat(EventFormat.TEXT.format(hostile))
                .isEqualTo("event: t\\x1B   id: 1\\u202E\nhi\\x1B[2J\nnext line\\x9B\n");
        assertThat(EventFormat.RAW.format(hostile))
                .isEqualTo("event: t\033   id: 1\u202e\nhi\033[2J\nnext line\u009b\n");
    }
}
