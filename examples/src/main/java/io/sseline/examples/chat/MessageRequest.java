package io.sseline.examples.chat;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Iterator;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /messages}, parsed and checked: a JSON object with the text to send and,
 * optionally, who sends it and to which room.
 *
 * <pre>{@code
 * MessageRequest request = MessageRequest.parse("{\"content\":\"Hello!\",\"author\":\"ada\"}".getBytes(UTF_8));
 * request.room(); // "lobby"
 * }</pre>
 *
 * <p>The rules: {@code content} is required, a string with at least one non-blank character and at
 * most {@value #MAX_CONTENT_LENGTH} characters; {@code author} is optional (default {@value
 * #DEFAULT_AUTHOR}), at most {@value #MAX_NAME_LENGTH} characters without control characters or
 * bidirectional controls, with at least one visible character; {@code
 * room} is optional (default {@value #DEFAULT_ROOM}) and matches {@code [A-Za-z0-9_-]{1,32}}. No
 * string may hold a lone surrogate. No other field, no duplicate field and nothing after the object is
 * allowed. Immutable.
 *
 * @param content the text, stripped of leading and trailing white space
 * @param author the sender's name, stripped
 * @param room the room to send to
 */
public record MessageRequest(String content, String author, String room) {
    /** The most characters (UTF-16 units) a message may have. */
    public static final int MAX_CONTENT_LENGTH = 1000;
    /** The most characters a user name may have. */
    public static final int MAX_NAME_LENGTH = 32;
    /** The largest request body accepted, in bytes. */
    public static final int MAX_BODY_BYTES = 16 * 1024;
    /** The author of a message that names none. */
    public static final String DEFAULT_AUTHOR = "anonymous";
    /** The room of a message or stream that names none. */
    public static final String DEFAULT_ROOM = "lobby";

    private static final Pattern ROOM = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final Set<String> FIELDS = Set.of("content", "author", "room");
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Checks that no component is {@code null}. */
    public MessageRequest {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(room, "room");
    }

    /**
     * Parses and checks a request body.
     *
     * @throws InvalidMessageException if the body breaks a rule; its message says which and how
     */
    public static MessageRequest parse(byte[] body) throws InvalidMessageException {
        Objects.requireNonNull(body, "body");
        if (body.length > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        JsonNode json;
        try {
            json = MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw new InvalidMessageException(
                    "",
                    "body is not valid JSON (" + e.getOriginalMessage() + "); send an object such as"
                            + " {\"content\":\"Hello!\"}");
        } catch (java.io.IOException e) {
            throw new InvalidMessageException("", "body could not be read: " + e.getMessage());
        }
        if (json == null || json.isMissingNode() || !json.isObject()) {
            throw new InvalidMessageException("", "body must be a JSON object such as {\"content\":\"Hello!\"}");
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new InvalidMessageException(
                        name, "unknown field \"" + name + "\"; the fields are content, author and room");
            }
        }
        String content = text(json, "content", null).strip();
        if (content.isEmpty()) {
            throw new InvalidMessageException("content", "content must not be empty");
        }
        checkSurrogates("content", content);
        if (content.length() > MAX_CONTENT_LENGTH) {
            throw new InvalidMessageException(
                    "content",
                    "content has " + content.length() + " characters; the most a message may have is "
                            + MAX_CONTENT_LENGTH);
        }
        String author = checkName("author", text(json, "author", DEFAULT_AUTHOR));
        String room = checkRoom("room", text(json, "room", DEFAULT_ROOM));
        return new MessageRequest(content, author, room);
    }

    /** The exception for a body over {@link #MAX_BODY_BYTES}. */
    static InvalidMessageException tooLarge() {
        return new InvalidMessageException(
                "",
                "body is larger than " + MAX_BODY_BYTES + " bytes; a message may have at most " + MAX_CONTENT_LENGTH
                        + " characters");
    }

    /**
     * Checks a user name: stripped, 1 to {@value #MAX_NAME_LENGTH} characters, no control characters,
     * no bidirectional controls, no lone surrogate, and not only invisible characters.
     *
     * @param field the name of the field or parameter, for the message
     * @return the stripped name
     * @throws InvalidMessageException if the name breaks a rule
     */
    public static String checkName(String field, String name) throws InvalidMessageException {
        String stripped = name.strip();
        if (stripped.isEmpty()) {
            throw new InvalidMessageException(field, field + " must not be empty");
        }
        if (stripped.length() > MAX_NAME_LENGTH) {
            throw new InvalidMessageException(
                    field, field + " has " + stripped.length() + " characters; the most is " + MAX_NAME_LENGTH);
        }
        if (stripped.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidMessageException(field, field + " must not contain control characters");
        }
        checkSurrogates(field, stripped);
        if (stripped.chars().anyMatch(MessageRequest::isBidiControl)) {
            throw new InvalidMessageException(
                    field, field + " must not contain bidirectional controls (U+202A to U+202E, U+2066 to U+2069)");
        }
        if (stripped.codePoints().allMatch(MessageRequest::isInvisible)) {
            throw new InvalidMessageException(field, field + " must contain a visible character");
        }
        return stripped;
    }

    /**
     * Refuses a lone surrogate: half of a character, which JSON's {@code \\uD83D} escape can carry
     * but UTF-8 cannot encode, so that a client would see a replacement character.
     */
    static void checkSurrogates(String field, String value) throws InvalidMessageException {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)
                    && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidMessageException(
                        field,
                        String.format(
                                "%s contains a lone surrogate (\\u%04X at %d), half of a character; send whole"
                                        + " characters",
                                field, (int) c, i));
            }
        }
    }

    /** U+202A to U+202E (embeddings, overrides) and U+2066 to U+2069 (isolates): they reorder what follows. */
    private static boolean isBidiControl(int c) {
        return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
    }

    /**
     * Characters that show nothing by themselves: white space, format characters (zero-width space
     * and joiners, bidirectional marks and controls, the BOM), combining marks, and the blank
     * letters that some fonts draw empty (Hangul fillers, the braille blank).
     */
    private static boolean isInvisible(int c) {
        int type = Character.getType(c);
        return Character.isWhitespace(c)
                || Character.isSpaceChar(c)
                || type == Character.FORMAT
                || type == Character.NON_SPACING_MARK
                || type == Character.ENCLOSING_MARK
                || type == Character.CONTROL
                || c == 0x115F
                || c == 0x1160
                || c == 0x3164
                || c == 0xFFA0
                || c == 0x2800;
    }

    /**
     * Checks a room name against {@code [A-Za-z0-9_-]{1,32}}.
     *
     * @param field the name of the field or parameter, for the message
     * @return the room name
     * @throws InvalidMessageException if it does not match
     */
    public static String checkRoom(String field, String room) throws InvalidMessageException {
        if (!ROOM.matcher(room).matches()) {
            throw new InvalidMessageException(
                    field, field + " must be 1 to 32 letters, digits, '-' or '_'; got \"" + room + "\"");
        }
        return room;
    }

    private static String text(JsonNode json, String field, String fallback) throws InvalidMessageException {
        JsonNode value = json.get(field);
        if (value == null || value.isNull() && fallback != null) {
            if (fallback == null) {
                throw new InvalidMessageException(field, field + " is required, for example {\"content\":\"Hello!\"}");
            }
            return fallback;
        }
        if (!value.isTextual()) {
            throw new InvalidMessageException(
                    field,
                    field + " must be a string, not "
                            + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        return value.textValue();
    }
}
