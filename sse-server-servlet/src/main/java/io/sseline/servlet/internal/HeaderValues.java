package io.sseline.servlet.internal;

import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Request header values as the client meant them, and the query parameter that may stand in for
 * one.
 *
 * <pre>{@code
 * String lastEventId = HeaderValues.utf8(request.getHeader("Last-Event-ID"));   // "" when absent
 * Optional<String> fromUrl = HeaderValues.queryParameter(request.getQueryString(), "lastEventId");
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

    /**
     * The first value of the parameter {@code name} in {@code query} (a request's raw query string,
     * or null), percent-decoded as UTF-8 with {@code +} as a space, as forms and {@code
     * URLSearchParams} encode it. Empty when the parameter is absent, when its value is not valid
     * percent-encoding, or when it holds CR, LF or NUL, which no event id may.
     */
    public static Optional<String> queryParameter(@Nullable String query, String name) {
        if (query == null) {
            return Optional.empty();
        }
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String raw = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                if (!URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
                    continue;
                }
                String value = URLDecoder.decode(raw, StandardCharsets.UTF_8);
                boolean clean = value.indexOf('\r') < 0 && value.indexOf('\n') < 0 && value.indexOf('\0') < 0;
                return clean ? Optional.of(value) : Optional.empty();
            } catch (IllegalArgumentException malformed) {
                // not this parameter's name, or a value that cannot be decoded: the next pair
            }
        }
        return Optional.empty();
    }
}
