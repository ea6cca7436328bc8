package io.sseline.servlet;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sseline.core.Event;
import org.junit.jupiter.api.Test;

class SerializedEventTest {
    @Test
    void serializedEventsHoldTheSerializerBytes() {
        assertThat(SerializedEvent.of(Event.of("a\nb").withType("t")).bytes())
                .isEqualTo("event: t\ndata: a\ndata: b\n\n".getBytes(UTF_8));
        assertThat(SerializedEvent.comment("hi").bytes()).isEqualTo(": hi\n\n".getBytes(UTF_8));
        assertThat(SerializedEvent.idOnly("e-7").bytes()).isEqualTo("id: e-7\n\n".getBytes(UTF_8));
        assertThat(SerializedEvent.idOnly("e-7").size()).isEqualTo(9);
    }

    @Test
    void idOnlyRefusesIdsThatCouldBreakTheStream() {
        assertThatThrownBy(() -> SerializedEvent.idOnly(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> SerializedEvent.idOnly("1\ndata: injected"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CR or LF");
        assertThatThrownBy(() -> SerializedEvent.idOnly("1\0")).isInstanceOf(IllegalArgumentException.class);
    }
}
