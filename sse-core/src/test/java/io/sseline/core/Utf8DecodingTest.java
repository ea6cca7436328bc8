package io.sseline.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The event stream is decoded with the WHATWG Encoding standard's "UTF-8 decode": each maximal
 * invalid subsequence becomes one U+FFFD. Checked through the parser, on data values.
 */
class Utf8DecodingTest {

    @Test
    void invalidSequencesBecomeOneReplacementPerMaximalSubpart() throws EventStreamLimitException {
        assertThat(decode(0xFF)).isEqualTo("\uFFFD");
        assertThat(decode(0x80)).isEqualTo("\uFFFD");
        assertThat(decode(0xC0, 0x80)).isEqualTo("\uFFFD\uFFFD"); // C0 is never a lead byte
        assertThat(decode(0xE0, 0x80, 0x80)).isEqualTo("\uFFFD\uFFFD\uFFFD"); // overlong: E0 needs A0..BF next
        assertThat(decode(0xED, 0xA0, 0x80)).isEqualTo("\uFFFD\uFFFD\uFFFD"); // surrogate: ED needs 80..9F next
        assertThat(decode(0xF4, 0x90, 0x80, 0x80)).isEqualTo("\uFFFD\uFFFD\uFFFD\uFFFD"); // above U+10FFFF
        assertThat(decode(0xF0, 0x9F, 0x98)).isEqualTo("\uFFFD"); // truncated 4-byte sequence
        assertThat(decode(0xE2, 0x82, 0x41)).isEqualTo("\uFFFDA"); // the breaking byte is read again
        assertThat(decode(0xF8, 0x88, 0x80, 0x80, 0x80)).isEqualTo("\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD");
    }

    @Test
    void literalReplacementCharacterInValidInputIsKept() throws EventStreamLimitException {
        assertThat(decode(0xEF, 0xBF, 0xBD, 0x41)).isEqualTo("\uFFFDA");
    }

    @Test
    void validTextDecodesAsTheJdkDoes() throws EventStreamLimitException {
        Random random = new Random(7);
        for (int round = 0; round < 500; round++) {
            String text = RandomEvents.text(random, 40).replace('\n', ' ').replace('\r', ' ');
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            int[] unsigned = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                unsigned[i] = bytes[i] & 0xFF;
            }
            assertThat(decode(unsigned)).isEqualTo(text);
        }
    }

    private static String decode(int... value) throws EventStreamLimitException {
        List<Event> events = new ArrayList<>();
        EventParser parser = EventParser.create(events::add);
        parser.feed(SpecConformanceTest.concat(
                SpecConformanceTest.utf8("data: "),
                SpecConformanceTest.bytes(value),
                SpecConformanceTest.utf8("\n\n")));
        assertThat(events).hasSize(1);
        return events.get(0).data();
    }
}
