package io.sseline.core;

import java.time.Duration;
import java.util.Random;

/** Generates events with awkward content from a seed, so that any failure can be replayed. */
final class RandomEvents {
    /** Pieces that stress the format: line ends, NUL, BOM, colons, spaces, multi-byte and astral characters. */
    private static final String[] PIECES = {
        "\n",
        "\r",
        "\r\n",
        "\n\r",
        "\0",
        "\uFEFF",
        "\uFFFD",
        ":",
        " ",
        "  ",
        "data: ",
        "id:",
        "event",
        "a",
        "Z",
        "0",
        "é",
        "ß",
        "€",
        "中文",
        "😀",
        "𝄞",
        "\u2028",
        "\t",
        "{\"k\":\"v\"}",
        "retry: 5"
    };

    private RandomEvents() {}

    static String text(Random random, int maxPieces) {
        StringBuilder s = new StringBuilder();
        int n = random.nextInt(maxPieces + 1);
        for (int i = 0; i < n; i++) {
            if (random.nextInt(4) == 0) {
                s.appendCodePoint(randomCodePoint(random));
            } else {
                s.append(PIECES[random.nextInt(PIECES.length)]);
            }
        }
        return s.toString();
    }

    static Event event(Random random) {
        Event event = Event.of(text(random, 12));
        if (random.nextBoolean()) {
            event = event.withType(singleLine(random));
        }
        if (random.nextBoolean()) {
            event = event.withId(id(random));
        }
        if (random.nextInt(4) == 0) {
            event = event.withRetry(Duration.ofMillis(random.nextInt(100_000)));
        }
        return event;
    }

    /** An id that {@link Event#withId} accepts: one line, no NUL; may be empty. */
    static String id(Random random) {
        return singleLine(random).replace("\0", "");
    }

    private static String singleLine(Random random) {
        return text(random, 6).replace("\r", "").replace("\n", "");
    }

    /** Any valid code point: no lone surrogates, which UTF-8 cannot carry. */
    private static int randomCodePoint(Random random) {
        while (true) {
            int cp = random.nextInt(4) == 0 ? random.nextInt(0x110000) : random.nextInt(0x800);
            if (cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE) {
                return cp;
            }
        }
    }
}
