package io.sseline.core;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Writes events and comments in the {@code text/event-stream} format, as UTF-8.
 *
 * <pre>{@code
 * byte[] bytes = EventSerializer.serialize(Event.of("line one\nline two").withType("chat").withId("7"));
 * // "id: 7\nevent: chat\ndata: line one\ndata: line two\n\n"
 * out.write(EventSerializer.serializeComment("keep-alive"));   // ": keep-alive\n\n"
 * }</pre>
 *
 * <p>Data is split on CRLF, LF and CR into one {@code data} line each, so a receiver gets back the
 * same text with every line break as LF. Empty data is written as a bare {@code data:} line, so the
 * event is still dispatched. The type is omitted when it is {@code "message"}, the id when it is
 * empty. A field value is written after {@code ": "}, so a value that starts with a space keeps it.
 * Field injection cannot happen: {@link Event} refuses a type or id that could end its line.
 *
 * <p>Unpaired surrogates in Java strings cannot be encoded as UTF-8 and are written as {@code '?'},
 * as {@link String#getBytes(java.nio.charset.Charset)} does. All methods are thread-safe.
 */
public final class EventSerializer {
    private static final byte[] ID = {'i', 'd', ':'};
    private static final byte[] EVENT = {'e', 'v', 'e', 'n', 't', ':'};
    private static final byte[] DATA = {'d', 'a', 't', 'a', ':'};
    private static final byte[] RETRY = {'r', 'e', 't', 'r', 'y', ':'};
    private static final byte[] COMMENT = {':'};

    private EventSerializer() {}

    /** Returns the event as bytes, ending with the blank line that dispatches it. */
    public static byte[] serialize(Event event) {
        Objects.requireNonNull(event, "event");
        byte[] id = event.id().getBytes(StandardCharsets.UTF_8);
        byte[] type =
                event.type().equals(Event.DEFAULT_TYPE) ? null : event.type().getBytes(StandardCharsets.UTF_8);
        byte[] retry = event.retryMillis() < 0
                ? null
                : Long.toString(event.retryMillis()).getBytes(StandardCharsets.US_ASCII);
        byte[] data = event.data().getBytes(StandardCharsets.UTF_8);

        int size = 1 + multiLineSize(DATA, data);
        if (id.length > 0) {
            size += fieldSize(ID, id.length);
        }
        if (type != null) {
            size += fieldSize(EVENT, type.length);
        }
        if (retry != null) {
            size += fieldSize(RETRY, retry.length);
        }
        byte[] out = new byte[size];
        int pos = 0;
        if (id.length > 0) {
            pos = putField(out, pos, ID, id, 0, id.length);
        }
        if (type != null) {
            pos = putField(out, pos, EVENT, type, 0, type.length);
        }
        if (retry != null) {
            pos = putField(out, pos, RETRY, retry, 0, retry.length);
        }
        pos = putMultiLine(out, pos, DATA, data);
        out[pos] = '\n';
        return out;
    }

    /**
     * Returns a comment as bytes: one {@code :} line per line of {@code text}, then a blank line. A
     * receiver ignores comments; servers send them to keep idle connections open.
     */
    public static byte[] serializeComment(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[multiLineSize(COMMENT, bytes) + 1];
        int pos = putMultiLine(out, 0, COMMENT, bytes);
        out[pos] = '\n';
        return out;
    }

    /**
     * Returns a block that holds an {@code id} field and nothing else: {@code "id: 42\n\n"}. A
     * receiver sets its last event id to {@code id} and dispatches no event (WHATWG HTML, "dispatch the
     * event", step 1 sets the last event ID string from the buffer, step 2 returns because the data
     * buffer is empty). A server sends it to move a client's resume position, for example to the
     * current end of its history, without sending an event. An empty {@code id} is written as a bare
     * {@code id:} line and resets the receiver's last event id to {@code ""}.
     *
     * <pre>{@code
     * out.write(EventSerializer.serializeId("42"));   // the client's next Last-Event-ID is "42"
     * }</pre>
     *
     * @throws IllegalArgumentException if {@code id} contains CR, LF or NUL, as {@link Event#withId}
     */
    public static byte[] serializeId(String id) {
        byte[] value = Event.checkId(id, "id").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[fieldSize(ID, value.length) + 1];
        int pos = putField(out, 0, ID, value, 0, value.length);
        out[pos] = '\n';
        return out;
    }

    /** Writes the event to {@code out}; see {@link #serialize(Event)}. Does not flush. */
    public static void write(Event event, OutputStream out) throws IOException {
        out.write(serialize(event));
    }

    /**
     * Writes the event into {@code dst} at its position and advances it.
     *
     * @throws java.nio.BufferOverflowException if {@code dst} has too little room; nothing is written
     *     then
     */
    public static void write(Event event, ByteBuffer dst) {
        dst.put(serialize(event));
    }

    private static int fieldSize(byte[] name, int valueLength) {
        return name.length + (valueLength == 0 ? 0 : 1) + valueLength + 1;
    }

    private static int putField(byte[] out, int pos, byte[] name, byte[] value, int from, int length) {
        System.arraycopy(name, 0, out, pos, name.length);
        pos += name.length;
        if (length > 0) {
            out[pos++] = ' ';
            System.arraycopy(value, from, out, pos, length);
            pos += length;
        }
        out[pos++] = '\n';
        return pos;
    }

    /** Size of {@code value} written as one field per line; CRLF, LF and CR each end a line. */
    private static int multiLineSize(byte[] name, byte[] value) {
        int size = 0;
        int start = 0;
        for (int i = 0; i <= value.length; i++) {
            if (i == value.length || value[i] == '\n' || value[i] == '\r') {
                size += fieldSize(name, i - start);
                if (i < value.length && value[i] == '\r' && i + 1 < value.length && value[i + 1] == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        return size;
    }

    private static int putMultiLine(byte[] out, int pos, byte[] name, byte[] value) {
        int start = 0;
        for (int i = 0; i <= value.length; i++) {
            if (i == value.length || value[i] == '\n' || value[i] == '\r') {
                pos = putField(out, pos, name, value, start, i - start);
                if (i < value.length && value[i] == '\r' && i + 1 < value.length && value[i + 1] == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        return pos;
    }
}
