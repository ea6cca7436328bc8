package io.sseline.examples.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A local stand-in for a language model's streaming API: {@code POST /v1/chat/completions} with a
 * JSON body ({@code {"messages":[{"role":"user","content":"..."}],"max_tokens":N}}) answers {@code
 * text/event-stream} with one {@code data: {"choices":[{"delta":{"content":"token"}}]}} event per
 * token, then {@code data: [DONE]}, as such APIs do.
 *
 * <pre>{@code
 * try (FakeLlm llm = FakeLlm.start(0, Duration.ofMillis(30))) {
 *     URI completions = llm.completionsUri();   // POST here
 * }
 * }</pre>
 *
 * <p>It writes each token with blocking I/O and a flush, so a reader that stops reading blocks its
 * writes; it counts what it wrote and notices a reader that went away, so that a test can see both
 * from the upstream's side.
 */
public final class FakeLlm implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] WORDS = ("Server-Sent Events keep one HTTP response open and send each event as a"
                    + " few lines of text; the browser reconnects by itself and says where it stopped with"
                    + " Last-Event-ID, so a relay that respects back-pressure can stream tokens from a model"
                    + " to thousands of readers without buffering more than they read. ")
            .split(" ");
    /** Tokens when the request names no {@code max_tokens}: the whole canned answer, once. */
    static final int DEFAULT_TOKENS = WORDS.length;

    private final Server server;
    private final ServerConnector connector;
    private final Duration tokenDelay;

    // Observations, for tests and the log; any thread.
    private final AtomicLong bytesWritten = new AtomicLong();
    private final AtomicInteger requests = new AtomicInteger();
    /** When the write under way began (System.nanoTime), or 0 when none is. */
    private final AtomicLong writeSince = new AtomicLong();
    /** The longest a single write has blocked, in nanoseconds. */
    private final AtomicLong longestWriteNanos = new AtomicLong();
    /** When a write last failed because the reader went away (System.nanoTime), or 0. */
    private final AtomicLong readerGoneAt = new AtomicLong();

    private FakeLlm(int port, Duration tokenDelay, int sendBufferSize) throws Exception {
        this.tokenDelay = tokenDelay;
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("fake-llm");
        threads.setDaemon(true);
        server = new Server(threads);
        connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        if (sendBufferSize > 0) {
            connector.setAcceptedSendBufferSize(sendBufferSize);
        }
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(new Completions()), "/v1/chat/completions");
        server.setHandler(context);
        server.start();
    }

    /**
     * Starts the server on {@code port} of 127.0.0.1 (0 for a free one), pausing {@code tokenDelay}
     * between tokens (zero: as fast as the reader reads).
     */
    public static FakeLlm start(int port, Duration tokenDelay) throws Exception {
        return new FakeLlm(port, tokenDelay, 0);
    }

    /** Like {@link #start}, with each connection's socket send buffer set to {@code bytes}. */
    static FakeLlm start(int port, Duration tokenDelay, int sendBufferSize) throws Exception {
        return new FakeLlm(port, tokenDelay, sendBufferSize);
    }

    /** Where completions are requested. */
    public URI completionsUri() {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/v1/chat/completions");
    }

    /** Bytes of events written to readers so far. */
    long bytesWritten() {
        return bytesWritten.get();
    }

    /** Requests answered or being answered. */
    int requests() {
        return requests.get();
    }

    /** How long the write under way has been blocked, or zero when none is under way. */
    Duration currentWriteBlocked() {
        long since = writeSince.get();
        return since == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - since);
    }

    /** The longest any one write has blocked. */
    Duration longestWrite() {
        return Duration.ofNanos(longestWriteNanos.get());
    }

    /** When a write failed because the reader went away (System.nanoTime), or 0 while none has. */
    long readerGoneAt() {
        return readerGoneAt.get();
    }

    @Override
    public void close() throws IOException {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IOException("the fake model's server did not stop", e);
        }
    }

    /** The streaming endpoint. */
    private final class Completions extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            requests.incrementAndGet();
            JsonNode body;
            try {
                body = JSON.readTree(request.getInputStream());
            } catch (IOException e) {
                response.sendError(HttpServletResponse.SC_BAD_REQUEST, "the body must be JSON");
                return;
            }
            long tokens = body.path("max_tokens").asLong(DEFAULT_TOKENS);
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType("text/event-stream;charset=utf-8");
            response.setHeader("Cache-Control", "no-cache");
            ServletOutputStream out = response.getOutputStream();
            try {
                for (long i = 0; i < tokens; i++) {
                    write(out, token(WORDS[(int) (i % WORDS.length)] + " "));
                    if (!tokenDelay.isZero()) {
                        TimeUnit.NANOSECONDS.sleep(tokenDelay.toNanos()); // the model's pace
                    }
                }
                write(out, "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            } catch (IOException gone) {
                readerGoneAt.compareAndSet(0, System.nanoTime());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void write(ServletOutputStream out, byte[] event) throws IOException {
            long start = System.nanoTime();
            writeSince.set(start);
            try {
                out.write(event);
                out.flush();
            } finally {
                writeSince.set(0);
                longestWriteNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
            }
            bytesWritten.addAndGet(event.length);
        }

        private byte[] token(String text) throws IOException {
            ObjectNode delta = JsonNodeFactory.instance.objectNode();
            delta.putArray("choices").addObject().putObject("delta").put("content", text);
            return ("data: " + JSON.writeValueAsString(delta) + "\n\n").getBytes(StandardCharsets.UTF_8);
        }
    }
}
