package io.sseline.client;

import io.sseline.client.internal.BlockingEventIterator;
import io.sseline.client.internal.DecodingIterator;
import io.sseline.client.internal.ListenerSubscriber;
import io.sseline.client.internal.PublisherSubscriber;
import io.sseline.client.internal.Responses;
import io.sseline.core.Event;
import io.sseline.core.EventCodec;
import io.sseline.core.EventDecodeException;
import io.sseline.core.EventParser;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscribers;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Body handlers that read one {@code text/event-stream} response with a plain {@link
 * java.net.http.HttpClient}, without reconnection: the natural API for a stream that answers one
 * request, such as the tokens of an LLM completion.
 *
 * <pre>{@code
 * HttpRequest request = HttpRequest.newBuilder(URI.create("https://api.example.com/v1/chat/completions"))
 *         .header("Authorization", "Bearer " + apiKey)
 *         .header("Content-Type", "application/json")
 *         .header("Accept-Encoding", "identity")
 *         .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"stream\":true,\"messages\":[...]}"))
 *         .build();
 * HttpResponse<Stream<Event>> response = client.send(request, EventBodyHandlers.ofStream());
 * try (Stream<Event> events = response.body()) {
 *     events.map(Event::data)
 *             .takeWhile(data -> !data.equals("[DONE]"))
 *             .forEach(chunk -> System.out.print(parseToken(chunk)));
 * }
 * }</pre>
 *
 * <p>With an {@link EventCodec}, {@link #ofStream(EventCodec, String)} gives the decoded data of the
 * events, up to an end marker such as {@code [DONE]}.
 *
 * <p>Three shapes are offered: {@link #fromListener(EventParser.Listener)} pushes events, comments and
 * {@code retry} values to a listener on the HTTP client's thread; {@link #ofStream()} gives a lazily
 * read, blocking {@link Stream}, like {@link HttpResponse.BodyHandlers#ofLines()}; {@link
 * #ofPublisher()} gives a {@link Flow.Publisher} that honours its subscriber's demand. In each, bytes
 * are requested from the connection only as fast as events are consumed, so a slow consumer slows the
 * server instead of filling memory, and the parser's limits bound what one event may take.
 *
 * <p>A response that is not {@code 200} with {@code Content-Type: text/event-stream} and no content
 * coding is not parsed (a {@code gzip} body, for instance, is refused rather than read as garbage;
 * send {@code Accept-Encoding: identity} with the request so that no server or proxy compresses it):
 * up to 8 KiB of its body are read, the rest is cancelled, and the body fails with {@link
 * UnexpectedResponseException}, which carries the status, headers and that start of the body, where
 * APIs explain the error ({@code HttpClient.send} wraps it in an {@link java.io.IOException} whose
 * cause it is; its URI is empty, as a body handler does not see the request). An
 * event that the stream ends in the middle of is discarded, as the specification requires. A stream
 * that exceeds a parser limit fails with {@link io.sseline.core.EventStreamLimitException}.
 *
 * <p><b>Redirects and credentials.</b> A body handler sees the response it is given; redirects are
 * the client's business. {@link java.net.http.HttpClient.Redirect#NORMAL} and {@code ALWAYS} send
 * the request again with every header it had, {@code Authorization}, cookies and API keys
 * included, to whatever origin the {@code Location} names. So send requests that carry credentials
 * with a client that does not follow redirects ({@link java.net.http.HttpClient.Redirect#NEVER}, the
 * JDK's default): a redirect then fails the body with {@link UnexpectedResponseException}, whose
 * {@link UnexpectedResponseException#headers() headers()} hold the {@code Location}; send the
 * request there yourself if that origin may have the credentials. {@link EventSource} follows
 * redirects itself and leaves credentials behind at another origin (see "Redirects" there); {@code
 * EventSource.builder(uri).maxReconnectAttempts(0)} reads one stream that way.
 *
 * <p>The handlers are immutable and thread-safe; each response gets its own parser.
 */
public final class EventBodyHandlers {
    /** How much of a response that is not an event stream is read into the exception. */
    private static final int ERROR_BODY_LIMIT = 8 * 1024;

    private EventBodyHandlers() {}

    /**
     * Returns a handler that feeds the body to {@code listener}, as {@link
     * HttpResponse.BodyHandlers#fromSubscriber} feeds a subscriber, and completes when the stream ends.
     * The listener runs on the HTTP client's thread, one call at a time; while it runs, no further
     * bytes are read. If it throws, the body is cancelled and fails with what it threw.
     *
     * <pre>{@code
     * client.sendAsync(request, EventBodyHandlers.fromListener(event -> append(event.data())))
     *         .thenRun(() -> System.out.println("done"));
     * }</pre>
     */
    public static BodyHandler<Void> fromListener(EventParser.Listener listener) {
        return fromListener(EventParser.Limits.defaults(), "", listener);
    }

    /**
     * Like {@link #fromListener(EventParser.Listener)}, with a parser of the given limits and initial
     * last event id for each response.
     *
     * @param lastEventId the id the stream resumes from, as the request's {@code Last-Event-ID} said;
     *     the id of the events before the server sends one. {@code ""} for none
     * @throws IllegalArgumentException if {@code lastEventId} contains CR, LF or NUL
     */
    public static BodyHandler<Void> fromListener(
            EventParser.Limits limits, String lastEventId, EventParser.Listener listener) {
        Objects.requireNonNull(limits, "limits");
        Event.checkId(lastEventId, "lastEventId");
        Objects.requireNonNull(listener, "listener");
        return info -> Responses.isEventStream(info)
                ? new ListenerSubscriber(EventParser.create(limits, lastEventId, listener))
                : Responses.failingWithBody(info, ERROR_BODY_LIMIT);
    }

    /**
     * Returns a handler whose body is a lazily read, sequential stream of the response's events. The
     * body is available as soon as the headers arrive; the stream's operations block until the next
     * event arrives. Close the stream to release the connection early. A failure of the connection
     * surfaces as an {@link java.io.UncheckedIOException} from the stream's operations.
     */
    public static BodyHandler<Stream<Event>> ofStream() {
        return ofStream(EventParser.Limits.defaults(), "");
    }

    /**
     * Like {@link #ofStream()}, with a parser of the given limits and initial last event id for each
     * response; see {@link #fromListener(EventParser.Limits, String, EventParser.Listener)}.
     */
    public static BodyHandler<Stream<Event>> ofStream(EventParser.Limits limits, String lastEventId) {
        Objects.requireNonNull(limits, "limits");
        Event.checkId(lastEventId, "lastEventId");
        return info -> Responses.isEventStream(info)
                ? BodySubscribers.mapping(new PublisherSubscriber(limits, lastEventId), BlockingEventIterator::stream)
                : Responses.failingWithBody(info, ERROR_BODY_LIMIT);
    }

    /**
     * Returns a handler whose body is a lazily read, sequential stream of the data of the response's
     * events, decoded by {@code codec}; otherwise as {@link #ofStream()}. See {@link
     * #ofStream(EventCodec, String)} for what happens to data that cannot be decoded.
     */
    public static <T> BodyHandler<Stream<T>> ofStream(EventCodec<T> codec) {
        Objects.requireNonNull(codec, "codec");
        return decodedStream(codec, null);
    }

    /**
     * Returns a handler whose body is a lazily read, sequential stream of the data of the response's
     * events, decoded by {@code codec}, that ends at the first event whose data is {@code endData}:
     * the marker with which LLM APIs end a completion, such as {@code [DONE]}. The marker is not
     * decoded, and reaching it releases the connection at once. Without the marker, the stream ends
     * with the response. Otherwise as {@link #ofStream()}.
     *
     * <pre>{@code
     * try (Stream<Chunk> chunks = client.send(request, EventBodyHandlers.ofStream(chunkCodec, "[DONE]")).body()) {
     *     chunks.map(Chunk::text).forEach(System.out::print);
     * }
     * }</pre>
     *
     * <p>An event whose data {@code codec} cannot decode makes the stream's operation throw an
     * {@link java.io.UncheckedIOException} whose cause is an {@link EventDecodeException}, which
     * carries the event as it arrived: nothing is skipped silently. The event is consumed and the
     * connection stays open, so a caller that reads with {@link Stream#iterator()} may catch it and
     * go on with the next value.
     */
    public static <T> BodyHandler<Stream<T>> ofStream(EventCodec<T> codec, String endData) {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(endData, "endData");
        return decodedStream(codec, endData);
    }

    private static <T> BodyHandler<Stream<T>> decodedStream(EventCodec<T> codec, @Nullable String endData) {
        EventParser.Limits limits = EventParser.Limits.defaults();
        return info -> Responses.isEventStream(info)
                ? BodySubscribers.mapping(
                        new PublisherSubscriber(limits, ""), events -> DecodingIterator.stream(events, codec, endData))
                : Responses.failingWithBody(info, ERROR_BODY_LIMIT);
    }

    /**
     * Returns a handler whose body is a publisher of the response's events, for one subscriber, which
     * receives events as it requests them; bytes are read from the connection only while it has
     * outstanding demand. Comments and {@code retry} values are not published. Cancelling the
     * subscription releases the connection.
     *
     * <pre>{@code
     * client.sendAsync(request, EventBodyHandlers.ofPublisher())
     *         .thenAccept(response -> response.body().subscribe(mySubscriber));
     * }</pre>
     */
    public static BodyHandler<Flow.Publisher<Event>> ofPublisher() {
        return ofPublisher(EventParser.Limits.defaults(), "");
    }

    /**
     * Like {@link #ofPublisher()}, with a parser of the given limits and initial last event id for
     * each response; see {@link #fromListener(EventParser.Limits, String, EventParser.Listener)}.
     */
    public static BodyHandler<Flow.Publisher<Event>> ofPublisher(EventParser.Limits limits, String lastEventId) {
        Objects.requireNonNull(limits, "limits");
        Event.checkId(lastEventId, "lastEventId");
        return info -> Responses.isEventStream(info)
                ? new PublisherSubscriber(limits, lastEventId)
                : Responses.failingWithBody(info, ERROR_BODY_LIMIT);
    }
}
