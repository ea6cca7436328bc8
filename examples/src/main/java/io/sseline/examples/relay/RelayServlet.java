package io.sseline.examples.relay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sseline.client.EventBodyHandlers;
import io.sseline.core.Event;
import io.sseline.servlet.EventStream;
import io.sseline.servlet.EventStreamConfig;
import io.sseline.servlet.EventStreamServlet;
import io.sseline.servlet.EventStreams;
import io.sseline.servlet.FeedOptions;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import org.jspecify.annotations.Nullable;

/**
 * Relays a streamed completion to the browser: {@code GET /relay?prompt=...} opens an event stream,
 * sends the prompt upstream as a {@code POST}, and feeds the stream from the upstream's events as
 * they come ({@link EventBodyHandlers#ofPublisher()} into {@link EventStream#feed}).
 *
 * <pre>{@code
 * RelayServlet relay = new RelayServlet(EventStreamConfig.defaults(), llm.completionsUri(), "");
 * }</pre>
 *
 * <p>Back-pressure holds end to end: the stream asks for the next upstream event only while its
 * queue is below the low-water mark, the body publisher reads the upstream connection only when an
 * event is asked for, so a browser that stops reading stops the upstream read, and the upstream's
 * writes block. Cancellation too: when the browser goes away (or the server shuts down) the stream
 * closes, the feed cancels the body, and the client closes the upstream connection; before the
 * upstream has answered, the request itself is cancelled.
 *
 * <p>The upstream is reached over HTTP/1.1 on purpose: there TCP alone bounds what is in flight.
 * Over HTTP/2 the JDK client grants a stream a 16 MiB window, which it would buffer for a reader
 * that has stopped ({@code -Djdk.httpclient.windowsize} lowers it).
 */
public final class RelayServlet extends EventStreamServlet {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The client for every upstream request; never serialized, as the streams it feeds. */
    private final transient HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final URI upstream;
    private final String apiKey;

    /**
     * A relay whose streams use {@code config}, to the completions endpoint {@code upstream}, sending
     * {@code apiKey} as a bearer token unless it is empty.
     */
    public RelayServlet(EventStreamConfig config, URI upstream, String apiKey) {
        super(config);
        this.upstream = Objects.requireNonNull(upstream, "upstream");
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
    }

    @Override
    protected void onOpen(EventStream stream, HttpServletRequest request) {
        String prompt = Objects.requireNonNullElse(request.getParameter("prompt"), "Tell me about Server-Sent Events");
        long maxTokens = parseOr(request.getParameter("max_tokens"), FakeLlm.DEFAULT_TOKENS);
        HttpRequest.Builder post = HttpRequest.newBuilder(upstream)
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .header("Accept-Encoding", "identity")
                .POST(HttpRequest.BodyPublishers.ofString(body(prompt, maxTokens)));
        if (!apiKey.isEmpty()) {
            post.header("Authorization", "Bearer " + apiKey);
        }
        CompletableFuture<HttpResponse<Flow.Publisher<Event>>> exchange =
                client.sendAsync(post.build(), EventBodyHandlers.ofPublisher());
        stream.onClose((s, reason) -> exchange.cancel(true)); // before the upstream answered
        exchange.whenComplete((response, failure) -> {
            if (failure != null) {
                stream.close(errorEvent(
                        failure instanceof CompletionException && failure.getCause() != null
                                ? failure.getCause()
                                : failure));
                return;
            }
            stream.feed(response.body(), FeedOptions.defaults().withErrorEvent(RelayServlet::errorEvent));
        });
    }

    /** The relay's streams, for a test to see what each holds. */
    EventStreams eventStreams() {
        return streams();
    }

    /** What the browser is told when the upstream fails: an {@code error} event with the reason. */
    static Event errorEvent(Throwable failure) {
        ObjectNode error = JSON.createObjectNode().put("error", "the upstream failed: " + failure);
        return Event.of(error.toString()).withType("error");
    }

    private static String body(String prompt, long maxTokens) {
        ObjectNode body = JSON.createObjectNode().put("model", "fake").put("stream", true);
        body.putArray("messages").addObject().put("role", "user").put("content", prompt);
        body.put("max_tokens", maxTokens);
        return body.toString();
    }

    private static long parseOr(@Nullable String value, long fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return Math.max(0, Long.parseLong(value));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
