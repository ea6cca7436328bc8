package io.sseline.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The streams the parser benchmarks read, generated from a fixed seed so that every run, every
 * parser and every machine sees the same bytes.
 *
 * <pre>{@code
 * Corpus.Stream chat = Corpus.CHAT.generate();
 * chat.bytes();    // the wire format
 * chat.events();   // what a conforming parser must report, in order
 * }</pre>
 *
 * <p>Field order in every event is {@code id}, {@code event}, {@code data}, as sseline's serializer
 * writes it, so serializing {@link Stream#events()} of {@link #CHAT} gives back its bytes. Thread-safe;
 * each call to {@link #generate()} builds a new stream.
 */
public enum Corpus {
    /** 10,000 chat messages of about 150 bytes of JSON each, with {@code id} and {@code event}. */
    CHAT,
    /** 50,000 tiny {@code data: {"content":" token"}} events, as an LLM streams tokens, then {@code [DONE]}. */
    TOKENS,
    /** 32 events of 64 KiB data each, in lines of 40 to 120 bytes, with {@code id} and {@code event}. */
    BULK,
    /** {@link #CHAT} with every line ending in CRLF. */
    CHAT_CRLF;

    /** The number of chat events in {@link #CHAT} and {@link #CHAT_CRLF}. */
    public static final int CHAT_EVENTS = 10_000;
    /** The number of token events in {@link #TOKENS}, before the final {@code [DONE]}. */
    public static final int TOKEN_EVENTS = 50_000;
    /** The number of events in {@link #BULK}. */
    public static final int BULK_EVENTS = 32;
    /** The UTF-8 size of the data of each {@link #BULK} event. */
    public static final int BULK_DATA_BYTES = 64 * 1024;

    private static final long SEED = 0x55E_11_4EL;
    private static final String[] WORDS = {
        "the",
        "a",
        "meeting",
        "is",
        "at",
        "noon",
        "café",
        "déjà",
        "vu",
        "ok",
        "👍",
        "thanks",
        "see",
        "you",
        "later",
        "naïve",
        "plan",
        "ship",
        "it",
        "日本",
        "review",
        "done",
        "lunch",
        "build",
        "green",
        "merge",
        "tomorrow",
        "deploy",
        "friday",
        "coffee",
        "why",
        "not",
        "sure",
        "let's",
        "go",
        "🚀",
        "fixed",
        "bug",
    };
    private static final String[] ASCII_WORDS = {
        "alpha",
        "bravo",
        "charlie",
        "delta",
        "echo",
        "foxtrot",
        "golf",
        "hotel",
        "india",
        "juliet",
        "kilo",
        "lima",
        "mike",
        "november",
        "oscar",
        "papa",
        "quebec",
        "romeo",
        "sierra",
        "tango",
        "0",
        "1",
        "42",
        "-7",
    };
    private static final String[] USERS = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"};
    private static final String[] ROOMS = {"general", "random", "dev", "ops"};

    /** A generated stream: its bytes and the events a parser must read from them. */
    public record Stream(byte[] bytes, List<ParsedEvent> events) {}

    /** Builds this corpus. */
    public Stream generate() {
        return switch (this) {
            case CHAT -> write(chatEvents(), "\n");
            case CHAT_CRLF -> write(chatEvents(), "\r\n");
            case TOKENS -> write(tokenEvents(), "\n");
            case BULK -> write(bulkEvents(), "\n");
        };
    }

    /** The events of {@link #CHAT}, for benchmarks that need them as values. */
    public static List<ParsedEvent> chatEvents() {
        SplittableRandom random = new SplittableRandom(SEED);
        List<ParsedEvent> events = new ArrayList<>(CHAT_EVENTS);
        for (int i = 0; i < CHAT_EVENTS; i++) {
            int kind = random.nextInt(10);
            String type = kind < 8 ? "chat" : kind < 9 ? "presence" : "typing";
            String id = Integer.toString(100_000 + i);
            String data = "{\"id\":" + id
                    + ",\"room\":\"" + pick(random, ROOMS)
                    + "\",\"user\":\"" + pick(random, USERS)
                    + "\",\"ts\":" + (1_764_057_600_000L + i * 1_237L)
                    + ",\"text\":\"" + words(random, WORDS, random.nextInt(45, 100)) + "\"}";
            events.add(new ParsedEvent(type, data, id));
        }
        return events;
    }

    private static List<ParsedEvent> tokenEvents() {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        List<ParsedEvent> events = new ArrayList<>(TOKEN_EVENTS + 1);
        for (int i = 0; i < TOKEN_EVENTS; i++) {
            events.add(new ParsedEvent("message", "{\"content\":\" " + pick(random, WORDS) + "\"}", ""));
        }
        events.add(new ParsedEvent("message", "[DONE]", ""));
        return events;
    }

    private static List<ParsedEvent> bulkEvents() {
        SplittableRandom random = new SplittableRandom(SEED + 2);
        List<ParsedEvent> events = new ArrayList<>(BULK_EVENTS);
        for (int i = 0; i < BULK_EVENTS; i++) {
            StringBuilder data = new StringBuilder(BULK_DATA_BYTES);
            while (data.length() < BULK_DATA_BYTES) {
                if (data.length() > 0) {
                    data.append('\n');
                }
                int room = BULK_DATA_BYTES - data.length();
                int lineLength = Math.min(room, random.nextInt(40, 121));
                StringBuilder line = new StringBuilder(words(random, ASCII_WORDS, lineLength));
                line.setLength(Math.min(line.length(), lineLength));
                while (line.length() < lineLength) {
                    line.append('.');
                }
                data.append(line);
            }
            events.add(new ParsedEvent("snapshot", data.toString(), "snapshot-" + i));
        }
        return events;
    }

    private static Stream write(List<ParsedEvent> events, String lineEnd) {
        StringBuilder wire = new StringBuilder();
        for (ParsedEvent event : events) {
            if (!event.id().isEmpty()) {
                wire.append("id: ").append(event.id()).append(lineEnd);
            }
            if (!event.type().equals("message")) {
                wire.append("event: ").append(event.type()).append(lineEnd);
            }
            for (String line : event.data().split("\n", -1)) {
                wire.append("data: ").append(line).append(lineEnd);
            }
            wire.append(lineEnd);
        }
        return new Stream(wire.toString().getBytes(StandardCharsets.UTF_8), List.copyOf(events));
    }

    /** Words separated by spaces, until the text is at least {@code length} chars long. */
    private static String words(SplittableRandom random, String[] words, int length) {
        StringBuilder text = new StringBuilder(length + 16);
        while (text.length() < length) {
            if (text.length() > 0) {
                text.append(' ');
            }
            text.append(pick(random, words));
        }
        return text.toString();
    }

    private static String pick(SplittableRandom random, String[] values) {
        return values[random.nextInt(values.length)];
    }
}
