package io.sseline.testing;

import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.UpgradeProtocol;
import org.apache.coyote.http2.Http2Protocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The real servlet containers the tests run in: each starts one servlet on two ephemeral loopback
 * ports, {@link Running#port()} speaking HTTP/1.0, HTTP/1.1 and h2c (prior knowledge and upgrade),
 * {@link Running#tlsPort()} speaking h2 and HTTP/1.1 over TLS, chosen by ALPN.
 */
public enum Container {
    JETTY {
        @Override
        public Running start(HttpServlet servlet, boolean asyncSupported, Duration idleTimeout) throws Exception {
            Server server = new Server();
            HttpConfiguration config = new HttpConfiguration();
            ServerConnector connector = new ServerConnector(
                    server, new HttpConnectionFactory(config), new HTTP2CServerConnectionFactory(config));
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            server.addConnector(connector);
            ServerConnector tls = jettyTls(server, config);
            server.addConnector(tls);
            if (!idleTimeout.isZero()) {
                connector.setIdleTimeout(idleTimeout.toMillis());
                tls.setIdleTimeout(idleTimeout.toMillis());
            }
            ServletContextHandler context = new ServletContextHandler();
            context.setContextPath("/");
            ServletHolder holder = new ServletHolder(servlet);
            holder.setAsyncSupported(asyncSupported);
            context.addServlet(holder, PATH);
            server.setHandler(context);
            server.start();
            return new Running(connector.getLocalPort(), tls.getLocalPort(), server::stop);
        }
    },
    TOMCAT {
        @Override
        public Running start(HttpServlet servlet, boolean asyncSupported, Duration idleTimeout) throws Exception {
            Path base = Files.createTempDirectory("tomcat");
            Tomcat tomcat = new Tomcat();
            Context context = rootContext(tomcat, base);
            Connector connector = tomcat.getConnector();
            Connector tls = tomcatTls();
            tomcat.getService().addConnector(tls);
            if (!idleTimeout.isZero()) {
                for (Connector c : List.of(connector, tls)) {
                    for (UpgradeProtocol upgrade : c.findUpgradeProtocols()) {
                        ((Http2Protocol) upgrade).setStreamWriteTimeout(idleTimeout.toMillis());
                        ((Http2Protocol) upgrade).setWriteTimeout(idleTimeout.toMillis());
                    }
                }
            }
            Wrapper wrapper = Tomcat.addServlet(context, "events", servlet);
            wrapper.setAsyncSupported(asyncSupported);
            wrapper.addMapping(PATH);
            tomcat.start();
            return new Running(connector.getLocalPort(), tls.getLocalPort(), () -> {
                try {
                    tomcat.stop();
                    tomcat.destroy();
                } catch (LifecycleException e) {
                    throw new IllegalStateException(e);
                }
                deleteTree(base);
            });
        }
    };

    public static final String PATH = "/events";

    /**
     * Readies {@code tomcat} to listen on an ephemeral loopback port with {@code base} as its base
     * directory, and returns its root context; the caller adds servlets and starts it.
     */
    public static Context rootContext(Tomcat tomcat, Path base) {
        tomcat.setBaseDir(base.toString());
        Connector connector = new Connector();
        connector.setProperty("address", "127.0.0.1");
        connector.setPort(0);
        connector.addUpgradeProtocol(new Http2Protocol()); // h2c, by upgrade or prior knowledge
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", base.toString());
        // Leak detectors that need reflective access the test JVM does not grant; quiet them.
        ((StandardContext) context).setClearReferencesThreadLocals(false);
        ((StandardContext) context).setClearReferencesRmiTargets(false);
        return context;
    }

    /**
     * Starts {@code servlet}; {@code idleTimeout} is how long the container lets a connection (and an
     * HTTP/2 write) make no progress before it ends it, {@link Duration#ZERO} for its default.
     */
    public abstract Running start(HttpServlet servlet, boolean asyncSupported, Duration idleTimeout) throws Exception;

    public Running start(HttpServlet servlet, boolean asyncSupported) throws Exception {
        return start(servlet, asyncSupported, Duration.ZERO);
    }

    /** TLS, then ALPN choosing h2 or HTTP/1.1. */
    private static ServerConnector jettyTls(Server server, HttpConfiguration plain) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(TestCertificate.keyStore().toString());
        ssl.setKeyStorePassword(TestCertificate.PASSWORD);
        ssl.setKeyStoreType("PKCS12");
        HttpConfiguration config = new HttpConfiguration(plain);
        config.addCustomizer(new SecureRequestCustomizer(false));
        HttpConnectionFactory http11 = new HttpConnectionFactory(config);
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
        alpn.setDefaultProtocol(http11.getProtocol());
        ServerConnector tls = new ServerConnector(
                server,
                new SslConnectionFactory(ssl, alpn.getProtocol()),
                alpn,
                new HTTP2ServerConnectionFactory(config),
                http11);
        tls.setHost("127.0.0.1");
        tls.setPort(0);
        return tls;
    }

    /** A TLS connector on an ephemeral loopback port; ALPN chooses h2 or HTTP/1.1. */
    private static Connector tomcatTls() {
        Connector tls = new Connector();
        tls.setProperty("address", "127.0.0.1");
        tls.setPort(0);
        tls.setSecure(true);
        tls.setScheme("https");
        tls.setProperty("SSLEnabled", "true");
        SSLHostConfig host = new SSLHostConfig();
        SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(host, SSLHostConfigCertificate.Type.EC);
        certificate.setCertificateKeystoreFile(TestCertificate.keyStore().toString());
        certificate.setCertificateKeystorePassword(TestCertificate.PASSWORD);
        certificate.setCertificateKeystoreType("PKCS12");
        host.addCertificate(certificate);
        tls.addSslHostConfig(host);
        tls.addUpgradeProtocol(new Http2Protocol());
        return tls;
    }

    public Running start(HttpServlet servlet) throws Exception {
        return start(servlet, true);
    }

    public interface Stopper {
        void stop() throws Exception;
    }

    /** Every container with every protocol: the arguments of a test that runs in each. */
    public static Stream<Arguments> withEveryProtocol() {
        List<Arguments> cells = new ArrayList<>();
        for (Container container : values()) {
            for (Protocol protocol : Protocol.values()) {
                cells.add(Arguments.of(container, protocol));
            }
        }
        return cells.stream();
    }

    /** A started container; closing it stops the container. */
    public static final class Running implements AutoCloseable {
        private final int port;
        private final int tlsPort;
        private final Stopper stopper;

        Running(int port, int tlsPort, Stopper stopper) {
            this.port = port;
            this.tlsPort = tlsPort;
            this.stopper = stopper;
        }

        /** The plain port: HTTP/1.0, HTTP/1.1 and h2c. */
        public int port() {
            return port;
        }

        /** The TLS port: h2 and HTTP/1.1, chosen by ALPN. */
        public int tlsPort() {
            return tlsPort;
        }

        public URI uri() {
            return URI.create("http://127.0.0.1:" + port + PATH);
        }

        /** The servlet's URI with a query string. */
        public URI uri(String query) {
            return URI.create("http://127.0.0.1:" + port + PATH + "?" + query);
        }

        @Override
        public void close() {
            try {
                stopper.stop();
            } catch (Exception e) {
                throw new IllegalStateException("container did not stop", e);
            }
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
