package io.sseline.examples.ssecat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A real Jetty server that answers each request with the next scripted response, and records what
 * each request carried.
 */
final class ScriptedServer implements AutoCloseable {
    /** One answer: status, content type, further headers and the whole body. */
    record Reply(int status, String contentType, Map<String, String> headers, String body) {}

    /** What a request carried. */
    record Received(String method, String path, Map<String, String> headers, String body) {}

    final BlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
    final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server);

    ScriptedServer() throws Exception {
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String body = Content.Source.asString(request, StandardCharsets.UTF_8);
                Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                request.getHeaders().forEach(field -> headers.put(field.getName(), field.getValue()));
                received.add(
                        new Received(request.getMethod(), request.getHttpURI().getPathQuery(), headers, body));
                Reply reply = replies.poll();
                if (reply == null) {
                    reply = new Reply(204, "text/plain", Map.of(), "");
                }
                response.setStatus(reply.status());
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
                reply.headers().forEach(response.getHeaders()::put);
                Content.Sink.write(response, true, reply.body(), callback);
                return true;
            }
        });
        server.start();
    }

    ScriptedServer reply(int status, String contentType, String body) {
        return reply(status, contentType, Map.of(), body);
    }

    ScriptedServer reply(int status, String contentType, Map<String, String> headers, String body) {
        replies.add(new Reply(status, contentType, headers, body));
        return this;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + path);
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the scripted server did not stop", e);
        }
    }
}
