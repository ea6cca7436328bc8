package io.sseline.core;

import io.sseline.core.EventStreamLimitException.Limit;
import io.sseline.core.internal.Bytes;
import io.sseline.core.internal.Utf8;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An incremental parser for {@code text/event-stream}: feed it bytes in chunks of any size, and it
 * calls its {@link Listener} with each complete event, exactly as the WHATWG HTML standard's "event
 * stream interpretation" describes.
 *
 * <pre>{@code
 * EventParser parser = EventParser.create(event -> System.out.println(event.type() + ": " + event.data()));
 * parser.feed("event: greeting\ndata: hel".getBytes(UTF_8));
 * parser.feed("lo\n\n".getBytes(UTF_8));   // prints "greeting: hello"
 * parser.end();
 * }</pre>
 *
 * <p>Chunk boundaries do not matter: a CRLF, a multi-byte UTF-8 character or the leading byte order
 * mark may be split across any two calls to {@code feed}. Invalid UTF-8 becomes U+FFFD. An event
 * that is not terminated by a blank line when the stream ends is discarded, as the specification
 * requires.
 *
 * <p>Memory is bounded: a line longer than {@link Limits#maxLineLength()} or event data larger than
 * {@link Limits#maxEventSize()} raises {@link EventStreamLimitException}. After that the parser
 * refuses input until {@link #end()} starts a new stream.
 *
 * <p>A parser is not thread-safe: feed it from one thread at a time. It calls its listener on the
 * feeding thread, before {@code feed} returns; an exception thrown by the listener propagates to the
 * caller of {@code feed}, and the rest of that chunk is not parsed.
 *
 * <p>One parser may read several connections of the same event source in turn: {@link #end()}
 * finishes one stream and readies the parser for the next, keeping {@link #lastEventId()}, as the
 * specification keeps an event source's last event id across reconnections.
 */
public final class EventParser {
    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte COLON = ':';
    private static final byte SPACE = ' ';
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final byte[] EMPTY = {};
    /**
     * A buffer up to this size is kept for the life of the parser. A larger one, grown for large
     * events, is kept while events keep using at least a quarter of it (so a stream of large events
     * does not regrow it for each), and dropped after the first event that does not.
     */
    private static final int RETAINED_CAPACITY = 64 * 1024;

    /**
     * Receives what a parser reads. Called on the thread that feeds the parser, one call at a time, in
     * stream order.
     *
     * <pre>{@code
     * EventParser.Listener listener = new EventParser.Listener() {
     *     public void onEvent(Event event) { handle(event); }
     *     public void onRetry(Duration retry) { reconnectDelay = retry; }
     * };
     * }</pre>
     */
    @FunctionalInterface
    public interface Listener {
        /** Called for each dispatched event. */
        void onEvent(Event event);

        /**
         * Called for each comment line (one that starts with a colon) with the text after the colon,
         * less one leading space. The specification ignores comments; servers use them as heartbeats.
         */
        default void onComment(String comment) {}

        /** Called for each valid {@code retry} field, at once, whether or not an event follows. */
        default void onRetry(Duration retry) {}
    }

    /**
     * The sizes a parser accepts: the longest line and the largest event data, in bytes. They keep a
     * parser's memory bounded whatever the stream holds; a stream beyond them fails with {@link
     * EventStreamLimitException}. Immutable and thread-safe.
     *
     * <pre>{@code
     * EventParser.Limits limits = EventParser.Limits.defaults().withMaxLineLength(64 * 1024);
     * EventParser parser = EventParser.create(limits, "", listener);
     * }</pre>
     */
    public static final class Limits {
        private static final Limits DEFAULTS = new Limits(1 << 20, 8 << 20);

        private final int maxLineLength;
        private final int maxEventSize;

        private Limits(int maxLineLength, int maxEventSize) {
            this.maxLineLength = maxLineLength;
            this.maxEventSize = maxEventSize;
        }

        /** The default limits: lines up to 1 MiB, event data up to 8 MiB. */
        public static Limits defaults() {
            return DEFAULTS;
        }

        /**
         * Returns a copy with the given longest line, in bytes without the line end.
         *
         * @throws IllegalArgumentException if {@code bytes} is not positive
         */
        public Limits withMaxLineLength(int bytes) {
            return new Limits(requirePositive("maxLineLength", bytes), maxEventSize);
        }

        /**
         * Returns a copy with the given largest event data, in bytes of UTF-8 including the line feeds
         * that join its lines.
         *
         * @throws IllegalArgumentException if {@code bytes} is not positive
         */
        public Limits withMaxEventSize(int bytes) {
            return new Limits(maxLineLength, requirePositive("maxEventSize", bytes));
        }

        /** The longest line accepted, in bytes without the line end. Default 1 MiB. */
        public int maxLineLength() {
            return maxLineLength;
        }

        /** The largest event data accepted, in bytes. Default 8 MiB. */
        public int maxEventSize() {
            return maxEventSize;
        }

        @Override
        @SuppressWarnings("exports") // JSpecify is compile-time only; readers of the API need not have it
        public boolean equals(@Nullable Object o) {
            return o instanceof Limits other
                    && other.maxLineLength == maxLineLength
                    && other.maxEventSize == maxEventSize;
        }

        @Override
        public int hashCode() {
            return 31 * maxLineLength + maxEventSize;
        }

        @Override
        public String toString() {
            return "Limits{maxLineLength=" + maxLineLength + ", maxEventSize=" + maxEventSize + "}";
        }

        private static int requirePositive(String name, int value) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive: " + value);
            }
            return value;
        }
    }

    // Configuration.
    private final Listener listener;
    private final int maxLineLength;
    private final int maxEventSize;
    private final Utf8 utf8 = new Utf8();

    // Stream state, reset by end().
    /** Bytes of the leading BOM matched so far; 3 once the BOM question is settled. */
    private int bomMatched;
    /** The previous chunk ended with CR, so an LF at the start of this one ends nothing. */
    private boolean skipLf;
    /** A line that began in an earlier chunk and has not ended yet: line[0, lineLength). */
    private byte[] line = EMPTY;

    private int lineLength;
    private boolean inLine;
    /** The data buffer as UTF-8: every data value, each followed by LF. */
    private byte[] data = EMPTY;

    private int dataLength;
    /** The event type buffer as UTF-8. */
    private byte[] type = EMPTY;

    private int typeLength;
    /** The last event id buffer. */
    private String idBuffer;
    /** The retry sent in the current block, in ms, or -1. */
    private long retryMillis = -1;

    private boolean failed;

    // Kept across streams.
    /** The event source's last event id string, set when a blank line is read. */
    private String lastEventId;
    /** The most recent non-default type, kept so repeated types need no new String. */
    private byte[] cachedTypeBytes = EMPTY;

    private String cachedType = Event.DEFAULT_TYPE;

    private EventParser(Limits limits, String lastEventId, Listener listener) {
        this.listener = listener;
        this.maxLineLength = limits.maxLineLength();
        this.maxEventSize = limits.maxEventSize();
        this.lastEventId = lastEventId;
        this.idBuffer = lastEventId;
    }

    /** Returns a parser with the {@link Limits#defaults() default limits} that reports to {@code listener}. */
    public static EventParser create(Listener listener) {
        return create(Limits.defaults(), "", listener);
    }

    /**
     * Returns a parser with the given limits and initial last event id that reports to {@code
     * listener}.
     *
     * @param lastEventId the last event id the stream starts with, for a client that resumes where an
     *     earlier connection stopped (it sent this id as {@code Last-Event-ID}); {@code ""} for none
     * @throws IllegalArgumentException if {@code lastEventId} contains CR, LF or NUL, which no stream
     *     can set
     */
    public static EventParser create(Limits limits, String lastEventId, Listener listener) {
        Objects.requireNonNull(limits, "limits");
        Event.checkId(lastEventId, "lastEventId");
        Objects.requireNonNull(listener, "listener");
        return new EventParser(limits, lastEventId, listener);
    }

    /**
     * The event source's last event id: the id of the most recently dispatched block, {@code ""} when
     * there has been none or the server reset it. A client sends it as {@code Last-Event-ID} when it
     * reconnects.
     */
    public String lastEventId() {
        return lastEventId;
    }

    /**
     * Parses the bytes remaining in {@code chunk} and advances its position to its limit.
     *
     * @throws EventStreamLimitException if the stream exceeds a limit
     * @throws IllegalStateException if the parser failed on an earlier chunk of this stream
     */
    public void feed(ByteBuffer chunk) throws EventStreamLimitException {
        if (chunk.hasArray()) {
            int start = chunk.arrayOffset() + chunk.position();
            int length = chunk.remaining();
            chunk.position(chunk.limit());
            feed(chunk.array(), start, length);
            return;
        }
        byte[] copy = new byte[Math.min(chunk.remaining(), 8192)];
        while (chunk.hasRemaining()) {
            int n = Math.min(copy.length, chunk.remaining());
            chunk.get(copy, 0, n);
            feed(copy, 0, n);
        }
    }

    /**
     * Parses all of {@code chunk}.
     *
     * @throws EventStreamLimitException if the stream exceeds a limit
     * @throws IllegalStateException if the parser failed on an earlier chunk of this stream
     */
    public void feed(byte[] chunk) throws EventStreamLimitException {
        feed(chunk, 0, chunk.length);
    }

    /**
     * Parses {@code chunk[offset, offset + length)}.
     *
     * @throws EventStreamLimitException if the stream exceeds a limit
     * @throws IllegalStateException if the parser failed on an earlier chunk of this stream
     */
    public void feed(byte[] chunk, int offset, int length) throws EventStreamLimitException {
        Objects.checkFromIndexSize(offset, length, chunk.length);
        if (failed) {
            throw new IllegalStateException(
                    "the stream exceeded a limit earlier; call end() before feeding a new stream");
        }
        try {
            int end = offset + length;
            int pos = bomMatched < BOM.length ? skipBom(chunk, offset, end) : offset;
            parse(chunk, pos, end);
        } catch (EventStreamLimitException e) {
            failed = true;
            throw e;
        }
    }

    /**
     * Ends the current stream. An event that was not terminated by a blank line is discarded (spec:
     * "If the file ends in the middle of an event, before the final empty line, the incomplete event
     * is not dispatched"). The parser is then ready for a new stream; {@link #lastEventId()} is kept.
     */
    public void end() {
        bomMatched = 0;
        skipLf = false;
        inLine = false;
        lineLength = 0;
        dataLength = 0;
        typeLength = 0;
        retryMillis = -1;
        idBuffer = lastEventId;
        failed = false;
        line = shrink(line);
        data = shrink(data);
    }

    /**
     * Spec: "The UTF-8 decode algorithm strips one leading UTF-8 Byte Order Mark (BOM), if any." The
     * BOM may arrive split across chunks; bytes that turn out not to be a BOM are parsed as usual.
     */
    private int skipBom(byte[] chunk, int pos, int end) throws EventStreamLimitException {
        while (pos < end && bomMatched < BOM.length) {
            if (chunk[pos] != BOM[bomMatched]) {
                int matched = bomMatched;
                bomMatched = BOM.length;
                parse(BOM, 0, matched);
                return pos;
            }
            bomMatched++;
            pos++;
        }
        return pos;
    }

    private void parse(byte[] b, int pos, int end) throws EventStreamLimitException {
        if (skipLf && pos < end) {
            skipLf = false;
            if (b[pos] == LF) {
                pos++;
            }
        }
        while (pos < end) {
            int eol = Bytes.indexOfLineEnd(b, pos, end);
            if (eol < 0) {
                appendToLine(b, pos, end - pos);
                return;
            }
            if (inLine) {
                appendToLine(b, pos, eol - pos);
                inLine = false;
                processLine(line, 0, lineLength);
                lineLength = 0;
                line = shrink(line);
            } else {
                if (eol - pos > maxLineLength) {
                    throw new EventStreamLimitException(Limit.LINE_LENGTH, maxLineLength);
                }
                processLine(b, pos, eol - pos);
            }
            pos = eol + 1;
            // Spec: lines end with CRLF, a single LF or a single CR.
            if (b[eol] == CR) {
                if (pos == end) {
                    skipLf = true;
                } else if (b[pos] == LF) {
                    pos++;
                }
            }
        }
    }

    private void appendToLine(byte[] b, int from, int length) throws EventStreamLimitException {
        int needed = lineLength + length;
        if (needed > maxLineLength) {
            throw new EventStreamLimitException(Limit.LINE_LENGTH, maxLineLength);
        }
        if (needed > line.length) {
            line = Arrays.copyOf(line, grow(line.length, needed, maxLineLength));
        }
        System.arraycopy(b, from, line, lineLength, length);
        lineLength = needed;
        inLine = true;
    }

    private void processLine(byte[] b, int start, int length) throws EventStreamLimitException {
        // Spec: "If the line is empty (a blank line): Dispatch the event."
        if (length == 0) {
            dispatch();
            return;
        }
        int end = start + length;
        // Spec: "If the line starts with a U+003A COLON character (:): Ignore the line."
        if (b[start] == COLON) {
            int text = start + 1 < end && b[start + 1] == SPACE ? start + 2 : start + 1;
            listener.onComment(utf8.decode(b, text, end - text));
            return;
        }
        // Spec: "If the line contains a U+003A COLON character: collect the characters before it as the
        // field name, after it as the value; if the value starts with a U+0020 SPACE, remove it.
        // Otherwise the whole line is the field name and the value is the empty string."
        int colon = Bytes.indexOf(b, start, end, COLON);
        int nameEnd = colon < 0 ? end : colon;
        int value = colon < 0 ? end : colon + 1;
        if (value < end && b[value] == SPACE) {
            value++;
        }
        processField(b, start, nameEnd - start, value, end - value);
    }

    private void processField(byte[] b, int name, int nameLength, int value, int valueLength)
            throws EventStreamLimitException {
        switch (nameLength) {
            case 4 -> {
                if (b[name] == 'd' && b[name + 1] == 'a' && b[name + 2] == 't' && b[name + 3] == 'a') {
                    appendData(b, value, valueLength);
                }
            }
            case 5 -> {
                if (b[name] == 'e'
                        && b[name + 1] == 'v'
                        && b[name + 2] == 'e'
                        && b[name + 3] == 'n'
                        && b[name + 4] == 't') {
                    setType(b, value, valueLength);
                } else if (b[name] == 'r'
                        && b[name + 1] == 'e'
                        && b[name + 2] == 't'
                        && b[name + 3] == 'r'
                        && b[name + 4] == 'y') {
                    setRetry(b, value, valueLength);
                }
            }
            case 2 -> {
                // Spec: "If the field value does not contain U+0000 NULL, then set the last event ID
                // buffer to the field value. Otherwise, ignore the field."
                if (b[name] == 'i'
                        && b[name + 1] == 'd'
                        && Bytes.indexOf(b, value, value + valueLength, (byte) 0) < 0) {
                    idBuffer = utf8.decode(b, value, valueLength);
                }
            }
            default -> {
                // Spec: "Otherwise: The field is ignored."
            }
        }
    }

    /** Spec: "Append the field value to the data buffer, then append a single U+000A LINE FEED." */
    private void appendData(byte[] b, int value, int valueLength) throws EventStreamLimitException {
        int needed = dataLength + valueLength + 1;
        if (needed > maxEventSize || needed < 0) {
            throw new EventStreamLimitException(Limit.EVENT_SIZE, maxEventSize);
        }
        if (needed > data.length) {
            data = Arrays.copyOf(data, grow(data.length, needed, maxEventSize));
        }
        System.arraycopy(b, value, data, dataLength, valueLength);
        data[needed - 1] = LF;
        dataLength = needed;
    }

    /** Spec: "Set the event type buffer to the field value." */
    private void setType(byte[] b, int value, int valueLength) {
        if (valueLength > type.length) {
            type = new byte[Math.max(valueLength, 32)];
        }
        System.arraycopy(b, value, type, 0, valueLength);
        typeLength = valueLength;
    }

    /**
     * Spec: "If the field value consists of only ASCII digits, then interpret the field value as an
     * integer in base ten, and set the event stream's reconnection time to that integer. Otherwise,
     * ignore the field." An empty value names no integer and is ignored; values beyond {@code
     * Long.MAX_VALUE} saturate.
     */
    private void setRetry(byte[] b, int value, int valueLength) {
        if (valueLength == 0) {
            return;
        }
        long millis = 0;
        for (int i = value, end = value + valueLength; i < end; i++) {
            int digit = b[i] - '0';
            if (digit < 0 || digit > 9) {
                return;
            }
            millis = millis > (Long.MAX_VALUE - digit) / 10 ? Long.MAX_VALUE : millis * 10 + digit;
        }
        retryMillis = millis;
        listener.onRetry(Duration.ofMillis(millis));
    }

    /** Spec: "dispatch the event", steps 1 to 9, with the data buffer still in bytes. */
    private void dispatch() {
        // Step 1: the last event ID string takes the buffer's value, even if nothing is dispatched.
        lastEventId = idBuffer;
        long retry = retryMillis;
        retryMillis = -1;
        // Step 2: an empty data buffer resets the data and type buffers and dispatches nothing.
        if (dataLength == 0) {
            typeLength = 0;
            return;
        }
        // Step 3: remove the data buffer's trailing LF.
        int used = dataLength;
        String eventData = utf8.decode(data, 0, used - 1);
        // Step 5: the type defaults to "message" when the type buffer is empty.
        String eventType = typeLength == 0 ? Event.DEFAULT_TYPE : eventType();
        // Step 7: reset the data and type buffers before the listener runs, so that it may throw.
        dataLength = 0;
        typeLength = 0;
        if (data.length > RETAINED_CAPACITY && used < data.length / 4) {
            data = EMPTY;
        }
        listener.onEvent(new Event(eventType, eventData, lastEventId, retry));
    }

    private String eventType() {
        if (!Arrays.equals(type, 0, typeLength, cachedTypeBytes, 0, cachedTypeBytes.length)) {
            cachedTypeBytes = Arrays.copyOf(type, typeLength);
            cachedType = utf8.decode(cachedTypeBytes, 0, cachedTypeBytes.length);
        }
        return cachedType;
    }

    /** Bytes held in buffers, for tests of the memory bound. */
    int retainedBytes() {
        return line.length + data.length + type.length + cachedTypeBytes.length;
    }

    private static int grow(int capacity, int needed, int max) {
        long doubled = Math.max(256L, (long) capacity * 2);
        return (int) Math.min(Math.max(doubled, needed), max);
    }

    private static byte[] shrink(byte[] buffer) {
        return buffer.length > RETAINED_CAPACITY ? EMPTY : buffer;
    }
}
