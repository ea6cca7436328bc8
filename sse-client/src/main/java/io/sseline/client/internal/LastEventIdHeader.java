package io.sseline.client.internal;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * The value of the {@code Last-Event-ID} request header for a last event id.
 *
 * <p>The specification sends the id "encoded as UTF-8", as browsers do: the server gets back the
 * exact bytes it sent, whatever characters they are. How {@code HttpClient} writes a header value
 * depends on the protocol. Over HTTP/2, HPACK writes each character from U+0000 to U+00FF as the one
 * byte of that value, so an id travels exactly as a string with one character per UTF-8 byte. Over
 * HTTP/1.1 it encodes the header block as US-ASCII and writes {@code ?} for every other character:
 * an id with non-ASCII characters cannot be sent there, and sending {@code caf??} for {@code café}
 * would make the server resume from an id it never issued, so the request goes without the header.
 * {@code HttpClient} also refuses control characters other than tab in any header value, which an id
 * may hold (only NUL, CR and LF cannot be in one); such an id cannot be sent at all.
 */
final class LastEventIdHeader {
    private LastEventIdHeader() {}

    /**
     * The header value that carries {@code id}'s UTF-8 bytes, or empty when {@code id} is empty or
     * cannot be sent: it holds a control character, or characters outside ASCII and {@code
     * overHttp2} is false.
     */
    static Optional<String> valueOf(String id, boolean overHttp2) {
        if (id.isEmpty()) {
            return Optional.empty();
        }
        byte[] utf8 = id.getBytes(StandardCharsets.UTF_8);
        for (byte b : utf8) {
            if ((b >= 0 && b < 0x20 && b != '\t') || b == 0x7F || (b < 0 && !overHttp2)) {
                return Optional.empty();
            }
        }
        return Optional.of(new String(utf8, StandardCharsets.ISO_8859_1));
    }

    /** Why {@code id} cannot be sent, for a log message; {@link #valueOf} returned empty for it. */
    static String whyNot(String id) {
        return id.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7F)
                ? "it holds a control character, which HttpClient refuses in a header"
                : "it holds characters outside ASCII, which HttpClient can send only over HTTP/2 with TLS (over"
                        + " HTTP/1.1 it would write ? for each)";
    }

    /** {@code id} with its control characters written as {@code \\uXXXX}, for a log message. */
    static String escaped(String id) {
        StringBuilder out = new StringBuilder(id.length() + 16);
        id.chars().forEach(c -> {
            if (c < 0x20 || c == 0x7F) {
                out.append(String.format(Locale.ROOT, "\\u%04X", c));
            } else {
                out.append((char) c);
            }
        });
        return out.toString();
    }
}
