package io.sseline.examples.ssecat;

import io.sseline.client.EventBodyHandlers;
import io.sseline.client.EventSource;
import io.sseline.client.EventSourceListener;
import io.sseline.client.UnexpectedResponseException;
import io.sseline.core.Event;
import io.sseline.core.EventParser;
import io.sseline.core.EventStreamLimitException;
import io.sseline.examples.cli.CommandLines;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code sse-cat [options] URL}: prints the events of any Server-Sent Events feed. {@code sse-cat
 * --help} lists the options and exit codes; {@code sse-cat generate-completion} prints a bash and zsh
 * completion script.
 *
 * <!-- not compiled: a shell session, not Java -->
 * <pre>{@code
 * $ sse-cat --json --once 'http://localhost:8080/ping?count=2'
 * {"type":"ping","data":"1","id":"1"}
 * {"type":"ping","data":"2","id":"2"}
 * }</pre>
 *
 * <p>With {@code --once}, one request is read with {@link EventBodyHandlers} until the stream ends;
 * a redirect is reported, not followed, since the client would take every header to any origin.
 * Without it, an {@link EventSource} reconnects with backoff, sending {@code Last-Event-ID}, until the
 * process is interrupted or the server answers with an error that a browser would not retry either.
 * Events go to standard output (flushed after each); everything else goes to standard error.
 *
 * <p>{@link #run} may be called from any thread; each call is independent.
 */
public final class SseCat {
    /** The stream ended normally ({@code --once}), or the server answered {@code 204 No Content}. */
    public static final int EXIT_OK = 0;
    /** The stream failed while it was read: the connection dropped, or an event broke a limit. */
    public static final int EXIT_STREAM_FAILED = 1;
    /** The command line is wrong. */
    public static final int EXIT_USAGE = CommandLines.EXIT_USAGE;
    /** No connection could be made, or the server did not answer in time. */
    public static final int EXIT_CONNECTION_FAILED = 3;
    /** The server answered with an error status (or a redirect that was not followed). */
    public static final int EXIT_HTTP_ERROR = 4;
    /**
     * The server answered {@code 2xx} but not with {@code Content-Type: text/event-stream}, or with an
     * event stream in a content coding such as {@code gzip}.
     */
    public static final int EXIT_NOT_AN_EVENT_STREAM = 5;
    /** The wait was interrupted. */
    public static final int EXIT_INTERRUPTED = 130;

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private SseCat() {}

    /** Runs {@code sse-cat} and exits with its exit code. */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        int code = run(args, System.in, out, err);
        out.flush();
        System.exit(code);
    }

    /**
     * Runs {@code sse-cat} with the given arguments and streams, and returns its exit code. Blocks
     * until the stream ends (or, without {@code --once}, until the source gives up or the thread is
     * interrupted).
     */
    public static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) {
        Objects.requireNonNull(args, "args");
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        SseCatCommand command = new SseCatCommand(stdin);
        return CommandLines.execute(CommandLines.create(command), args, out, err, () -> {
            SseCatOptions options = command.options();
            EventFormat format = options.json() ? EventFormat.JSON : options.raw() ? EventFormat.RAW : EventFormat.TEXT;
            return options.once() ? once(options, format, out, err) : follow(options, format, out, err);
        });
    }

    private static int once(SseCatOptions options, EventFormat format, PrintStream out, PrintStream err) {
        // Not NORMAL: the client would send the -H headers, credentials too, to any origin a redirect
        // names. A redirect fails instead, with its Location in the message.
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        HttpRequest.Builder request = HttpRequest.newBuilder(options.uri())
                .header("Accept", "text/event-stream")
                .header("Accept-Encoding", "identity")
                .header("Cache-Control", "no-cache")
                .method(
                        options.method(),
                        options.body()
                                .map(HttpRequest.BodyPublishers::ofByteArray)
                                .orElse(HttpRequest.BodyPublishers.noBody()));
        if (!options.lastEventId().isEmpty()) {
            request.header("Last-Event-ID", options.lastEventId());
        }
        for (Map.Entry<String, String> header : options.headers()) {
            request.header(header.getKey(), header.getValue());
        }
        try {
            HttpResponse<Void> response = client.send(
                    request.build(),
                    EventBodyHandlers.fromListener(
                            EventParser.Limits.defaults(), options.lastEventId(), event -> print(format, event, out)));
            if (options.verbose()) {
                err.println("sse-cat: the stream ended (" + response.version() + " " + response.statusCode() + ")");
            }
            return EXIT_OK;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("sse-cat: interrupted");
            return EXIT_INTERRUPTED;
        } catch (IOException e) {
            return failure(options, e, err);
        } finally {
            out.flush();
        }
    }

    private static int follow(SseCatOptions options, EventFormat format, PrintStream out, PrintStream err) {
        EventSource.Builder builder = EventSource.builder(options.uri())
                .lastEventId(options.lastEventId())
                .method(
                        options.method(),
                        options.body()
                                .map(HttpRequest.BodyPublishers::ofByteArray)
                                .orElse(HttpRequest.BodyPublishers.noBody()));
        for (Map.Entry<String, String> header : options.headers()) {
            builder.header(header.getKey(), header.getValue());
        }
        CountDownLatch closed = new CountDownLatch(1);
        AtomicReference<Throwable> finalError = new AtomicReference<>();
        EventSource source = builder.build(new EventSourceListener() {
            @Override
            public void onOpen(EventSource source, HttpResponse.ResponseInfo response) {
                if (options.verbose()) {
                    err.println("sse-cat: connected to " + source.uri() + " (" + response.version() + ")");
                }
            }

            @Override
            public void onEvent(EventSource source, Event event) {
                print(format, event, out);
            }

            @Override
            public void onError(EventSource source, Throwable error, boolean willReconnect) {
                if (willReconnect) {
                    err.println("sse-cat: " + describe(error) + "; reconnecting"
                            + (source.lastEventId().isEmpty() ? "" : " after id " + source.lastEventId()));
                } else {
                    finalError.set(error);
                }
            }

            @Override
            public void onClosed(EventSource source) {
                closed.countDown();
            }
        });
        try {
            source.connect();
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            source.close();
            return EXIT_INTERRUPTED;
        } finally {
            out.flush();
        }
        Throwable error = finalError.get();
        return error == null ? EXIT_OK : failure(options, error, err);
    }

    private static void print(EventFormat format, Event event, PrintStream out) {
        out.println(format.format(event));
        out.flush();
    }

    /** Prints why the stream failed and returns the exit code for it. */
    private static int failure(SseCatOptions options, Throwable error, PrintStream err) {
        UnexpectedResponseException unexpected = find(error, UnexpectedResponseException.class);
        if (unexpected != null) {
            int status = unexpected.statusCode();
            if (status == 204) {
                return EXIT_OK; // the server has nothing (more) to say
            }
            if (status >= 200 && status < 300 && !unexpected.contentEncoding().isEmpty()) {
                err.println("sse-cat: " + options.uri() + " sent the event stream with Content-Encoding "
                        + unexpected.contentEncoding() + ", which sse-cat does not decode; make the server or"
                        + " proxy honour Accept-Encoding: identity");
                return EXIT_NOT_AN_EVENT_STREAM;
            }
            if (status >= 200 && status < 300) {
                err.println("sse-cat: " + options.uri() + " is not an event stream: status " + status + " with "
                        + (unexpected.contentType().isEmpty()
                                ? "no Content-Type"
                                : "Content-Type " + unexpected.contentType())
                        + "; expected Content-Type: text/event-stream");
                return EXIT_NOT_AN_EVENT_STREAM;
            }
            if (status >= 300 && status < 400 && options.once()) {
                err.println("sse-cat: " + options.uri() + " answered HTTP " + status
                        + unexpected
                                .headers()
                                .firstValue("Location")
                                .map(l -> ", a redirect to " + l)
                                .orElse("")
                        + ", which --once does not follow, so that -H headers go to no other origin; run without"
                        + " --once to follow it (-H headers then go along only to the same origin), or request"
                        + " the new URL");
                return EXIT_HTTP_ERROR;
            }
            err.println("sse-cat: " + options.uri() + " answered HTTP " + status
                    + (status >= 300 && status < 400 ? " (a redirect that was not followed)" : "")
                    + excerpt(unexpected.body()));
            return EXIT_HTTP_ERROR;
        }
        if (find(error, EventStreamLimitException.class) != null) {
            err.println("sse-cat: the stream broke a limit: "
                    + find(error, EventStreamLimitException.class).getMessage());
            return EXIT_STREAM_FAILED;
        }
        if (find(error, ConnectException.class) != null
                || find(error, HttpTimeoutException.class) != null
                || find(error, java.nio.channels.UnresolvedAddressException.class) != null
                || find(error, java.net.UnknownHostException.class) != null) {
            err.println("sse-cat: cannot connect to " + options.uri() + ": " + describe(error));
            return EXIT_CONNECTION_FAILED;
        }
        err.println("sse-cat: the stream from " + options.uri() + " failed: " + describe(error));
        return EXIT_STREAM_FAILED;
    }

    /** The start of an error body (with --once; an EventSource does not read it), on one line. */
    private static String excerpt(String body) {
        String line = body.strip().replaceAll("\\s+", " ");
        if (line.isEmpty()) {
            return "";
        }
        return ": " + (line.length() > 200 ? line.substring(0, 200) + "..." : line);
    }

    private static <T extends Throwable> T find(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    private static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root && root.getMessage() == null) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null || message.isEmpty() ? "" : " (" + message + ")");
    }
}
