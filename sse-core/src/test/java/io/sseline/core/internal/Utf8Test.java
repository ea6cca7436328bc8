package io.sseline.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast decoder gives exactly what the standard's step-by-step algorithm gives, on any bytes. */
class Utf8Test {
    /** Bytes that make UTF-8 interesting: ASCII, continuations, every kind of lead byte and the edges. */
    private static final int[] INTERESTING = {
        0x00, 0x0A, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED,
        0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xF8, 0xFE, 0xFF
    };

    @Test
    void randomBytesDecodeAsTheStandardSays() {
        Random random = new Random(42);
        Utf8 utf8 = new Utf8();
        for (int round = 0; round < 200_000; round++) {
            byte[] bytes = new byte[random.nextInt(24)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte)
                        (random.nextInt(3) == 0
                                ? random.nextInt(256)
                                : INTERESTING[random.nextInt(INTERESTING.length)]);
            }
            int from = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
            int length = bytes.length - from;
            assertThat(utf8.decode(bytes, from, length))
                    .as("round %d", round)
                    .isEqualTo(Utf8.decodeExactly(bytes, from, length));
        }
    }

    @Test
    void validTextOfEveryLengthClassDecodesToItself() {
        Utf8 utf8 = new Utf8();
        String text = "ascii é ß 中文 😀 𝄞 \uFFFD \uFEFF end";
        for (int repeat : new int[] {1, 3, 50, 200}) {
            String value = text.repeat(repeat);
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            assertThat(utf8.decode(bytes, 0, bytes.length)).isEqualTo(value);
            assertThat(Utf8.decodeExactly(bytes, 0, bytes.length)).isEqualTo(value);
        }
    }

    @Test
    void aLargeValueDoesNotStayInTheScratchArrayButDecodesTheSame() {
        Utf8 utf8 = new Utf8();
        String big = "中".repeat(5_000);
        byte[] bytes = big.getBytes(StandardCharsets.UTF_8);
        assertThat(utf8.decode(bytes, 0, bytes.length)).isEqualTo(big);
        byte[] small = "é".getBytes(StandardCharsets.UTF_8);
        assertThat(utf8.decode(small, 0, small.length)).isEqualTo("é");
        assertThat(utf8.decode(bytes, 0, bytes.length)).isEqualTo(big);
    }
}
