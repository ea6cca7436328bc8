package io.sseline.core.internal;

import java.nio.charset.StandardCharsets;

/**
 * UTF-8 decoding exactly as the WHATWG Encoding standard's "UTF-8 decode" does it, which is what the
 * event stream format requires. The JDK decoder agrees on valid input and differs on some invalid
 * input (an encoded surrogate such as {@code ED A0 80} is one U+FFFD in the JDK and three in the
 * standard), so the JDK's fast decoder runs first and the exact one only when it reported a
 * replacement.
 */
public final class Utf8 {
    private static final char REPLACEMENT = '\uFFFD';

    private Utf8() {}

    /** Decodes {@code b[from, from + length)}; invalid sequences become U+FFFD. */
    public static String decode(byte[] b, int from, int length) {
        String fast = new String(b, from, length, StandardCharsets.UTF_8);
        // A Latin-1 string cannot hold U+FFFD, so this is free for ASCII text.
        return fast.indexOf(REPLACEMENT) < 0 ? fast : decodeExactly(b, from, length);
    }

    /** The standard's UTF-8 decoder, step by step. */
    static String decodeExactly(byte[] b, int from, int length) {
        StringBuilder out = new StringBuilder(length);
        int codePoint = 0;
        int bytesSeen = 0;
        int bytesNeeded = 0;
        int lower = 0x80;
        int upper = 0xBF;
        for (int i = from, end = from + length; i < end; i++) {
            int c = b[i] & 0xFF;
            if (bytesNeeded == 0) {
                if (c <= 0x7F) {
                    out.append((char) c);
                } else if (c >= 0xC2 && c <= 0xDF) {
                    bytesNeeded = 1;
                    codePoint = c & 0x1F;
                } else if (c >= 0xE0 && c <= 0xEF) {
                    lower = c == 0xE0 ? 0xA0 : 0x80;
                    upper = c == 0xED ? 0x9F : 0xBF;
                    bytesNeeded = 2;
                    codePoint = c & 0x0F;
                } else if (c >= 0xF0 && c <= 0xF4) {
                    lower = c == 0xF0 ? 0x90 : 0x80;
                    upper = c == 0xF4 ? 0x8F : 0xBF;
                    bytesNeeded = 3;
                    codePoint = c & 0x07;
                } else {
                    out.append(REPLACEMENT);
                }
                continue;
            }
            if (c < lower || c > upper) {
                // The byte is not a continuation here: the sequence so far is one error, and the byte
                // is read again as the start of the next one.
                codePoint = 0;
                bytesNeeded = 0;
                bytesSeen = 0;
                lower = 0x80;
                upper = 0xBF;
                out.append(REPLACEMENT);
                i--;
                continue;
            }
            lower = 0x80;
            upper = 0xBF;
            codePoint = (codePoint << 6) | (c & 0x3F);
            if (++bytesSeen == bytesNeeded) {
                out.appendCodePoint(codePoint);
                codePoint = 0;
                bytesNeeded = 0;
                bytesSeen = 0;
            }
        }
        if (bytesNeeded != 0) {
            out.append(REPLACEMENT);
        }
        return out.toString();
    }
}
