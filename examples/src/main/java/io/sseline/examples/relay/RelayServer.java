package io.sseline.examples.relay;

import io.sseline.examples.cli.CommandLines;
import io.sseline.servlet.EventStreamConfig;
import io.sseline.servlet.EventStreams;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;

/**
 * The relay example: an embedded Jetty that serves a page ({@code GET /}) and the relay's event
 * stream ({@code GET /relay?prompt=...}, see {@link RelayServlet}), in front of an upstream that
 * streams completions over {@code POST}: a local {@link FakeLlm} unless one is named.
 *
 * <pre>{@code
 * try (RelayServer relay = RelayServer.start(0, null, "", Duration.ofMillis(30), EventStreamConfig.defaults())) {
 *     URI events = relay.uri("/relay?prompt=hello");
 * }
 * }</pre>
 */
public final class RelayServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;
    private final @Nullable FakeLlm llm;
    private final RelayServlet relay;

    private RelayServer(Server server, ServerConnector connector, @Nullable FakeLlm llm, RelayServlet relay) {
        this.server = server;
        this.connector = connector;
        this.llm = llm;
        this.relay = relay;
    }

    /**
     * Starts a relay on {@code port} of 127.0.0.1 (0 for a free one) to {@code upstream}, or to a new
     * fake model that pauses {@code tokenDelay} between tokens when {@code upstream} is null.
     */
    public static RelayServer start(
            int port, @Nullable URI upstream, String apiKey, Duration tokenDelay, EventStreamConfig config)
            throws Exception {
        return start(port, upstream, apiKey, tokenDelay, config, 0);
    }

    /** Like {@link #start}, with the sockets' send buffers (the relay's and the fake model's) set to {@code bytes}. */
    static RelayServer start(
            int port,
            @Nullable URI upstream,
            String apiKey,
            Duration tokenDelay,
            EventStreamConfig config,
            int sendBufferSize)
            throws Exception {
        FakeLlm llm = upstream == null ? FakeLlm.start(0, tokenDelay, sendBufferSize) : null;
        QueuedThreadPool threads = new QueuedThreadPool(32, 4);
        threads.setName("relay");
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        if (sendBufferSize > 0) {
            connector.setAcceptedSendBufferSize(sendBufferSize);
        }
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        RelayServlet relay = new RelayServlet(config, upstream != null ? upstream : llm.completionsUri(), apiKey);
        ServletHolder holder = new ServletHolder(relay);
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/relay");
        context.addServlet(new ServletHolder(new Page()), "/");
        server.setHandler(context);
        try {
            server.start();
        } catch (Exception e) {
            if (llm != null) {
                llm.close();
            }
            throw e;
        }
        return new RelayServer(server, connector, llm, relay);
    }

    /** The relay's URI for {@code path}, such as {@code /relay?prompt=hi}. */
    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + path);
    }

    /** The relay's port. */
    public int port() {
        return connector.getLocalPort();
    }

    /** The local fake model, or null when the relay was given an upstream. */
    @Nullable
    FakeLlm llm() {
        return llm;
    }

    /** The relay's event streams. */
    EventStreams streams() {
        return relay.eventStreams();
    }

    @Override
    public void close() throws IOException {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IOException("the relay's server did not stop", e);
        } finally {
            if (llm != null) {
                llm.close();
            }
        }
    }

    /** Starts the relay and runs until Ctrl+C; see {@code relay --help}. */
    public static void main(String[] args) throws InterruptedException {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        RelayOptions options = new RelayOptions();
        CountDownLatch stopped = new CountDownLatch(1);
        int code = CommandLines.execute(CommandLines.create(options), args, out, err, () -> {
            RelayServer relay = start(
                    options.port,
                    options.upstreamUri(),
                    options.apiKey,
                    options.tokenDelay(),
                    EventStreamConfig.defaults());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    relay.close();
                } catch (Exception e) {
                    err.println("relay: " + e);
                }
                stopped.countDown();
            }));
            out.println("relay on " + relay.uri("/") + " to "
                    + (relay.llm != null ? "a local fake model at " + relay.llm.completionsUri() : options.upstream));
            out.println("try: curl -N '" + relay.uri("/relay?prompt=hello") + "'");
            return -1;
        });
        if (code != -1) {
            System.exit(code);
        }
        stopped.await();
    }

    /** The page: a prompt, and the answer as it streams in through an EventSource. */
    private static final class Page extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private static final String HTML = """
                <!doctype html>
                <html lang="en">
                <meta charset="utf-8">
                <title>sseline relay</title>
                <form id="ask"><input id="prompt" value="Tell me about Server-Sent Events" size="50">
                <button>Ask</button></form>
                <p id="answer"></p>
                <script>
                let source;
                document.getElementById('ask').addEventListener('submit', e => {
                  e.preventDefault();
                  if (source) source.close();
                  const answer = document.getElementById('answer');
                  answer.textContent = '';
                  const prompt = document.getElementById('prompt').value;
                  source = new EventSource('relay?prompt=' + encodeURIComponent(prompt));
                  source.onmessage = m => {
                    if (m.data === '[DONE]') { source.close(); return; }   // else the browser reconnects
                    answer.textContent += JSON.parse(m.data).choices[0].delta.content;
                  };
                  source.addEventListener('error', m => {
                    if (m.data) { answer.textContent += ' [' + JSON.parse(m.data).error + ']'; source.close(); }
                  });
                });
                </script>
                </html>
                """;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            if (!request.getRequestURI().equals("/")) {
                response.sendError(HttpServletResponse.SC_NOT_FOUND);
                return;
            }
            response.setContentType("text/html;charset=utf-8");
            response.getWriter().write(HTML);
        }
    }
}
