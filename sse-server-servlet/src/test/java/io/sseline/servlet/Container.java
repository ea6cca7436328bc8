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
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** The real servlet containers the tests run in: each starts one servlet on an ephemeral port. */
enum Container {
    JETTY {
        @Override
        Running start(HttpServlet servlet, boolean asyncSupported) throws Exception {
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
        Running start(HttpServlet servlet, boolean asyncSupported) throws Exception {
            Path base = Files.createTempDirectory("tomcat");
            Tomcat tomcat = new Tomcat();
            tomcat.setBaseDir(base.toString());
            Connector connector = new Connector();
            connector.setProperty("address", "127.0.0.1");
            connector.setPort(0);
            tomcat.getService().addConnector(connector);
            tomcat.setConnector(connector);
            Context context = tomcat.addContext("", base.toString());
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

    static final String PATH = "/events";

    abstract Running start(HttpServlet servlet, boolean asyncSupported) throws Exception;

    Running start(HttpServlet servlet) throws Exception {
        return start(servlet, true);
    }

    interface Stopper {
        void stop() throws Exception;
    }

    /** A started container; closing it stops the container. */
    static final class Running implements AutoCloseable {
        private final int port;
        private final Stopper stopper;

        Running(int port, Stopper stopper) {
            this.port = port;
            this.stopper = stopper;
        }

        int port() {
            return port;
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + port + PATH);
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
