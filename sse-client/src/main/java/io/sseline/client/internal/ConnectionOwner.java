package io.sseline.client.internal;

import io.sseline.core.EventStreamLimitException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a {@link Connection} needs from the event source that started it, and all it may touch: the
 * settings come separately, as an immutable {@link EventSourceConfig}. The first group may be called
 * on any thread; the second only in the source's callback sequence, which a connection enters
 * through {@link #inCallbackSequence}.
 */
interface ConnectionOwner {
    // Any thread.

    /** Runs {@code task} in the source's callback sequence, after what was queued before it. */
    void inCallbackSequence(Runnable task);

    /** Whether the source was closed; a closed source delivers nothing more. */
    boolean isClosed();

    /**
     * The {@code Last-Event-ID} value for a request to {@code uri} with {@code client}, or empty to
     * send none.
     */
    Optional<String> lastEventIdHeader(HttpClient client, URI uri);

    /** A response arrived over {@code version}; called before its status is judged. */
    void responded(HttpClient.Version version);

    // Callback sequence.

    /** The stream of {@code connection} is open: 200 with an event stream. */
    void opened(Connection connection, HttpResponse.ResponseInfo response);

    /**
     * Parses a chunk of the stream of {@code connection} and delivers its events.
     *
     * @throws EventStreamLimitException if the chunk breaks a parser limit; the connection then fails
     */
    void feed(Connection connection, List<ByteBuffer> buffers) throws EventStreamLimitException;

    /**
     * Whether the source wants the next chunk now; {@code false} holds the stream until the source
     * calls {@link Connection#pull()}.
     */
    boolean wantsBytes();

    /** The server answered 204 to {@code connection}: the source closes without an error. */
    void endedByServer(Connection connection);

    /**
     * {@code connection} failed or ended, once; the source decides what follows. {@code retryable} is
     * the protocol's verdict; {@code retryAfter} what a {@code Retry-After} header asked for.
     */
    void failed(Connection connection, Throwable error, boolean retryable, Optional<Duration> retryAfter);
}
