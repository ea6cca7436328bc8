package io.sseline.benchmarks.codec;

import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sseline.core.Event;
import io.sseline.core.EventCodec;
import io.sseline.jackson.JacksonCodec;
import io.sseline.servlet.EventStream;
import io.sseline.servlet.EventStreams;
import io.sseline.servlet.hub.EventHub;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Serial;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The codec's cost on the hub. For each subscriber count N, a hub in embedded Jetty 12 holds N
 * streams, which a child process ({@link SubscriberLoad}) opens over HTTP/1.1 on loopback and
 * reads; the hub publishes chat messages (records of about 150 bytes of JSON) through a {@link
 * JacksonCodec} wrapped in a codec that counts its encodings and the time they take. Per publish it
 * reports the encodings, the time spent in the codec, and the whole server process's CPU time until
 * every subscriber has the event (the load runs in its own process, so none of it is counted).
 *
 * <!-- not compiled: a shell command, not Java -->
 * <pre>{@code
 * java -cp benchmarks.jar io.sseline.benchmarks.codec.HubCodecCost 1:2000,100:2000,10000:100
 * }</pre>
 *
 * <p>Argument: runs as {@code subscribers:publishes}, comma-separated; each measures its publishes
 * after as many for warm-up. Prints one {@code key=value} line per run. Ends by itself.
 */
public final class HubCodecCost {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** The value published: a chat message as the demo's. */
    public record ChatMessage(long seq, String room, String author, String text) {}

    private HubCodecCost() {}

    /** Runs the measurement; see the type's description for the arguments. */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: HubCodecCost <subscribers:publishes,...>, e.g. 1:2000,100:2000,10000:100");
            System.exit(2);
        }
        System.out.printf(
                Locale.ROOT,
                "# %s, %s %s, %d processors%n",
                Runtime.version(),
                System.getProperty("os.name"),
                System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "# one encode alone: %.2f us CPU%n", encodeAloneMicros());
        for (String run : args[0].split(",")) {
            String[] np = run.trim().split(":");
            measure(Integer.parseInt(np[0]), Integer.parseInt(np[1]));
        }
    }

    private static void measure(int subscribers, int publishes) throws Exception {
        CountingCodec<ChatMessage> codec =
                new CountingCodec<>(JacksonCodec.of(JsonMapper.builder().build(), ChatMessage.class));
        EventStreams streams = EventStreams.create();
        EventHub hub =
                EventHub.builder().maxEntries(Math.max(1000, 2 * publishes)).build();
        Server server = server(streams, hub);
        Process load = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        SubscriberLoad.class.getName(),
                        Integer.toString(((ServerConnector) server.getConnectors()[0]).getLocalPort()),
                        Integer.toString(subscribers))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try (PrintStream toLoad = new PrintStream(load.getOutputStream(), true, StandardCharsets.UTF_8);
                BufferedReader fromLoad =
                        new BufferedReader(new InputStreamReader(load.getInputStream(), StandardCharsets.UTF_8))) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (hub.subscriberCount("chat") < subscribers) {
                if (System.nanoTime() > deadline || !load.isAlive()) {
                    throw new IllegalStateException(
                            "only " + hub.subscriberCount("chat") + " of " + subscribers + " subscribed");
                }
                TimeUnit.MILLISECONDS.sleep(20); // a benchmark's wait for its load, not a test
            }
            publish(hub, codec, 0, publishes); // warm-up
            await(toLoad, fromLoad, (long) subscribers * publishes);

            long encodes = codec.encodes.sum();
            long codecTime = codec.nanos.sum();
            long cpu = OS.getProcessCpuTime();
            long start = System.nanoTime();
            publish(hub, codec, publishes, publishes);
            await(toLoad, fromLoad, 2L * subscribers * publishes);
            long wall = System.nanoTime() - start;
            double serverCpu = OS.getProcessCpuTime() - cpu;
            System.out.printf(
                    Locale.ROOT,
                    "subscribers=%d publishes=%d encodes_per_publish=%.3f codec_us_per_publish=%.2f"
                            + " server_cpu_us_per_publish=%.1f server_cpu_us_per_delivery=%.3f"
                            + " deliveries_per_s=%.0f slow_consumers=%d%n",
                    subscribers,
                    publishes,
                    (codec.encodes.sum() - encodes) / (double) publishes,
                    (codec.nanos.sum() - codecTime) / 1e3 / publishes,
                    serverCpu / 1e3 / publishes,
                    serverCpu / 1e3 / publishes / subscribers,
                    (double) subscribers * publishes / (wall / 1e9),
                    streams.slowConsumerCount());
        } finally {
            load.destroy();
            load.waitFor(10, TimeUnit.SECONDS);
            streams.shutdown();
            hub.close();
            server.stop();
        }
    }

    private static void publish(EventHub hub, EventCodec<ChatMessage> codec, int first, int count) {
        for (int seq = first; seq < first + count; seq++) {
            ChatMessage message = new ChatMessage(seq, "general", "alice", "lorem ipsum dolor sit amet ".repeat(3));
            hub.publish("chat", Event.of(message, codec).withType("chat"))
                    .toCompletableFuture()
                    .join();
        }
    }

    /** Asks the load to report when it has read {@code deliveries} events in all, and waits for it. */
    private static void await(PrintStream toLoad, BufferedReader fromLoad, long deliveries) throws IOException {
        toLoad.println(deliveries);
        String reply = fromLoad.readLine();
        if (!"done".equals(reply)) {
            throw new IllegalStateException("the load answered " + reply + " instead of done");
        }
    }

    private static Server server(EventStreams streams, EventHub hub) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.setAcceptQueueSize(4096);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        ServletHolder events = new ServletHolder(new HttpServlet() {
            @Serial
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                EventStream stream = streams.open(request, response);
                if (stream.isOpen()) {
                    hub.subscribe(stream, List.of("chat"));
                }
            }
        });
        events.setAsyncSupported(true);
        context.addServlet(events, "/events");
        server.setHandler(context);
        server.start();
        return server;
    }

    /** The CPU time of one encoding, measured over many in a row, without the hub. */
    private static double encodeAloneMicros() {
        EventCodec<ChatMessage> codec = JacksonCodec.of(JsonMapper.builder().build(), ChatMessage.class);
        List<String> sink = new ArrayList<>(1);
        int rounds = 200_000;
        long cpu = 0;
        for (int pass = 0; pass < 2; pass++) { // the first pass warms up
            long before = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < rounds; i++) {
                sink.clear();
                sink.add(codec.encode(new ChatMessage(i, "general", "alice", "lorem ipsum dolor sit amet ".repeat(3))));
            }
            cpu = THREADS.getCurrentThreadCpuTime() - before;
        }
        return cpu / 1e3 / rounds;
    }

    /**
     * Counts the encodings of the codec it wraps and the time they take (elapsed, which on the one
     * publishing thread is CPU time unless the thread is descheduled; reading the thread's CPU clock
     * would cost more than the encoding).
     */
    static final class CountingCodec<T> implements EventCodec<T> {
        final LongAdder encodes = new LongAdder();
        final LongAdder nanos = new LongAdder();
        private final EventCodec<T> codec;

        CountingCodec(EventCodec<T> codec) {
            this.codec = codec;
        }

        @Override
        public Type type() {
            return codec.type();
        }

        @Override
        public String encode(T value) {
            long before = System.nanoTime();
            String data = codec.encode(value);
            nanos.add(System.nanoTime() - before);
            encodes.increment();
            return data;
        }

        @Override
        public T decode(String data) {
            return codec.decode(data);
        }
    }
}
