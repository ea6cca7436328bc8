package io.sseline.client;

import io.sseline.testing.TestCertificate;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** Jetty 12 with its default HTTP/2 settings (128 concurrent streams per connection). */
final class JettyStreamServer extends StreamServer {
    private final Server server = new Server();
    private final ServerConnector connector;

    JettyStreamServer(boolean tls) throws Exception {
        super(tls);
        HttpConfiguration config = new HttpConfiguration();
        if (tls) {
            config.addCustomizer(new SecureRequestCustomizer(false));
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStorePath(TestCertificate.keyStore().toString());
            ssl.setKeyStorePassword(TestCertificate.PASSWORD);
            ssl.setKeyStoreType("PKCS12");
            ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
            alpn.setDefaultProtocol("http/1.1");
            connector = new ServerConnector(
                    server,
                    new SslConnectionFactory(ssl, alpn.getProtocol()),
                    alpn,
                    new HTTP2ServerConnectionFactory(config),
                    new HttpConnectionFactory(config));
        } else {
            connector = new ServerConnector(
                    server, new HttpConnectionFactory(config), new HTTP2CServerConnectionFactory(config));
        }
        connector.setHost("127.0.0.1");
        connector.setIdleTimeout(120_000);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Map<String, List<String>> headers = new TreeMap<>();
                request.getHeaders()
                        .forEach(field -> headers.computeIfAbsent(
                                        field.getName().toLowerCase(Locale.ROOT), n -> new ArrayList<>())
                                .add(field.getValue()));
                Reply reply = received(headers);
                response.setStatus(reply.status());
                if (reply.status() == 200) {
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
                }
                reply.headers().forEach(response.getHeaders()::put);
                if (reply.end()) {
                    response.write(true, ByteBuffer.wrap(reply.body()), callback);
                } else {
                    response.write(false, ByteBuffer.wrap(reply.body()), Callback.NOOP); // held open
                }
                return true;
            }
        });
        server.start();
    }

    @Override
    int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IOException("Jetty did not stop", e);
        }
    }

    @Override
    public String toString() {
        return "Jetty " + (tls ? "h2" : "h2c");
    }
}
