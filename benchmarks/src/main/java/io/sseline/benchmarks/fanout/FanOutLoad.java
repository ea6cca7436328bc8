package io.sseline.benchmarks.fanout;

import io.sseline.core.Event;
import io.sseline.core.EventParser;
import java.io.IOException;
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
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * The load generator of the fan-out benchmark, the same for every server: one thread and one NIO
 * selector hold all subscriber connections (plain HTTP/1.1 {@code GET /events}, chunked or not), each
 * with its own sseline {@link EventParser}. It opens the connections in batches, reads the server's
 * idle footprint, asks it to publish, and measures what arrives: delivered events per second and the
 * delay from broadcast to parsed event ({@link System#nanoTime()} carried in the event, the same
 * monotonic clock in both processes on one machine).
 *
 * <!-- not compiled: a shell command, not Java -->
 * <pre>{@code
 * java -cp benchmarks.jar io.sseline.benchmarks.fanout.FanOutLoad 8081 10000 300 10
 * }</pre>
 *
 * <p>Arguments: port, connections, events to publish, events per second ({@code 0}: as fast as the
 * server goes). Prints {@code key=value} lines. Single-threaded; ends by itself after at most two
 * minutes of publishing.
 */
public final class FanOutLoad {
    private static final int BATCH = 500;
    private static final Duration BATCH_DEADLINE = Duration.ofSeconds(30);
    private static final Duration DELIVERY_DEADLINE = Duration.ofMinutes(2);

    private final int port;
    private final Selector selector;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
    private final byte[] readArray = new byte[64 * 1024];
    private final List<Connection> connections = new ArrayList<>();
    /** From the start of each event's broadcast to its parsing here. */
    private long[] latencies = new long[1 << 16];
    /** From the time each event was due by the publishing schedule to its parsing here. */
    private long[] scheduleLatencies = new long[1 << 16];

    private int latencyCount;
    private long lastDelivery;
    private int failed;

    private FanOutLoad(int port) throws IOException {
        this.port = port;
        this.selector = Selector.open();
    }

    /** Runs one measurement; see the type's description for the arguments. */
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: FanOutLoad <port> <connections> <count> <rate per second, 0 = max>");
            System.exit(2);
        }
        new FanOutLoad(Integer.parseInt(args[0]))
                .run(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Double.parseDouble(args[3]));
    }

    private void run(int connectionCount, int count, double rate) throws Exception {
        long connectStart = System.nanoTime();
        for (int opened = 0; opened < connectionCount; opened += BATCH) {
            int batch = Math.min(BATCH, connectionCount - opened);
            for (int i = 0; i < batch; i++) {
                connections.add(new Connection());
            }
            long deadline = System.nanoTime() + BATCH_DEADLINE.toNanos();
            while (openCount() + failed < connections.size() && System.nanoTime() < deadline) {
                poll(100);
            }
        }
        double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
        print("connections_requested", connectionCount);
        print("connections_open", openCount());
        print("connections_failed", failed);
        print("connect_seconds", String.format(Locale.ROOT, "%.2f", connectSeconds));

        HttpClient control = HttpClient.newHttpClient();
        String idle = stats(control);
        System.out.print(idle.replaceAll("(?m)^", "server_idle_"));

        long publishStart = System.nanoTime();
        HttpResponse<String> started = control.send(
                HttpRequest.newBuilder(URI.create(base() + "/control/publish?count=" + count + "&rate=" + rate))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (started.statusCode() != 202) {
            throw new IllegalStateException("publish refused: " + started.statusCode() + " " + started.body());
        }
        long expected = (long) count * openCount();
        long deadline = publishStart + DELIVERY_DEADLINE.toNanos();
        while (latencyCount < expected && System.nanoTime() < deadline && openCount() > 0) {
            poll(100);
        }
        double seconds = latencyCount == 0 ? Double.NaN : (lastDelivery - publishStart) / 1e9;
        print("events_expected", expected);
        print("events_delivered", latencyCount);
        print("connections_lost", connectionCount - openCount() - failed);
        print("delivery_seconds", String.format(Locale.ROOT, "%.3f", seconds));
        print("delivered_events_per_second", String.format(Locale.ROOT, "%.0f", latencyCount / seconds));
        long[] sorted = Arrays.copyOf(latencies, latencyCount);
        Arrays.sort(sorted);
        print("latency_p50_ms", millis(percentile(sorted, 0.50)));
        print("latency_p99_ms", millis(percentile(sorted, 0.99)));
        print("latency_p999_ms", millis(percentile(sorted, 0.999)));
        print("latency_max_ms", millis(sorted.length == 0 ? -1 : sorted[sorted.length - 1]));
        long[] fromSchedule = Arrays.copyOf(scheduleLatencies, latencyCount);
        Arrays.sort(fromSchedule);
        print("latency_from_schedule_p50_ms", millis(percentile(fromSchedule, 0.50)));
        print("latency_from_schedule_p99_ms", millis(percentile(fromSchedule, 0.99)));
        print("broadcasts_per_second_achieved", String.format(Locale.ROOT, "%.2f", count / seconds));
        for (Connection c : connections) {
            c.channel.close();
        }
    }

    private String stats(HttpClient control) throws IOException, InterruptedException {
        return control.send(
                        HttpRequest.newBuilder(URI.create(base() + "/control/stats"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    private int openCount() {
        int open = 0;
        for (Connection c : connections) {
            if (c.state == State.BODY) {
                open++;
            }
        }
        return open;
    }

    private void poll(long timeoutMillis) throws IOException {
        selector.select(timeoutMillis);
        Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext()) {
            SelectionKey key = keys.next();
            keys.remove();
            Connection c = (Connection) key.attachment();
            try {
                if (key.isConnectable()) {
                    c.channel.finishConnect();
                    c.channel.write(c.request);
                    key.interestOps(SelectionKey.OP_READ);
                } else if (key.isReadable()) {
                    c.read();
                }
            } catch (IOException | RuntimeException e) {
                c.fail();
            }
        }
    }

    private void record(Event event) {
        long now = System.nanoTime();
        String data = event.data();
        long sent = field(data, "\"sent\":");
        long due = field(data, "\"due\":");
        if (sent < 0 || due < 0) {
            return;
        }
        if (latencyCount == latencies.length) {
            latencies = Arrays.copyOf(latencies, latencies.length * 2);
            scheduleLatencies = Arrays.copyOf(scheduleLatencies, latencies.length);
        }
        scheduleLatencies[latencyCount] = now - due;
        latencies[latencyCount++] = now - sent;
        lastDelivery = now;
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

    private enum State {
        CONNECTING,
        BODY,
        FAILED
    }

    /** One subscriber: HTTP response head, then a chunked or plain body into its own parser. */
    private final class Connection {
        final SocketChannel channel;
        final ByteBuffer request;
        final EventParser parser = EventParser.create(FanOutLoad.this::record);
        State state = State.CONNECTING;
        final StringBuilder head = new StringBuilder();
        boolean chunked;
        /** Chunked decoding: bytes left in the current chunk, or -1 while reading a size line. */
        long chunkLeft = -1;

        long chunkSize;
        boolean inExtension;
        int crlfToSkip;

        Connection() throws IOException {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            request = StandardCharsets.US_ASCII.encode("GET /events HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n");
            channel.connect(new InetSocketAddress("127.0.0.1", port));
            channel.register(selector, SelectionKey.OP_CONNECT, this);
        }

        void read() throws IOException {
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
                    failed++;
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

    private static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.2f", nanos / 1e6);
    }

    private static void print(String key, Object value) {
        System.out.println(key + "=" + value);
    }
}
