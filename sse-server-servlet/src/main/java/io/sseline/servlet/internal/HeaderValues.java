package io.sseline.servlet.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Request header values as the client meant them.
 *
 * <pre>{@code
 * String lastEventId = HeaderValues.utf8(request.getHeader("Last-Event-ID"));   // "" when absent
 * }</pre>
 */
public final class HeaderValues {
    private HeaderValues() {}

    /**
     * The value a client sent as UTF-8 bytes, from the string a container made of those bytes. HTTP
     * gives header bytes no charset, and containers turn each byte into one character (ISO-8859-1);
     * browsers send an {@code EventSource}'s {@code Last-Event-ID} as UTF-8. So when every character
     * is one byte and those bytes are valid UTF-8, this returns their UTF-8 decoding; otherwise (ASCII,
     * bytes that are not UTF-8, or a container that already decoded UTF-8) it returns {@code value}
     * as it is. {@code null} becomes {@code ""}.
     */
    public static String utf8(@Nullable String value) {
        if (value == null) {
            return "";
        }
        boolean ascii = true;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0xFF) {
                return value; // not one byte per character: decoded already
            }
            ascii &= c < 0x80;
        }
        if (ascii) {
            return value;
        }
        try {
            CharBuffer decoded = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value.getBytes(StandardCharsets.ISO_8859_1)));
            return decoded.toString();
        } catch (CharacterCodingException notUtf8) {
            return value;
        }
    }
}
