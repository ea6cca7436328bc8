package io.sseline.benchmarks;

import com.launchdarkly.eventsource.LaunchDarklyParser;
import com.launchdarkly.eventsource.MessageEvent;
import com.launchdarkly.eventsource.StreamClosedByServerException;
import com.launchdarkly.eventsource.StreamEvent;
import com.launchdarkly.eventsource.StreamException;
import io.sseline.core.EventParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import okhttp3.sse.internal.ServerSentEventReader;
import okio.BufferedSource;
import okio.Okio;

/**
 * Reads a whole in-memory stream with each parser, each through the input type it is built for,
 * and passes every event to an {@link EventSink}. All three start from an {@link InputStream} over
 * the same bytes, standing in for a socket, so each pays the same copy out of "the network":
 *
 * <ul>
 *   <li>sseline: {@link EventParser#feed(byte[], int, int)} with each read of up to {@value
 *       #CHUNK_SIZE} bytes, as a socket or {@code HttpClient} delivers them;
 *   <li>okhttp-sse: its {@code ServerSentEventReader} on an Okio {@link BufferedSource} over the
 *       stream, as OkHttp reads a response body;
 *   <li>okhttp-eventsource: its parser on the stream with the library's default settings.
 * </ul>
 *
 * <pre>{@code
 * int events = ParserDrivers.okhttpSse(corpus.bytes(), (type, data, id) -> blackhole.consume(data));
 * }</pre>
 *
 * <p>Each call is a new stream with a new parser. Stateless and thread-safe.
 */
public final class ParserDrivers {
    /** The size of each read handed to sseline's parser. */
    public static final int CHUNK_SIZE = 8192;

    private ParserDrivers() {}

    /** Parses {@code stream} with sseline's {@link EventParser}; returns the number of events. */
    public static int sseline(byte[] stream, EventSink sink) {
        Counter counter = new Counter();
        EventParser parser = EventParser.create(event -> {
            counter.count++;
            sink.accept(event.type(), event.data(), event.id());
        });
        InputStream in = new ByteArrayInputStream(stream);
        byte[] chunk = new byte[CHUNK_SIZE];
        try {
            for (int n = in.read(chunk, 0, CHUNK_SIZE); n >= 0; n = in.read(chunk, 0, CHUNK_SIZE)) {
                parser.feed(chunk, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        parser.end();
        return counter.count;
    }

    /** Parses {@code stream} with okhttp-sse's {@code ServerSentEventReader}; returns the number of events. */
    public static int okhttpSse(byte[] stream, EventSink sink) {
        Counter counter = new Counter();
        BufferedSource source = Okio.buffer(Okio.source(new ByteArrayInputStream(stream)));
        ServerSentEventReader reader = new ServerSentEventReader(source, new ServerSentEventReader.Callback() {
            @Override
            public void onEvent(String id, String type, String data) {
                counter.count++;
                sink.accept(type, data, id);
            }

            @Override
            public void onRetryChange(long timeMs) {}
        });
        try {
            while (reader.processNextEvent()) {
                // Each call reads one event, or returns false at the end of the stream.
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return counter.count;
    }

    /**
     * Parses {@code stream} with okhttp-eventsource's parser, pulling events until it reports the end
     * of the stream as that library's {@code EventSource} does; returns the number of events.
     */
    public static int launchDarkly(byte[] stream, EventSink sink) {
        int count = 0;
        LaunchDarklyParser parser = LaunchDarklyParser.open(new ByteArrayInputStream(stream));
        while (true) {
            StreamEvent event;
            try {
                event = parser.nextEvent();
            } catch (StreamClosedByServerException end) {
                return count;
            } catch (StreamException e) {
                throw new IllegalStateException("okhttp-eventsource failed on an in-memory stream", e);
            }
            if (event instanceof MessageEvent message) {
                count++;
                sink.accept(message.getEventName(), message.getData(), message.getLastEventId());
            }
        }
    }

    private static final class Counter {
        int count;
    }
}
