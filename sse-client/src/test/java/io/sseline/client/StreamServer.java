package io.sseline.client;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * A real HTTP/2 server (Jetty 12 or Tomcat 11 with its default HTTP/2 settings, over TLS or
 * cleartext) that answers each request as its {@link Reply} function says; by default with a stream
 * head and one event, {@code data: hello}, holding the stream open. It records each request's headers.
 */
abstract class StreamServer implements AutoCloseable {
    /** The kinds of server the tests run against. */
    enum Kind {
        JETTY_H2C(JettyStreamServer::new, false),
        JETTY_H2(JettyStreamServer::new, true),
        TOMCAT_H2C(TomcatStreamServer::new, false),
        TOMCAT_H2(TomcatStreamServer::new, true);

        private final Factory factory;
        final boolean tls;

        Kind(Factory factory, boolean tls) {
            this.factory = factory;
            this.tls = tls;
        }

        StreamServer start() throws Exception {
            return factory.start(tls);
        }

        /** How a server of this kind is made. */
        @FunctionalInterface
        interface Factory {
            StreamServer start(boolean tls) throws Exception;
        }
    }

    final boolean tls;
    private final ConcurrentLinkedQueue<Map<String, List<String>>> requests = new ConcurrentLinkedQueue<>();
    private volatile Function<Map<String, List<String>>, Reply> replies = headers -> Reply.HELLO;

    StreamServer(boolean tls) {
        this.tls = tls;
    }

    /** The port the server listens on, on 127.0.0.1. */
    abstract int port();

    final URI uri(String path) {
        return URI.create((tls ? "https" : "http") + "://127.0.0.1:" + port() + path);
    }

    /** Records a request's headers and returns what to answer. */
    final Reply received(Map<String, List<String>> headers) {
        requests.add(headers);
        return replies.apply(headers);
    }

    /**
     * The headers of every request so far, in arrival order, names in lower case, values one
     * character per byte as the server decoded them (ISO-8859-1).
     */
    final ConcurrentLinkedQueue<Map<String, List<String>>> requests() {
        return requests;
    }

    /**
     * What the server answers to a request: a status, further headers, a body, and whether the body
     * ends there.
     */
    record Reply(int status, Map<String, String> headers, byte[] body, boolean end) {
        static final Reply HELLO = new Reply(200, Map.of(), "data: hello\n\n".getBytes(StandardCharsets.UTF_8), false);

        Reply(int status, byte[] body, boolean end) {
            this(status, Map.of(), body, end);
        }
    }

    /** Sets how the server answers each request, from its headers; tests set it before connecting. */
    final void replyWith(Function<Map<String, List<String>>, Reply> replies) {
        this.replies = replies;
    }

    @Override
    public abstract void close() throws IOException;
}
