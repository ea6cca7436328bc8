package io.sseline.benchmarks.fanout;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Serial;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The server process of the fan-out benchmark: embedded Jetty 12 (the same container and thread pool
 * for every library) on 127.0.0.1, with one library's subscribe endpoint at {@code GET /events} and a
 * control endpoint for the load generator:
 *
 * <ul>
 *   <li>{@code GET /control/stats}: subscribers, live JVM threads, process RSS, heap used after a
 *       full GC (none with {@code ?gc=false}) and the process's CPU time, as {@code key=value} lines
 *       ({@link ProcessStats});
 *   <li>{@code POST /control/publish?count=C&rate=R&first=F}: starts one publisher thread that
 *       broadcasts {@code C} chat events of about 150 bytes, {@code R} per second ({@code 0}: back to
 *       back), numbered from {@code F} ({@code 0} if absent). Each event's data carries its sequence
 *       number, the {@link System#nanoTime()} it was due by the
 *       schedule and the one at which its broadcast began, which the load generator on the same
 *       machine reads on the same monotonic clock. When a broadcast takes longer than the interval,
 *       the next starts late: "due" shows that backlog, "sent" does not.
 * </ul>
 *
 * <!-- not compiled: a shell command, not Java -->
 * <pre>{@code
 * java -cp benchmarks.jar io.sseline.benchmarks.fanout.FanOutServer sseline 8081
 * java -cp benchmarks.jar io.sseline.benchmarks.fanout.FanOutServer sseline 8081 h2c
 * }</pre>
 *
 * <p>With {@code h2c}, the connector also speaks cleartext HTTP/2 (prior knowledge and the HTTP/1.1
 * upgrade) with Jetty's default HTTP/2 settings: 128 concurrent streams per connection.
 *
 * <p>Libraries: {@code sseline} ({@link SselineBroadcaster}), {@code hub} ({@link HubBroadcaster}),
 * {@code jetty} ({@link JettyBroadcaster}), {@code spring} ({@link SpringBroadcaster}); and {@code
 * reference}, which runs {@link ReferenceServer} instead of Jetty (HTTP/1.1 only).
 */
public final class FanOutServer {
    private FanOutServer() {}

    /** Runs until killed. Arguments: library, port. */
    public static void main(String[] args) throws Exception {
        boolean h2c = args.length == 3 && args[2].equals("h2c");
        if (args.length != 2 && !h2c) {
            System.err.println("usage: FanOutServer reference|sseline|hub|jetty|spring <port> [h2c]");
            System.exit(2);
        }
        if (args[0].equals("reference")) {
            ReferenceServer reference = ReferenceServer.open(Integer.parseInt(args[1]));
            System.out.println("fan-out server (reference) on http://127.0.0.1:" + reference.port());
            reference.run();
            return;
        }
        Server server = start(args[0], Integer.parseInt(args[1]), h2c);
        System.out.println("fan-out server (" + args[0] + ") on http://127.0.0.1:" + port(server)
                + (h2c ? " (HTTP/1.1 and h2c)" : ""));
        server.join();
    }

    /**
     * Starts Jetty on 127.0.0.1:{@code port} ({@code 0}: any free port) with {@code library}'s
     * subscribe endpoint and the control endpoint; over HTTP/1.1, and h2c too if {@code h2c}.
     */
    static Server start(String library, int port, boolean h2c) throws Exception {
        Broadcaster broadcaster = switch (library) {
            case "sseline" -> new SselineBroadcaster();
            case "hub" -> new HubBroadcaster();
            case "jetty" -> new JettyBroadcaster();
            case "spring" -> new SpringBroadcaster();
            default ->
                throw new IllegalArgumentException(
                        "unknown library " + library + "; use reference, sseline, hub, jetty or spring");
        };
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        ServerConnector connector = h2c
                ? new ServerConnector(server, new HttpConnectionFactory(http), new HTTP2CServerConnectionFactory(http))
                : new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setAcceptQueueSize(4096);
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler("/");
        ServletHolder events = new ServletHolder("events", broadcaster.servlet());
        events.setAsyncSupported(true);
        events.setInitOrder(0);
        context.addServlet(events, broadcaster.mapping());
        context.addServlet(new ServletHolder("control", new ControlServlet(broadcaster)), "/control/*");
        server.setHandler(context);
        server.start();
        return server;
    }

    /** The port {@code server} listens on. */
    static int port(Server server) {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** Payload of about 150 bytes: sequence, send time and chat text. */
    static String payload(long seq, long dueNanos, long sentNanos) {
        String head = "{\"seq\":" + seq + ",\"due\":" + dueNanos + ",\"sent\":" + sentNanos
                + ",\"room\":\"general\",\"user\":\"alice\",\"text\":\"";
        StringBuilder data = new StringBuilder(160).append(head);
        while (data.length() < 148) {
            data.append("lorem ipsum ");
        }
        data.setLength(148);
        return data.append("\"}").toString();
    }

    private static final class ControlServlet extends HttpServlet {
        @Serial
        private static final long serialVersionUID = 1L;

        private final transient Broadcaster broadcaster;
        private final AtomicBoolean publishing = new AtomicBoolean();

        ControlServlet(Broadcaster broadcaster) {
            this.broadcaster = broadcaster;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            if (!"/stats".equals(request.getPathInfo())) {
                response.sendError(404);
                return;
            }
            String stats = ProcessStats.read(
                    broadcaster.subscribers(), publishing.get(), !"false".equals(request.getParameter("gc")));
            response.setContentType("text/plain;charset=utf-8");
            response.getWriter().print(stats);
        }

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            if (!"/publish".equals(request.getPathInfo())) {
                response.sendError(404);
                return;
            }
            int count = Integer.parseInt(request.getParameter("count"));
            double rate = Double.parseDouble(request.getParameter("rate"));
            String firstParameter = request.getParameter("first");
            long first = firstParameter == null ? 0 : Long.parseLong(firstParameter);
            if (!publishing.compareAndSet(false, true)) {
                response.sendError(409, "a publisher is still running");
                return;
            }
            Thread publisher = new Thread(() -> publish(first, count, rate), "publisher");
            publisher.start();
            response.setStatus(202);
        }

        private void publish(long first, int count, double rate) {
            try {
                long start = System.nanoTime();
                for (long seq = first; seq < first + count; seq++) {
                    long due = System.nanoTime();
                    if (rate > 0) {
                        due = start + (long) ((seq - first) * 1e9 / rate);
                        long wait;
                        while ((wait = due - System.nanoTime()) > 0) {
                            LockSupport.parkNanos(wait);
                        }
                    }
                    broadcaster.broadcast(Long.toString(seq), payload(seq, due, System.nanoTime()));
                }
            } finally {
                publishing.set(false);
            }
        }
    }
}
