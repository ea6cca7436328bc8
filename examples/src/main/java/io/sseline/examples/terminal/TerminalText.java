package io.sseline.examples.terminal;

/**
 * Escapes the characters in text from the network that a terminal would act on instead of showing:
 * ESC (which starts the sequences that move the cursor, recolour, retitle the window or rewrite the
 * clipboard), CR and LF (which forge lines), the other C0 controls, DEL, the C1 controls (U+0080 to
 * U+009F; some terminals act on them as on ESC sequences), and the bidirectional controls (which
 * reorder what follows). Each becomes a backslash, {@code x} and two hex digits, or (above U+00FF)
 * a backslash, {@code u} and four hex digits; a backslash stays as it is.
 *
 * <pre>{@code
 * TerminalText.escape("hi\033[2Jthere");             // hi\x1B[2Jthere
 * TerminalText.escapeKeepingLines("line 1\nline 2"); // unchanged: LF kept, for multi-line data
 * }</pre>
 */
public final class TerminalText {
    private TerminalText() {}

    /** {@code text} with every control character escaped, line breaks included. */
    public static String escape(String text) {
        return escape(text, false);
    }

    /** {@code text} with every control character escaped except LF, which still ends a line. */
    public static String escapeKeepingLines(String text) {
        return escape(text, true);
    }

    private static String escape(String text, boolean keepLf) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean unsafe = !(keepLf && c == '\n') && (c < 0x20 || (c >= 0x7F && c <= 0x9F) || isBidiControl(c));
            if (unsafe && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out == null) {
                continue;
            }
            if (!unsafe) {
                out.append(c);
            } else if (c <= 0xFF) {
                out.append(String.format("\\x%02X", (int) c));
            } else {
                out.append(String.format("\\u%04X", (int) c));
            }
        }
        return out == null ? text : out.toString();
    }

    private static boolean isBidiControl(char c) {
        return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F;
    }
}
