package io.sseline.testing;

import io.sseline.core.Event;
import io.sseline.core.EventCodec;
import io.sseline.core.EventParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLConnection;
import java.time.Duration;

/**
 * What the examples in sse-core's Javadoc and README take as given, so that {@link
 * CoreExamplesCompileTest} can compile them as written: each example is the body of a method of a
 * subclass. Public, since the examples compile outside the module's package, against its public API.
 */
public abstract class CoreExampleContext {
    protected OutputStream out = OutputStream.nullOutputStream();
    protected InputStream inputStream = new ByteArrayInputStream(new byte[0]);
    protected URLConnection connection = connection();
    protected EventParser.Listener listener = event -> {};
    protected EventParser parser = EventParser.create(listener);
    protected byte[] chunk = new byte[0];
    protected String lastEventId = "";
    protected Duration reconnectDelay = Duration.ZERO;
    protected Log log = new Log();
    protected EventCodec<ChatMessage> chatCodec = ChatMessage.CODEC;
    protected Event event = Event.of(chatCodec.encode(new ChatMessage("ada", "Hello!")));

    protected CoreExampleContext() {}

    protected void handle(Event event) {}

    protected void quarantine(Event event) {}

    /** A value that applications send as events; its codec is tab-separated, to need no library. */
    public record ChatMessage(String author, String text) {
        static final EventCodec<ChatMessage> CODEC =
                EventCodec.of(ChatMessage.class, m -> m.author() + "\t" + m.text(), data -> {
                    int tab = data.indexOf('\t');
                    if (tab < 0) {
                        throw new IllegalArgumentException("no tab between author and text");
                    }
                    return new ChatMessage(data.substring(0, tab), data.substring(tab + 1));
                });
    }

    /** A logger as applications have one. */
    public static final class Log {
        Log() {}

        public void warn(String message) {}
    }

    private static URLConnection connection() {
        try {
            return URI.create("http://localhost/events").toURL().openConnection();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
