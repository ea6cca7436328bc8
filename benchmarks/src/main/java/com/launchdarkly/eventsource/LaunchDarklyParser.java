package com.launchdarkly.eventsource;

import com.launchdarkly.logging.LDLogger;
import java.io.InputStream;
import java.net.URI;

/**
 * Opens okhttp-eventsource's own parser on an {@link InputStream}, configured exactly as its {@code
 * EventSource} configures it by default: a 1,000-byte read buffer, no data streaming, no expected
 * fields, no logging. The parser class is package-private in that library, so this bridge lives in
 * its package; the benchmarks then call the parser directly, without the connection handling around
 * it.
 *
 * <pre>{@code
 * LaunchDarklyParser parser = LaunchDarklyParser.open(new ByteArrayInputStream(bytes));
 * StreamEvent event = parser.nextEvent();   // MessageEvent, CommentEvent or SetRetryDelayEvent
 * }</pre>
 *
 * <p>Not thread-safe, like the parser it wraps. This package has no {@code package-info.java} here:
 * the package belongs to the library.
 */
public final class LaunchDarklyParser {
    private static final URI ORIGIN = URI.create("http://localhost/events");

    private final EventParser parser;

    private LaunchDarklyParser(InputStream in) {
        this.parser = new EventParser(
                in,
                ORIGIN,
                EventSource.DEFAULT_READ_BUFFER_SIZE,
                false,
                null,
                LDLogger.none(),
                ResponseHeadersImpl.empty());
    }

    /** Returns a parser that reads {@code in}. */
    public static LaunchDarklyParser open(InputStream in) {
        return new LaunchDarklyParser(in);
    }

    /**
     * Reads the next event, blocking as the library does.
     *
     * @throws StreamClosedByServerException at the end of the stream
     */
    public StreamEvent nextEvent() throws StreamException {
        return parser.nextEvent();
    }
}
