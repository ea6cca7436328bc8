package io.sseline.servlet;

import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** The real servlet containers the tests run in: each starts one servlet on an ephemeral port. */
public enum Container {
    JETTY {
        @Override
        public Running start(HttpServlet servlet, boolean asyncSupported) throws Exception {
            Server server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            server.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler();
            context.setContextPath("/");
            ServletHolder holder = new ServletHolder(servlet);
            holder.setAsyncSupported(asyncSupported);
            context.addServlet(holder, PATH);
            server.setHandler(context);
            server.start();
            return new Running(connector.getLocalPort(), server::stop);
        }
    },
    TOMCAT {
        @Override
        public Running start(HttpServlet servlet, boolean asyncSupported) throws Exception {
            Path base = Files.createTempDirectory("tomcat");
            Tomcat tomcat = new Tomcat();
            Context context = rootContext(tomcat, base);
            Connector connector = tomcat.getConnector();
            Wrapper wrapper = Tomcat.addServlet(context, "events", servlet);
            wrapper.setAsyncSupported(asyncSupported);
            wrapper.addMapping(PATH);
            tomcat.start();
            return new Running(connector.getLocalPort(), () -> {
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
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", base.toString());
        // Leak detectors that need reflective access the test JVM does not grant; quiet them.
        ((StandardContext) context).setClearReferencesThreadLocals(false);
        ((StandardContext) context).setClearReferencesRmiTargets(false);
        return context;
    }

    public abstract Running start(HttpServlet servlet, boolean asyncSupported) throws Exception;

    public Running start(HttpServlet servlet) throws Exception {
        return start(servlet, true);
    }

    public interface Stopper {
        void stop() throws Exception;
    }

    /** A started container; closing it stops the container. */
    public static final class Running implements AutoCloseable {
        private final int port;
        private final Stopper stopper;

        Running(int port, Stopper stopper) {
            this.port = port;
            this.stopper = stopper;
        }

        public int port() {
            return port;
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
