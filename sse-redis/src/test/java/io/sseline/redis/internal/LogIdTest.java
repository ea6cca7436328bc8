package io.sseline.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogIdTest {
    @Test
    void parsesEpochAndStreamEntryId() {
        LogId id = LogId.parse("k3j9x2a1-1764057600123-7");
        assertThat(id).isEqualTo(new LogId("k3j9x2a1", 1764057600123L, 7));
        assertThat(id.toString()).isEqualTo("k3j9x2a1-1764057600123-7");
        assertThat(id.streamId()).isEqualTo("1764057600123-7");
    }

    @Test
    void rejectsEverythingElse() {
        for (String bad : new String[] {
            "",
            "-1-0",
            "e",
            "e-",
            "e-1",
            "e-1-",
            "e--1-0",
            "e-1-0-0",
            "e-x-0",
            "e-1-x",
            "e+f-1-0",
            "é-1-0",
            "e-99999999999999999999-0",
            "e-1-99999999999999999999",
            "e- 1-0"
        }) {
            assertThat(LogId.parse(bad)).as(bad).isNull();
        }
    }

    @Test
    void ordersEntriesByMillisecondsThenSequence() {
        LogId a = LogId.parse("e-5-9");
        LogId b = LogId.parse("e-6-0");
        LogId c = LogId.parse("e-6-1");
        assertThat(a.compareEntry(b)).isNegative();
        assertThat(b.compareEntry(c)).isNegative();
        assertThat(c.compareEntry(a)).isPositive();
        assertThat(c.compareEntry(StreamId.parse("6-1"))).isZero();
        assertThat(LogId.start("e").compareEntry(a)).isNegative();
    }

    @Test
    void streamIdsParseOnlyTheirForm() {
        assertThat(StreamId.parse("0-0")).isEqualTo(new StreamId(0, 0));
        assertThat(StreamId.parse("12-3")).isEqualTo(new StreamId(12, 3));
        assertThat(StreamId.parse("12")).isNull();
        assertThat(StreamId.parse("-3")).isNull();
        assertThat(StreamId.parse("12-")).isNull();
        assertThat(StreamId.parse("1-2-3")).isNull();
    }
}
