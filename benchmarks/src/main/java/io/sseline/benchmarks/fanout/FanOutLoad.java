package io.sseline.benchmarks.fanout;

import io.sseline.core.Event;
import io.sseline.core.EventParser;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load generator of the fan-out benchmark, the same for every server: reader threads, each with
 * one NIO selector, hold the subscriber connections (plain HTTP/1.1 {@code GET /events}, chunked or
 * not, spread evenly over the threads), each connection with its own sseline {@link EventParser}. It
 * opens the connections in batches, reads the server's idle footprint, then runs one phase after
 * another: it asks the server to publish a number of events at a rate and measures what arrives.
 * Last, it reads the server's footprint again ({@code server_end_}), now that every stream has
 * carried events.
 *
 * <!-- not compiled: a shell command, not Java -->
 * <pre>{@code
 * java -cp benchmarks.jar io.sseline.benchmarks.fanout.FanOutLoad --threads=2 8081 10000 \
 *     warmup:20@0 throughput:100@0 latency:30@1
 * }</pre>
 *
 * <p>Arguments: {@code --threads=T} (reader threads, default 2), {@code --settle=S} (a second idle
 * reading, {@code server_settled_}, after the connections were idle for S seconds more, so that every
 * server's heartbeats have been written; none by default), the port, the connections, then
 * the phases as {@code name:count@rate} ({@code rate} in events per second, {@code 0}: as fast as the
 * server goes). Each phase's events are numbered apart from the others', so an event is counted in
 * the phase that published it. Prints {@code key=value} lines, a phase's prefixed with its name:
 *
 * <ul>
 *   <li>delivered events per second: events parsed by all subscribers, divided by the time from the
 *       publish request to the last of them;
 *   <li>the delay from broadcast to parsed event (p50, p99, p99.9, max), and from the time the event
 *       was due by the schedule ({@link System#nanoTime()} carried in the event, the same monotonic
 *       clock in both processes on one machine);
 *   <li>CPU seconds the server process and this process used during the phase, and events per
 *       CPU-second for each; the machine's 1-minute load average at the start and the end.
 * </ul>
 *
 * <p>A phase ends when every event reached every open connection, when no connection is left, or
 * two minutes after its last event was due.
 */
public final class FanOutLoad {
    private static final int BATCH = 500;
    private static final Duration BATCH_DEADLINE = Duration.ofSeconds(30);
    private static final Duration DELIVERY_DEADLINE = Duration.ofMinutes(2);
    private static final Pattern PHASE = Pattern.compile("([a-z0-9_]+):(\\d+)@([0-9.]+)");
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** One phase: {@code count} events numbered from {@code first}, {@code rate} per second. */
    record Phase(String name, long first, int count, double rate) {
        boolean holds(long seq) {
            return seq >= first && seq < first + count;
        }
    }

    private final int port;
    private final List<Phase> phases;
    private final List<Reader> readers = new ArrayList<>();
    private final HttpClient control = HttpClient.newHttpClient();
    /**
     * How long the connections stay idle after the first idle reading before a second one ({@code
     * server_settled_}); zero for none. Longer than a server's heartbeat interval, it shows what an
     * idle stream holds once its heartbeats have been written.
     */
    private Duration settle = Duration.ZERO;

    private FanOutLoad(int port, List<Phase> phases, int threads) throws IOException {
        this.port = port;
        this.phases = phases;
        for (int i = 0; i < threads; i++) {
            readers.add(new Reader(i));
        }
    }

    /** Runs one measurement; see the type's description for the arguments. */
    public static void main(String[] args) throws Exception {
        int threads = 2;
        int settleSeconds = 0;
        int at = 0;
        for (; at < args.length && args[at].startsWith("--"); at++) {
            if (args[at].startsWith("--threads=")) {
                threads = Integer.parseInt(args[at].substring("--threads=".length()));
            } else if (args[at].startsWith("--settle=")) {
                settleSeconds = Integer.parseInt(args[at].substring("--settle=".length()));
            } else {
                threads = 0; // unknown option: print the usage
                break;
            }
        }
        if (args.length - at < 3 || threads < 1 || settleSeconds < 0) {
            System.err.println(
                    "usage: FanOutLoad [--threads=T] [--settle=S] <port> <connections> <name:count@rate>..."
                            + "\n  e.g. FanOutLoad --threads=2 --settle=20 8081 10000 warmup:20@0 throughput:100@0 latency:30@1");
            System.exit(2);
        }
        int port = Integer.parseInt(args[at]);
        int connections = Integer.parseInt(args[at + 1]);
        List<Phase> phases = phases(Arrays.asList(args).subList(at + 2, args.length));
        FanOutLoad load = new FanOutLoad(port, phases, threads);
        load.settle = Duration.ofSeconds(settleSeconds);
        load.run(connections);
    }

    /** The phases {@code name:count@rate}, in order, each numbered after the one before. */
    static List<Phase> phases(List<String> specs) {
        List<Phase> phases = new ArrayList<>();
        long first = 0;
        for (String spec : specs) {
            Matcher m = PHASE.matcher(spec);
            if (!m.matches()) {
                throw new IllegalArgumentException("phase " + spec + " is not name:count@rate, e.g. throughput:100@0");
            }
            Phase phase = new Phase(m.group(1), first, Integer.parseInt(m.group(2)), Double.parseDouble(m.group(3)));
            phases.add(phase);
            first += phase.count();
        }
        return phases;
    }

    /** Runs the measurement and prints it; {@link #main} with the arguments parsed. */
    static Map<String, String> run(int port, int connections, int threads, List<Phase> phases) throws Exception {
        return new FanOutLoad(port, phases, threads).run(connections);
    }

    private Map<String, String> run(int connectionCount) throws Exception {
        Map<String, String> results = new HashMap<>();
        for (Reader r : readers) {
            r.thread.start();
        }
        try {
            connect(connectionCount, results);
            awaitServerSubscribers();
            print(results, "reader_threads", readers.size());
            print(results, "load_java", System.getProperty("java.version"));
            for (Map.Entry<String, String> e : parse(stats(true)).entrySet()) {
                print(results, "server_idle_" + e.getKey(), e.getValue());
            }
            if (!settle.isZero()) {
                Thread.sleep(settle.toMillis()); // a benchmark's idle period, not a wait for a condition
                print(results, "settle_seconds", settle.toSeconds());
                for (Map.Entry<String, String> e : parse(stats(true)).entrySet()) {
                    print(results, "server_settled_" + e.getKey(), e.getValue());
                }
            }
            for (int i = 0; i < phases.size(); i++) {
                measure(i, results);
            }
            // Every stream has now carried events (and the containers' heartbeats): what it holds now
            // is what a stream in use holds while it waits for the next event.
            for (Map.Entry<String, String> e : parse(stats(true)).entrySet()) {
                print(results, "server_end_" + e.getKey(), e.getValue());
            }
        } finally {
            for (Reader r : readers) {
                r.stop();
            }
            for (Reader r : readers) {
                r.thread.join();
            }
        }
        return results;
    }

    private void connect(int connectionCount, Map<String, String> results) throws IOException {
        long start = System.nanoTime();
        int created = 0;
        while (created < connectionCount) {
            int batch = Math.min(BATCH, connectionCount - created);
            for (int i = 0; i < batch; i++, created++) {
                readers.get(created % readers.size()).add(new Connection(readers.get(created % readers.size())));
            }
            long deadline = System.nanoTime() + BATCH_DEADLINE.toNanos();
            while (openCount() + failedCount() < created && System.nanoTime() < deadline) {
                pause();
            }
        }
        print(results, "connections_requested", connectionCount);
        print(results, "connections_open", openCount());
        print(results, "connections_failed", failedCount());
        print(results, "connect_seconds", String.format(Locale.ROOT, "%.2f", (System.nanoTime() - start) / 1e9));
    }

    private void measure(int index, Map<String, String> results) throws IOException, InterruptedException {
        Phase phase = phases.get(index);
        String p = phase.name() + "_";
        int openAtStart = openCount();
        long expected = (long) phase.count() * openAtStart;
        double loadStart = ProcessStats.loadAverage();
        long serverCpuStart = serverCpuMillis();
        long cpuStart = OS.getProcessCpuTime();
        long publishStart = System.nanoTime();
        publish(phase);
        long lastDue = publishStart + (phase.rate() > 0 ? (long) (phase.count() / phase.rate() * 1e9) : 0);
        long deadline = lastDue + DELIVERY_DEADLINE.toNanos();
        while (delivered(index) < expected && System.nanoTime() < deadline && openCount() > 0) {
            pause();
        }
        long cpu = OS.getProcessCpuTime() - cpuStart;
        long serverCpu = serverCpuMillis() - serverCpuStart;
        double loadEnd = ProcessStats.loadAverage();

        long delivered = delivered(index);
        long lastDelivery = Long.MIN_VALUE;
        List<long[]> fromBroadcast = new ArrayList<>();
        List<long[]> fromSchedule = new ArrayList<>();
        for (Reader r : readers) {
            int n = r.recorded(index);
            lastDelivery = Math.max(lastDelivery, r.lastDelivery.get(index));
            fromBroadcast.add(Arrays.copyOf(r.latencies[index], n));
            fromSchedule.add(Arrays.copyOf(r.scheduleLatencies[index], n));
        }
        double seconds = delivered == 0 ? Double.NaN : (lastDelivery - publishStart) / 1e9;
        print(results, p + "events_expected", expected);
        print(results, p + "events_delivered", delivered);
        print(results, p + "connections_lost", openAtStart - openCount());
        print(results, p + "delivery_seconds", format("%.3f", seconds));
        print(results, p + "delivered_events_per_second", format("%.0f", delivered / seconds));
        print(results, p + "broadcasts_per_second_achieved", format("%.2f", phase.count() / seconds));
        long[] sorted = merge(fromBroadcast);
        print(results, p + "latency_p50_ms", millis(percentile(sorted, 0.50)));
        print(results, p + "latency_p99_ms", millis(percentile(sorted, 0.99)));
        print(results, p + "latency_p999_ms", millis(percentile(sorted, 0.999)));
        print(results, p + "latency_max_ms", millis(sorted.length == 0 ? -1 : sorted[sorted.length - 1]));
        long[] schedule = merge(fromSchedule);
        print(results, p + "latency_from_schedule_p50_ms", millis(percentile(schedule, 0.50)));
        print(results, p + "latency_from_schedule_p99_ms", millis(percentile(schedule, 0.99)));
        print(results, p + "server_cpu_seconds", format("%.3f", serverCpu / 1e3));
        print(results, p + "load_cpu_seconds", format("%.3f", cpu / 1e9));
        print(results, p + "server_events_per_cpu_second", format("%.0f", delivered / (serverCpu / 1e3)));
        print(results, p + "load_events_per_cpu_second", format("%.0f", delivered / (cpu / 1e9)));
        print(results, p + "loadavg_start", format("%.2f", loadStart));
        print(results, p + "loadavg_end", format("%.2f", loadEnd));
    }

    /** Asks the server to publish the phase's events; waits out a publisher that is still finishing. */
    private void publish(Phase phase) throws IOException, InterruptedException {
        URI uri = URI.create(base() + "/control/publish?count=" + phase.count() + "&rate=" + phase.rate() + "&first="
                + phase.first());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            HttpResponse<String> started = control.send(
                    HttpRequest.newBuilder(uri)
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (started.statusCode() == 202) {
                return;
            }
            if (started.statusCode() != 409 || System.nanoTime() > deadline) {
                throw new IllegalStateException("publish refused: " + started.statusCode() + " " + started.body());
            }
            pause(); // the last phase's publisher has sent everything but not yet ended
        }
    }

    /**
     * Waits (up to {@link #BATCH_DEADLINE}) until the server counts every open connection as a
     * subscriber: a connection counts as open here once its response headers arrive, which a server
     * may send before it has registered the stream.
     */
    private void awaitServerSubscribers() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + BATCH_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            String subscribers = parse(stats(false)).get("subscribers");
            if (subscribers == null || Integer.parseInt(subscribers) >= openCount()) {
                return;
            }
            pause();
        }
    }

    private long serverCpuMillis() throws IOException, InterruptedException {
        String cpu = parse(stats(false)).get("cpu_ms");
        return cpu == null ? -1 : Long.parseLong(cpu);
    }

    private String stats(boolean gc) throws IOException, InterruptedException {
        return control.send(
                        HttpRequest.newBuilder(URI.create(base() + "/control/stats" + (gc ? "" : "?gc=false")))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static Map<String, String> parse(String keyValueLines) {
        Map<String, String> values = new java.util.LinkedHashMap<>();
        for (String line : keyValueLines.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1).trim());
            }
        }
        return values;
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    private int openCount() {
        return readers.stream().mapToInt(r -> r.open.get()).sum();
    }

    private int failedCount() {
        return readers.stream().mapToInt(r -> r.failed.get()).sum();
    }

    private long delivered(int phase) {
        long sum = 0;
        for (Reader r : readers) {
            sum += r.counts.get(phase);
        }
        return sum;
    }

    /** The main thread polls the readers' counters; 20 ms is well below any phase's length. */
    private static void pause() throws java.io.InterruptedIOException {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
    }

    /**
     * One reader thread and its selector, with its share of the connections. Counters that the main
     * thread reads are atomics, written by this thread only; a phase's latencies are written before
     * its count, so the main thread sees every latency that the count covers.
     */
    private final class Reader implements Runnable {
        final Thread thread;
        final Selector selector;
        final ConcurrentLinkedQueue<Connection> toRegister = new ConcurrentLinkedQueue<>();
        final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
        final byte[] readArray = new byte[64 * 1024];
        final AtomicInteger open = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicLongArray counts = new AtomicLongArray(phases.size());
        final AtomicLongArray lastDelivery = new AtomicLongArray(phases.size());
        /** Per phase, from the start of each event's broadcast to its parsing here. */
        final long[][] latencies = new long[phases.size()][];
        /** Per phase, from the time each event was due by the schedule to its parsing here. */
        final long[][] scheduleLatencies = new long[phases.size()][];

        volatile boolean stopped;
        /** Connections given to this reader; sizes the latency arrays. */
        volatile int connections;

        Reader(int index) throws IOException {
            this.selector = Selector.open();
            this.thread = new Thread(this, "reader-" + index);
        }

        void add(Connection c) {
            connections = connections + 1; // only the main thread adds
            toRegister.add(c);
            selector.wakeup();
        }

        int recorded(int phase) {
            return (int) Math.min(counts.get(phase), latencies[phase] == null ? 0 : latencies[phase].length);
        }

        void stop() {
            stopped = true;
            selector.wakeup();
        }

        @Override
        public void run() {
            try {
                while (!stopped) {
                    Connection c;
                    while ((c = toRegister.poll()) != null) {
                        c.register(selector);
                    }
                    selector.select(100);
                    Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                    while (keys.hasNext()) {
                        SelectionKey key = keys.next();
                        keys.remove();
                        handle((Connection) key.attachment(), key);
                    }
                }
                for (SelectionKey key : selector.keys()) {
                    key.channel().close();
                }
                selector.close();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        private void handle(Connection c, SelectionKey key) {
            try {
                if (key.isConnectable()) {
                    c.channel.finishConnect();
                    c.channel.write(c.request);
                    key.interestOps(SelectionKey.OP_READ);
                } else if (key.isReadable()) {
                    c.read(readBuffer, readArray);
                }
            } catch (IOException | RuntimeException e) {
                c.fail();
            }
        }

        void record(Event event) {
            long now = System.nanoTime();
            String data = event.data();
            long seq = field(data, "\"seq\":");
            long sent = field(data, "\"sent\":");
            long due = field(data, "\"due\":");
            if (seq < 0 || sent < 0 || due < 0) {
                return;
            }
            for (int i = 0; i < phases.size(); i++) {
                if (phases.get(i).holds(seq)) {
                    if (latencies[i] == null) {
                        int capacity = (int) Math.min(
                                Integer.MAX_VALUE - 8, (long) phases.get(i).count() * connections);
                        latencies[i] = new long[capacity];
                        scheduleLatencies[i] = new long[capacity];
                    }
                    int n = (int) counts.get(i);
                    if (n < latencies[i].length) {
                        latencies[i][n] = now - sent;
                        scheduleLatencies[i][n] = now - due;
                    }
                    lastDelivery.lazySet(i, now);
                    counts.lazySet(i, n + 1);
                    return;
                }
            }
        }
    }

    private enum State {
        CONNECTING,
        BODY,
        FAILED
    }

    /** One subscriber: HTTP response head, then a chunked or plain body into its own parser. */
    private final class Connection {
        final Reader reader;
        final SocketChannel channel;
        final ByteBuffer request;
        final EventParser parser;
        State state = State.CONNECTING;
        final StringBuilder head = new StringBuilder();
        boolean chunked;
        /** Chunked decoding: bytes left in the current chunk, or -1 while reading a size line. */
        long chunkLeft = -1;

        long chunkSize;
        boolean inExtension;
        int crlfToSkip;

        Connection(Reader reader) throws IOException {
            this.reader = reader;
            this.parser = EventParser.create(reader::record);
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            request = StandardCharsets.US_ASCII.encode("GET /events HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n");
            channel.connect(new InetSocketAddress("127.0.0.1", port));
        }

        void register(Selector selector) {
            try {
                channel.register(selector, SelectionKey.OP_CONNECT, this);
            } catch (IOException e) {
                fail();
            }
        }

        void read(ByteBuffer readBuffer, byte[] readArray) throws IOException {
            readBuffer.clear();
            int n = channel.read(readBuffer);
            if (n < 0) {
                fail();
                return;
            }
            readBuffer.flip();
            readBuffer.get(readArray, 0, n);
            int pos = 0;
            if (state == State.CONNECTING) {
                while (pos < n && state == State.CONNECTING) {
                    head.append((char) (readArray[pos++] & 0xFF));
                    if (head.length() >= 4 && head.lastIndexOf("\r\n\r\n") == head.length() - 4) {
                        String text = head.toString();
                        if (!text.startsWith("HTTP/1.1 200")) {
                            throw new IOException("unexpected response: "
                                    + text.lines().findFirst().orElse(""));
                        }
                        chunked = text.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked");
                        state = State.BODY;
                        reader.open.incrementAndGet();
                    }
                }
            }
            if (state == State.BODY && pos < n) {
                body(readArray, pos, n);
            }
        }

        private void body(byte[] b, int pos, int end) throws IOException {
            if (!chunked) {
                parser.feed(b, pos, end - pos);
                return;
            }
            while (pos < end) {
                if (crlfToSkip > 0) {
                    pos++;
                    crlfToSkip--;
                } else if (chunkLeft < 0) {
                    byte c = b[pos++];
                    if (c == '\n') {
                        if (chunkSize == 0) {
                            throw new IOException("the server ended the stream");
                        }
                        chunkLeft = chunkSize;
                        chunkSize = 0;
                        inExtension = false;
                    } else if (c == ';') {
                        inExtension = true;
                    } else if (!inExtension && Character.digit(c, 16) >= 0) {
                        chunkSize = chunkSize * 16 + Character.digit(c, 16);
                    }
                } else {
                    int take = (int) Math.min(chunkLeft, end - pos);
                    parser.feed(b, pos, take);
                    pos += take;
                    chunkLeft -= take;
                    if (chunkLeft == 0) {
                        chunkLeft = -1;
                        crlfToSkip = 2;
                    }
                }
            }
        }

        void fail() {
            if (state != State.FAILED) {
                if (state == State.CONNECTING) {
                    reader.failed.incrementAndGet();
                } else {
                    reader.open.decrementAndGet();
                }
                state = State.FAILED;
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // Already counted as failed.
                }
            }
        }
    }

    /** The decimal number after {@code key} in {@code data}, or -1. */
    private static long field(String data, String key) {
        int at = data.indexOf(key);
        if (at < 0) {
            return -1;
        }
        long value = 0;
        for (int i = at + key.length(); i < data.length() && Character.isDigit(data.charAt(i)); i++) {
            value = value * 10 + (data.charAt(i) - '0');
        }
        return value;
    }

    private static long[] merge(List<long[]> parts) {
        long[] all = new long[parts.stream().mapToInt(a -> a.length).sum()];
        int pos = 0;
        for (long[] part : parts) {
            System.arraycopy(part, 0, all, pos, part.length);
            pos += part.length;
        }
        Arrays.sort(all);
        return all;
    }

    private static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static String millis(long nanos) {
        return format("%.2f", nanos / 1e6);
    }

    private static String format(String format, double value) {
        return String.format(Locale.ROOT, format, value);
    }

    private static void print(Map<String, String> results, String key, Object value) {
        results.put(key, String.valueOf(value));
        System.out.println(key + "=" + value);
    }
}
