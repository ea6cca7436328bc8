package io.sseline.benchmarks.fanout;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Serial;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
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
 *   <li>{@code GET /control/stats}: subscribers, live JVM threads, process RSS and heap used after a
 *       full GC, as {@code key=value} lines;
 *   <li>{@code POST /control/publish?count=C&rate=R}: starts one publisher thread that broadcasts
 *       {@code C} chat events of about 150 bytes, {@code R} per second ({@code 0}: back to back). Each
 *       event's data carries its sequence number, the {@link System#nanoTime()} it was due by the
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
 * <p>Libraries: {@code sseline} ({@link SselineBroadcaster}), {@code jetty} ({@link
 * JettyBroadcaster}), {@code spring} ({@link SpringBroadcaster}).
 */
public final class FanOutServer {
    private FanOutServer() {}

    /** Runs until killed. Arguments: library, port. */
    public static void main(String[] args) throws Exception {
        if (args.length != 2 && !(args.length == 3 && args[2].equals("h2c"))) {
            System.err.println("usage: FanOutServer sseline|jetty|spring <port> [h2c]");
            System.exit(2);
        }
        Broadcaster broadcaster = switch (args[0]) {
            case "sseline" -> new SselineBroadcaster();
            case "jetty" -> new JettyBroadcaster();
            case "spring" -> new SpringBroadcaster();
            default ->
                throw new IllegalArgumentException("unknown library " + args[0] + "; use sseline, jetty or spring");
        };
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        ServerConnector connector = args.length == 3
                ? new ServerConnector(server, new HttpConnectionFactory(http), new HTTP2CServerConnectionFactory(http))
                : new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(Integer.parseInt(args[1]));
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
        System.out.println("fan-out server (" + args[0] + ") on http://127.0.0.1:" + connector.getLocalPort()
                + (args.length == 3 ? " (HTTP/1.1 and h2c)" : ""));
        server.join();
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
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            response.setContentType("text/plain;charset=utf-8");
            response.getWriter()
                    .printf(
                            Locale.ROOT,
                            "subscribers=%d%nthreads=%d%nrss_kib=%d%nheap_used_kib=%d%npublishing=%b%n",
                            broadcaster.subscribers(),
                            ManagementFactory.getThreadMXBean().getThreadCount(),
                            rssKib(),
                            heap / 1024,
                            publishing.get());
        }

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            if (!"/publish".equals(request.getPathInfo())) {
                response.sendError(404);
                return;
            }
            int count = Integer.parseInt(request.getParameter("count"));
            double rate = Double.parseDouble(request.getParameter("rate"));
            if (!publishing.compareAndSet(false, true)) {
                response.sendError(409, "a publisher is still running");
                return;
            }
            Thread publisher = new Thread(() -> publish(count, rate), "publisher");
            publisher.start();
            response.setStatus(202);
        }

        private void publish(int count, double rate) {
            try {
                long start = System.nanoTime();
                for (int seq = 0; seq < count; seq++) {
                    long due = System.nanoTime();
                    if (rate > 0) {
                        due = start + (long) (seq * 1e9 / rate);
                        long wait;
                        while ((wait = due - System.nanoTime()) > 0) {
                            LockSupport.parkNanos(wait);
                        }
                    }
                    broadcaster.broadcast(Integer.toString(seq), payload(seq, due, System.nanoTime()));
                }
            } finally {
                publishing.set(false);
            }
        }

        private static long rssKib() throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return -1;
        }
    }
}
