package io.sseline.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.FutureCallback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * An embedded Jetty 12 server that speaks HTTP/1.1 and cleartext HTTP/2 (by upgrade or prior
 * knowledge) on one port. Each request becomes an {@link Exchange} that the test drives, unless an
 * automatic responder is set.
 */
final class JettyServer implements AutoCloseable {
    /** Answers a request without the test thread's help. */
    interface Responder {
        void respond(Exchange exchange) throws Exception;
    }

    private final Server server;
    private final ServerConnector connector;
    private final BlockingQueue<Exchange> exchanges = new LinkedBlockingQueue<>();
    private volatile Responder responder;

    JettyServer(int threads) throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool(threads, threads);
        pool.setName("jetty");
        pool.setDaemon(true);
        server = new Server(pool);
        HttpConfiguration config = new HttpConfiguration();
        HTTP2CServerConnectionFactory h2c = new HTTP2CServerConnectionFactory(config);
        h2c.setMaxConcurrentStreams(2000);
        connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(config), h2c);
        connector.setHost("127.0.0.1");
        connector.setIdleTimeout(120_000);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                Exchange exchange = new Exchange(request, response, callback);
                Responder r = responder;
                if (r != null) {
                    r.respond(exchange);
                } else {
                    exchanges.add(exchange);
                }
                return true;
            }
        });
        server.start();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + path);
    }

    void respondWith(Responder responder) {
        this.responder = responder;
    }

    /** Waits for the next request. */
    Exchange accept() throws InterruptedException {
        Exchange exchange = exchanges.poll(10, TimeUnit.SECONDS);
        assertThat(exchange).as("a request within 10 s").isNotNull();
        return exchange;
    }

    @Override
    public void close() throws java.io.IOException {
        try {
            server.stop();
        } catch (Exception e) {
            throw new java.io.IOException("Jetty did not stop", e);
        }
    }

    /** One request and its response. */
    static final class Exchange {
        final Request request;
        final Response response;
        final Callback callback;

        Exchange(Request request, Response response, Callback callback) {
            this.request = request;
            this.response = response;
            this.callback = callback;
        }

        String header(String name) {
            return request.getHeaders().get(name);
        }

        String connectionId() {
            return request.getConnectionMetaData().getId();
        }

        String httpVersion() {
            return request.getConnectionMetaData().getHttpVersion().asString();
        }

        /** Sets the status and headers of an event stream; they go out with the first write. */
        Exchange streamHead() {
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
            return this;
        }

        /** Writes and flushes {@code text}, waiting until Jetty has written it. */
        Exchange write(String text) throws Exception {
            FutureCallback written = new FutureCallback();
            response.write(false, ByteBuffer.wrap(text.getBytes(UTF_8)), written);
            written.get(10, TimeUnit.SECONDS);
            return this;
        }

        /** Writes without waiting; the returned callback completes when Jetty has written it. */
        FutureCallback writeAsync(String text) {
            FutureCallback written = new FutureCallback();
            response.write(false, ByteBuffer.wrap(text.getBytes(UTF_8)), written);
            return written;
        }

        /** Whether a write completes within {@code patience}; false means the client is not reading. */
        static boolean completesWithin(FutureCallback write, Duration patience) throws Exception {
            try {
                write.get(patience.toMillis(), TimeUnit.MILLISECONDS);
                return true;
            } catch (TimeoutException stalled) {
                return false;
            }
        }

        /** Sends a complete response with the given status and no body. */
        void respond(int status) {
            response.setStatus(status);
            callback.succeeded();
        }

        /** Ends the response normally. */
        void end() {
            response.write(true, null, callback);
        }

        /**
         * Writes heartbeat comments until a write fails, which shows that the client closed the stream
         * (HTTP/1.1 closes the connection, HTTP/2 resets the stream). Fails after 10 s.
         */
        void awaitClientClose() {
            await("the client to close the stream")
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> {
                        try {
                            writeAsync(": ping\n").get(10, TimeUnit.SECONDS);
                            return false;
                        } catch (ExecutionException closed) {
                            return true;
                        }
                    });
        }
    }
}
