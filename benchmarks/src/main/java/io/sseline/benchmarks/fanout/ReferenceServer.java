package io.sseline.benchmarks.fanout;

import io.sseline.core.Event;
import io.sseline.core.EventSerializer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The limit the fan-out benchmark measures every library against: a server that does only what a
 * broadcast to N event streams cannot avoid. It is not a library and keeps none of a library's
 * promises (no heartbeats, no per-stream ordering across threads, no servlet container).
 *
 * <ul>
 *   <li>One thread and one NIO selector do everything: accept, read requests, publish, write.
 *   <li>Each broadcast is serialized once ({@link EventSerializer}, the same bytes sseline sends)
 *       into one direct buffer that already holds the HTTP/1.1 chunk framing ({@code <size>\r\n},
 *       the event, {@code \r\n}).
 *   <li>One non-blocking {@code write} of that buffer per subscriber. A subscriber whose socket does
 *       not take it all keeps the rest in a backlog, which later broadcasts append to and which is
 *       written when the selector says the socket is writable; the backlog is bounded by {@link
 *       #MAX_BACKLOG} (sseline's default queue bound), past which the subscriber is cut.
 * </ul>
 *
 * <p>It answers the same requests as {@link FanOutServer}: {@code GET /events} (a chunked {@code
 * text/event-stream} response), {@code GET /control/stats} and {@code POST
 * /control/publish?count=C&rate=R&first=F}, so that {@link FanOutLoad} drives it like any other
 * server. The publisher runs on the selector thread: back to back, one broadcast per pass of the
 * selector loop; at a rate, the selector waits until the next event is due.
 *
 * <!-- not compiled: a shell command, not Java -->
 * <pre>{@code
 * java -cp benchmarks.jar io.sseline.benchmarks.fanout.FanOutServer reference 8081
 * }</pre>
 *
 * <p>{@link #run()} runs on one thread; {@link #close()} may be called from any.
 */
public final class ReferenceServer implements AutoCloseable {
    /** The most bytes a subscriber may have waiting before it is cut: sseline's default queue bound. */
    static final int MAX_BACKLOG = 256 * 1024;

    private static final int MAX_REQUEST_HEAD = 8 * 1024;
    private static final byte[] EVENT_STREAM_HEAD = ascii("HTTP/1.1 200 OK\r\n"
            + "Content-Type: text/event-stream;charset=utf-8\r\n"
            + "Cache-Control: no-cache\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n");
    private static final byte[] CRLF = {'\r', '\n'};

    private final Selector selector;
    private final ServerSocketChannel server;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(16 * 1024);
    /** The current broadcast, framed as one chunk; written to every subscriber. */
    private ByteBuffer frame = ByteBuffer.allocateDirect(16 * 1024);

    private volatile boolean closed;

    // Touched by the selector thread only.
    private Connection[] subscribers = new Connection[1024];
    private int subscriberCount;
    private boolean publishing;
    private long firstSeq;
    private long nextSeq;
    private long endSeq;
    private double rate;
    private long publishStart;
    private long nextDue;

    private ReferenceServer(Selector selector, ServerSocketChannel server) {
        this.selector = selector;
        this.server = server;
    }

    /** Binds 127.0.0.1:{@code port} ({@code 0}: any free port); {@link #run()} then serves it. */
    public static ReferenceServer open(int port) throws IOException {
        Selector selector = Selector.open();
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress("127.0.0.1", port), 4096);
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        return new ReferenceServer(selector, server);
    }

    /** The port it listens on. */
    public int port() throws IOException {
        return ((InetSocketAddress) server.getLocalAddress()).getPort();
    }

    /** Serves until {@link #close()}; then closes every connection. */
    public void run() throws IOException {
        try {
            while (!closed) {
                long wait = publishWaitNanos();
                if (wait < 0) {
                    selector.select();
                } else if (wait == 0) {
                    selector.selectNow();
                } else {
                    selector.select(Math.max(1, wait / 1_000_000));
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    handle(key);
                }
                selector.selectedKeys().clear();
                if (publishing && System.nanoTime() - nextDue >= 0) {
                    broadcast();
                }
            }
        } finally {
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
            selector.close();
        }
    }

    /** Stops {@link #run()}. */
    @Override
    public void close() {
        closed = true;
        selector.wakeup();
    }

    /** -1: nothing to publish; 0: publish now; otherwise the nanoseconds until the next event is due. */
    private long publishWaitNanos() {
        if (!publishing) {
            return -1;
        }
        return Math.max(0, nextDue - System.nanoTime());
    }

    private void handle(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        if (key.isAcceptable()) {
            accept();
            return;
        }
        Connection c = (Connection) key.attachment();
        try {
            if (key.isWritable()) {
                c.flushBacklog();
            }
            if (key.isValid() && key.isReadable()) {
                c.read();
            }
        } catch (IOException | RuntimeException e) {
            c.close();
        }
    }

    private void accept() {
        try {
            SocketChannel channel;
            while ((channel = server.accept()) != null) {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true); // as Jetty's connector does
                Connection c = new Connection(channel);
                c.key = channel.register(selector, SelectionKey.OP_READ, c);
            }
        } catch (IOException e) {
            System.err.println("accept failed: " + e);
        }
    }

    private void startPublishing(long first, int count, double eventsPerSecond) {
        publishing = count > 0;
        firstSeq = first;
        nextSeq = first;
        endSeq = first + count;
        rate = eventsPerSecond;
        publishStart = System.nanoTime();
        nextDue = publishStart;
    }

    /** Serializes the next event once, frames it as one chunk, and writes it to every subscriber. */
    private void broadcast() {
        long seq = nextSeq++;
        long due = rate > 0 ? nextDue : System.nanoTime();
        String data = FanOutServer.payload(seq, due, System.nanoTime());
        byte[] event = EventSerializer.serialize(Event.of(data).withType("chat").withId(Long.toString(seq)));
        byte[] size = ascii(Integer.toHexString(event.length) + "\r\n");
        int length = size.length + event.length + CRLF.length;
        if (frame.capacity() < length) {
            frame = ByteBuffer.allocateDirect(Integer.highestOneBit(length) * 2);
        }
        frame.clear();
        frame.put(size).put(event).put(CRLF).flip();
        for (int i = 0; i < subscriberCount; ) {
            if (subscribers[i].send(frame)) {
                i++;
            } // else it was cut, and the last subscriber moved into slot i
        }
        if (nextSeq == endSeq) {
            publishing = false;
        } else if (rate > 0) {
            nextDue = publishStart + (long) ((nextSeq - firstSeq) * 1e9 / rate);
        } else {
            nextDue = System.nanoTime();
        }
    }

    private void addSubscriber(Connection c) {
        if (subscriberCount == subscribers.length) {
            subscribers = Arrays.copyOf(subscribers, subscriberCount * 2);
        }
        c.index = subscriberCount;
        subscribers[subscriberCount++] = c;
    }

    private void removeSubscriber(Connection c) {
        int last = --subscriberCount;
        Connection moved = subscribers[last];
        subscribers[c.index] = moved;
        moved.index = c.index;
        subscribers[last] = null;
        c.index = -1;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** One accepted connection: a request head, then a subscriber or a control response. */
    private final class Connection {
        final SocketChannel channel;
        SelectionKey key;
        /** The request head read so far; null once it was handled. */
        byte[] head = new byte[512];

        int headLength;
        /** The position in {@link #subscribers}, or -1. */
        int index = -1;
        /** Bytes the socket has not taken yet, in write mode (from 0 to position); null when none. */
        ByteBuffer backlog;
        /** A control response: end the output once the backlog is written. */
        boolean endAfterBacklog;

        Connection(SocketChannel channel) {
            this.channel = channel;
        }

        void read() throws IOException {
            readBuffer.clear();
            int n = channel.read(readBuffer);
            if (n < 0) {
                close();
                return;
            }
            if (head == null || n == 0) {
                return; // a subscriber's or a finished request's bytes: ignored
            }
            readBuffer.flip();
            if (headLength + n > MAX_REQUEST_HEAD) {
                close();
                return;
            }
            if (headLength + n > head.length) {
                head = Arrays.copyOf(head, MAX_REQUEST_HEAD);
            }
            readBuffer.get(head, headLength, n);
            headLength += n;
            String text = new String(head, 0, headLength, StandardCharsets.ISO_8859_1);
            if (text.contains("\r\n\r\n")) {
                head = null;
                dispatch(text.substring(0, text.indexOf("\r\n")));
            }
        }

        private void dispatch(String requestLine) throws IOException {
            String[] parts = requestLine.split(" ");
            String method = parts[0];
            URI target = URI.create(parts.length > 1 ? parts[1] : "/");
            String path = target.getPath();
            if (path.equals("/events") && method.equals("GET")) {
                addSubscriber(this);
                write(ByteBuffer.wrap(EVENT_STREAM_HEAD));
            } else if (path.equals("/control/stats") && method.equals("GET")) {
                boolean gc = !"false".equals(query(target.getRawQuery()).get("gc"));
                respond(200, ProcessStats.read(subscriberCount, publishing, gc));
            } else if (path.equals("/control/publish") && method.equals("POST")) {
                Map<String, String> query = query(target.getRawQuery());
                if (publishing) {
                    respond(409, "a publisher is still running\n");
                } else {
                    startPublishing(
                            Long.parseLong(query.getOrDefault("first", "0")),
                            Integer.parseInt(query.get("count")),
                            Double.parseDouble(query.get("rate")));
                    respond(202, "");
                }
            } else {
                respond(404, "not found\n");
            }
        }

        private void respond(int status, String body) throws IOException {
            byte[] content = body.getBytes(StandardCharsets.UTF_8);
            String statusAndHeaders =
                    "HTTP/1.1 " + status + " \r\nContent-Type: text/plain;charset=utf-8\r\nContent-Length: "
                            + content.length + "\r\nConnection: close\r\n\r\n";
            endAfterBacklog = true;
            write(ByteBuffer.wrap((statusAndHeaders + body).getBytes(StandardCharsets.UTF_8)));
        }

        /** Writes a control response or the event stream's head; queues what the socket does not take. */
        private void write(ByteBuffer bytes) throws IOException {
            channel.write(bytes);
            if (bytes.hasRemaining()) {
                append(bytes);
            } else if (endAfterBacklog) {
                channel.shutdownOutput(); // the client closes, and the read of -1 closes here
            }
        }

        /** Sends one broadcast; false if this subscriber was cut (gone, or too far behind). */
        boolean send(ByteBuffer frame) {
            frame.rewind();
            try {
                if (backlog == null) {
                    channel.write(frame);
                    if (!frame.hasRemaining()) {
                        return true;
                    }
                } else if (backlog.position() + frame.remaining() > MAX_BACKLOG) {
                    close();
                    return false;
                }
                append(frame);
                return true;
            } catch (IOException e) {
                close();
                return false;
            }
        }

        private void append(ByteBuffer bytes) {
            if (backlog == null) {
                backlog = ByteBuffer.allocate(Math.max(4096, bytes.remaining()));
                key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            } else if (backlog.remaining() < bytes.remaining()) {
                ByteBuffer larger =
                        ByteBuffer.allocate(Math.max(backlog.capacity() * 2, backlog.position() + bytes.remaining()));
                backlog.flip();
                backlog = larger.put(backlog);
            }
            backlog.put(bytes);
        }

        void flushBacklog() throws IOException {
            if (backlog == null) {
                return;
            }
            backlog.flip();
            channel.write(backlog);
            backlog.compact();
            if (backlog.position() == 0) {
                backlog = null;
                key.interestOps(SelectionKey.OP_READ);
                if (endAfterBacklog) {
                    channel.shutdownOutput();
                }
            }
        }

        void close() {
            if (index >= 0) {
                removeSubscriber(this);
            }
            key.cancel();
            try {
                channel.close();
            } catch (IOException ignored) {
                // Closed either way.
            }
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> parameters = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    parameters.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
        }
        return parameters;
    }
}
