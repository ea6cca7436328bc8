package io.sseline.client;

import io.sseline.core.Event;
import io.sseline.core.EventCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.concurrent.Flow;
import javax.net.ssl.SSLContext;

/**
 * What the examples in this module's Javadoc and README take as given, so that {@link
 * ExamplesCompileTest} can compile them as written: each example is the body of a method of a
 * subclass. Public, since the examples compile outside the module's package, against its public API.
 * Nothing here runs; {@link DocumentationExamplesTest} runs the examples.
 */
public abstract class ExampleContext {
    protected URI uri = URI.create("https://example.com/events");
    protected String token = "t";
    protected String apiKey = "k";
    protected String body = "{}";
    protected Tokens tokens = new Tokens();
    protected HttpClient client = HttpClient.newHttpClient();
    protected HttpClient sharedClient = client;
    protected SSLContext sslContext = client.sslContext();
    protected HttpRequest request = HttpRequest.newBuilder(uri).build();
    protected EventSourceListener listener = new EventSourceListener() {};
    protected EventSource.Builder builder = EventSource.builder(uri);
    protected EventSource source = builder.build(listener);
    protected Flow.Subscriber<Event> mySubscriber = new Flow.Subscriber<>() {
        @Override
        public void onSubscribe(Flow.Subscription subscription) {}

        @Override
        public void onNext(Event item) {}

        @Override
        public void onError(Throwable throwable) {}

        @Override
        public void onComplete() {}
    };

    protected EventCodec<ChatMessage> chatCodec = ChatMessage.CODEC;
    protected EventCodec<Chunk> chunkCodec = Chunk.CODEC;

    protected ExampleContext() {}

    /** A value that servers send as a chat event; {@link #CODEC} reads {@code author<TAB>text}. */
    public record ChatMessage(String author, String text) {
        public static final EventCodec<ChatMessage> CODEC =
                EventCodec.of(ChatMessage.class, m -> m.author() + "\t" + m.text(), data -> {
                    String[] parts = data.split("\t", 2);
                    if (parts.length != 2) {
                        throw new IllegalArgumentException("no tab between author and text");
                    }
                    return new ChatMessage(parts[0], parts[1]);
                });
    }

    /** A piece of an LLM completion; its data is the text itself. */
    public record Chunk(String text) {
        public static final EventCodec<Chunk> CODEC = EventCodec.of(Chunk.class, Chunk::text, Chunk::new);
    }

    protected String parseToken(String chunk) {
        return chunk;
    }

    protected void append(String text) {}

    protected void show(String text) {}

    protected void refreshToken() {}

    /** Where an application keeps its access token. */
    public static final class Tokens {
        Tokens() {}

        public String current() {
            return "t";
        }

        /** Runs {@code action} after each refresh of the token. */
        public void onRefresh(Runnable action) {}
    }
}
